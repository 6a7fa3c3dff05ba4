using static Supervision.Simulation.Timeline.HtmlText;

namespace Supervision.Simulation.Timeline;

/// <summary>What spans lanes: a band per restart episode over the rows it touched, and each supervisor's budget.</summary>
internal sealed partial class TimelineSvg
{
    private void WriteBands()
    {
        var drawn = _model.Episodes.Where(e => e.First >= 0 && _top.ContainsKey(e.Supervisor) && (IsVisible(e.First) || IsVisible(e.Last))).ToList();
        // A band's label sits on its supervisor's top strip and ends before the next label or give-up flag there.
        var stops = drawn.Where(e => !e.GaveUp).Select(e => (e.Supervisor, X: BandLeft(e)))
            .Concat(_model.Events.Select((e, i) => (e, i)).Where(p => p.e.Kind == TimelineEventKind.GiveUp && IsVisible(p.i)).Select(p => (p.e.Path, X: _axis.X(p.i))))
            .ToLookup(p => p.Item1, p => p.X, StringComparer.Ordinal);
        foreach (var episode in drawn)
        {
            var colour = TimelineStyle.BandColour(episode.Strategy, episode.GaveUp);
            var x0 = BandLeft(episode);
            var x1 = _axis.X(episode.Last) + _axis.Slot / 2 + 3;
            var (y0, y1) = BandRows(episode);
            _out.Append("<g class=\"band\" data-supervisor=\"").Append(_text.Attribute(episode.Supervisor)).Append("\" data-strategy=\"")
                .Append(episode.GaveUp ? "give_up" : Escape(episode.Strategy)).Append("\"><title>").Append(BandTooltip(episode)).Append("</title>");
            _out.Append($"<rect x=\"{N(x0)}\" y=\"{N(y0)}\" width=\"{N(x1 - x0)}\" height=\"{N(y1 - y0)}\" rx=\"6\" fill=\"{colour}\" fill-opacity=\"0.13\" stroke=\"{colour}\" stroke-opacity=\"0.7\" stroke-width=\"1.2\"/>");
            if (!episode.GaveUp)
            {
                var next = stops[episode.Supervisor].Where(x => x > x0 + 1).DefaultIfEmpty(_axis.Width).Min();
                WriteBandLabel(episode, colour, x0, next - x0 - 4);
            }
            WriteCause(episode, colour, x0);
            _out.Append("</g>");
        }
    }

    private double BandLeft(RestartEpisode episode) => _axis.X(episode.First) - _axis.Slot / 2 - 3;

    private void WriteBandLabel(RestartEpisode episode, string colour, double x0, double room)
    {
        var label = Short(episode.Strategy) + ": " + LastSegment(episode.Cause) + " " + episode.Reason;
        var fits = (int)((room - 12) / 6.1);
        if (fits < 3)
        {
            return;
        }
        var top = Top(_model.LaneByPath[episode.Supervisor]);
        _out.Append($"<rect x=\"{N(x0)}\" y=\"{N(top + 1)}\" width=\"{N(Math.Min(label.Length, fits) * 6.1 + 12)}\" height=\"13\" rx=\"6.5\" fill=\"{colour}\"/>")
            .Append($"<text class=\"band-label\" x=\"{N(x0 + 6)}\" y=\"{N(top + 11)}\">").Append(_text.Text(label, fits)).Append("</text>");
    }

    /// <summary>Which exit caused it: a ring on that mark, and a dashed line to the band when they are apart.</summary>
    private void WriteCause(RestartEpisode episode, string colour, double x0)
    {
        if (episode.CauseEvent < 0 || !IsVisible(episode.CauseEvent) || _model.LaneByPath.GetValueOrDefault(episode.Cause) is not { Row: >= 0 } cause)
        {
            return;
        }
        var cx = _axis.X(episode.CauseEvent);
        var cy = Middle(cause);
        _out.Append($"<circle class=\"cause\" cx=\"{N(cx)}\" cy=\"{N(cy)}\" r=\"9\" stroke=\"{colour}\"/>");
        if (x0 - cx > 12)
        {
            _out.Append($"<path class=\"cause\" stroke=\"{colour}\" d=\"M{N(cx + 9)},{N(cy)} C{N(cx + 30)},{N(cy - 12)} {N(x0 - 20)},{N(cy - 12)} {N(x0)},{N(cy)}\"/>");
        }
    }

    private bool IsVisible(int index) => index < _model.OmittedFrom || index >= _model.OmittedTo;

    private static string Short(string strategy) => strategy switch
    {
        "one_for_all" => "one_for_all restart",
        "rest_for_one" => "rest_for_one restart",
        "one_for_one" => "one_for_one restart",
        "simple_one_for_one" => "instance restart",
        _ => "restart",
    };

    private static string LastSegment(string path) => path[(path.LastIndexOf('/') + 1)..];

    /// <summary>From the top of the first touched child's row to the bottom of the last touched child's subtree.</summary>
    private (double Top, double Bottom) BandRows(RestartEpisode episode)
    {
        var lanes = episode.Children.Select(path => _model.LaneByPath.GetValueOrDefault(path)).Where(lane => lane is { Row: >= 0 }).Select(lane => lane!).ToList();
        if (episode.GaveUp || lanes.Count == 0)
        {
            lanes.Add(_model.LaneByPath[episode.Supervisor]);
        }
        var first = lanes.MinBy(lane => lane.Row)!;
        var last = lanes.MaxBy(lane => lane.Row)!;
        // The subtree of the last lane ends before the next row that is not deeper than it.
        var end = last.Row + 1;
        while (end < _rows.Count && _rows[end].Depth > last.Depth)
        {
            end++;
        }
        var bottomLane = _rows[end - 1];
        var bottom = Top(bottomLane) + Height(bottomLane) + (_budgets.ContainsKey(bottomLane.Path) ? BudgetHeight : 0);
        return (Top(first) + 2, bottom - 2);
    }

    private string BandTooltip(RestartEpisode episode)
    {
        var first = _model.Events[episode.First];
        var last = _model.Events[episode.Last];
        var what = episode.GaveUp
            ? $"{PathText(episode.Supervisor)} gave up (max restart intensity) after {PathText(episode.Cause)} exited {Text(episode.Reason)}, stopped its children and exited"
            : $"{PathText(episode.Supervisor)} ({Text(episode.Strategy)}) restarted {Children(episode)} after {PathText(episode.Cause)} exited {Text(episode.Reason)}";
        var attempts = episode.Attempts > 1 ? $"; {N(episode.Attempts)} attempts (failed starts retried)" : "";
        return $"{Time(first.AtMs)} to {Time(last.AtMs)}: {what}{attempts}";
    }

    /// <summary>The children a band stopped and started, the first few by name.</summary>
    private string Children(RestartEpisode episode)
    {
        var names = string.Join(", ", episode.Children.Take(4).Select(c => _text.Text(LastSegment(c), 32)));
        return episode.Children.Count > 4 ? $"{names} and {N(episode.Children.Count - 4)} more" : names;
    }

    /// <summary>Each budget: the restart count in the window as a step area (green under the limit, amber at it, red over it), and the limit as a dashed line.</summary>
    private void WriteBudgets()
    {
        foreach (var budget in _model.Budgets)
        {
            if (!_top.TryGetValue(budget.Supervisor, out var laneTop))
            {
                continue;
            }
            var top = laneTop + Height(_model.LaneByPath[budget.Supervisor]) + 3;
            var height = BudgetHeight - 6;
            var scale = Math.Max(budget.Intensity + 1, budget.Peak);
            double Y(int count) => top + height - height * count / scale;
            _out.Append("<g class=\"budget\" data-supervisor=\"").Append(_text.Attribute(budget.Supervisor)).Append("\">");
            _out.Append($"<path class=\"b-limit\" d=\"M0,{N(Y(budget.Intensity))} H{N(_axis.Width)}\"/>");
            var count = 0;
            var from = 0.0;
            foreach (var point in budget.Points)
            {
                var x = point.Event >= 0 && point.Event < _model.Events.Count ? _axis.X(point.Event) - _axis.Slot / 2 : _axis.XAtMs(point.AtMs);
                StepRect(budget, count, from, x, Y);
                if (point.Event >= 0 && point.Count > count && IsVisible(point.Event))
                {
                    _out.Append($"<text class=\"b-count\" x=\"{N(x + 2)}\" y=\"{N(Math.Max(top + 8, Y(point.Count) - 1))}\">")
                        .Append(N(point.Count)).Append('/').Append(N(budget.Intensity)).Append("</text>");
                }
                (count, from) = (point.Count, Math.Max(from, x));
            }
            StepRect(budget, count, from, _axis.Width - TimeAxis.Margin, Y);
            _out.Append("</g>");
        }
    }

    private void StepRect(IntensityBudget budget, int count, double from, double to, Func<int, double> y)
    {
        if (count == 0 || to <= from)
        {
            return;
        }
        var level = count > budget.Intensity ? "b-over" : count == budget.Intensity ? "b-at" : "b-ok";
        _out.Append("<rect class=\"").Append(level).Append("\" x=\"").Append(N(from)).Append("\" y=\"").Append(N(y(count)))
            .Append("\" width=\"").Append(N(to - from)).Append("\" height=\"").Append(N(y(0) - y(count))).Append("\"><title>")
            .Append(N(count)).Append(" restart attempt").Append(count == 1 ? "" : "s").Append(" in the ").Append(N(budget.PeriodSeconds))
            .Append(" s window (limit ").Append(N(budget.Intensity)).Append(")</title></rect>");
    }
}
