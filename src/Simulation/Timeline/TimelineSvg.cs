using System.Text;
using static Supervision.Simulation.Timeline.HtmlText;

namespace Supervision.Simulation.Timeline;

/// <summary>
/// Draws a <see cref="TimelineModel"/> as two inline SVGs side by side: the lane labels (a tree, kept in view
/// when the picture scrolls sideways) and the plot (time axis, lanes, restart bands, intensity budgets).
/// Everything from the scenario goes through <see cref="HtmlText"/>.
/// </summary>
internal sealed partial class TimelineSvg
{
    /// <summary>Height of a worker's lane.</summary>
    public const double WorkerHeight = 28;

    /// <summary>Height of a supervisor's lane: a strip on top for band labels and give-up flags, the bar, a strip below for calls.</summary>
    public const double SupervisorHeight = 42;

    /// <summary>Height of a supervisor's intensity budget row, under its lane.</summary>
    public const double BudgetHeight = 26;

    /// <summary>Height of the time axis above the lanes.</summary>
    public const double AxisHeight = 44;

    /// <summary>Width of the labels.</summary>
    public const double LabelWidth = 280;

    private readonly TimelineModel _model;
    private readonly TimeAxis _axis;
    private readonly TimelineLimits _limits;
    private readonly ScenarioText _text;
    private readonly StringBuilder _out;
    private readonly List<TimelineLane> _rows;
    private readonly Dictionary<string, double> _top = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IntensityBudget> _budgets = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<int>> _eventsOf = new(StringComparer.Ordinal);
    private readonly double _height;

    private TimelineSvg(TimelineModel model, TimelineLimits limits, ScenarioText text, StringBuilder output)
    {
        _model = model;
        _limits = limits;
        _text = text;
        _out = output;
        _axis = TimeAxis.Build(model);
        _rows = [.. model.Lanes.Where(lane => lane.Row >= 0).OrderBy(lane => lane.Row)];
        foreach (var budget in model.Budgets)
        {
            _budgets[budget.Supervisor] = budget;
        }
        var y = AxisHeight;
        foreach (var lane in _rows)
        {
            _top[lane.Path] = y;
            y += Height(lane) + (_budgets.ContainsKey(lane.Path) ? BudgetHeight : 0);
            _eventsOf[lane.Path] = [];
        }
        _height = y + 8;
        for (var i = 0; i < model.Events.Count; i++)
        {
            if (model.IsDrawn(i, model.LaneByPath[model.Events[i].Path]))
            {
                _eventsOf[model.Events[i].Path].Add(i);
            }
        }
    }

    /// <summary>Appends the chart (labels and plot) to <paramref name="output"/>.</summary>
    public static void Write(StringBuilder output, TimelineModel model, TimelineLimits limits, ScenarioText text)
    {
        var svg = new TimelineSvg(model, limits, text, output);
        output.Append("<div class=\"chart\"><div class=\"labels\">");
        svg.WriteLabels();
        output.Append("</div><div class=\"plot\">");
        svg.WritePlot();
        output.Append("</div></div>\n");
    }

    private double Top(TimelineLane lane) => _top[lane.Path];

    private double Middle(TimelineLane lane) => _top[lane.Path] + (lane.IsSupervisor ? 21 : 14);

    private static double Height(TimelineLane lane) => lane.IsSupervisor ? SupervisorHeight : WorkerHeight;

    private string Text(string text) => _text.Text(text);

    private string PathText(string path) => _text.Path(path);

    private void WriteLabels()
    {
        _out.Append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").Append(N(LabelWidth)).Append("\" height=\"").Append(N(_height))
            .Append("\" role=\"img\" aria-label=\"lanes\">");
        _out.Append("<text x=\"12\" y=\"26\" class=\"lbl-badge\">child / supervisor (strategy, intensity per period)</text>");
        foreach (var lane in _rows)
        {
            var top = Top(lane);
            var indent = 12 + lane.Depth * 14;
            if (lane.Parent is { } parent && _top.TryGetValue(parent, out var parentTop))
            {
                // The tree's guide: from the parent's icon down to this row.
                var gx = indent - 10;
                _out.Append("<path class=\"guide\" d=\"M").Append(N(gx)).Append(',').Append(N(parentTop + 26)).Append(" V").Append(N(Middle(lane)))
                    .Append(" H").Append(N(indent - 2)).Append("\"/>");
            }
            var badge = Badge(lane);
            var room = (int)((LabelWidth - indent - 14 - badge.Length * 5.6) / 7.2);
            _out.Append("<g><title>").Append(PathText(lane.Path)).Append("</title>");
            _out.Append(lane.IsSupervisor
                ? $"<rect class=\"ico-s\" x=\"{N(indent)}\" y=\"{N(Middle(lane) - 4.5)}\" width=\"9\" height=\"9\" rx=\"2\"/>"
                : $"<circle class=\"ico-w\" cx=\"{N(indent + 4.5)}\" cy=\"{N(Middle(lane))}\" r=\"4\"/>");
            _out.Append("<text x=\"").Append(N(indent + 14)).Append("\" y=\"").Append(N(Middle(lane) + 4.5)).Append("\" class=\"lbl-id")
                .Append(lane.IsSupervisor ? " lbl-sup" : "").Append("\">").Append(_text.Text(lane.Id, Math.Max(4, room))).Append("</text>");
            if (badge.Length > 0)
            {
                _out.Append("<text x=\"").Append(N(LabelWidth - 8)).Append("\" y=\"").Append(N(Middle(lane) + 4)).Append("\" text-anchor=\"end\" class=\"lbl-badge\">")
                    .Append(Escape(badge)).Append("</text>");
            }
            _out.Append("</g>");
            if (_budgets.TryGetValue(lane.Path, out var budget))
            {
                _out.Append("<text x=\"").Append(N(LabelWidth - 8)).Append("\" y=\"").Append(N(top + Height(lane) + 16))
                    .Append("\" text-anchor=\"end\" class=\"lbl-budget\">restarts in window (limit ").Append(N(budget.Intensity))
                    .Append(" in ").Append(N(budget.PeriodSeconds)).Append(" s)</text>");
            }
        }
        _out.Append("</svg>");
    }

    private static string Badge(TimelineLane lane) => lane.Supervisor is { } spec
        ? $"{lane.StrategyName} \u00b7 {N(spec.Intensity)}/{N(spec.PeriodSeconds)} s"
        : lane.Spec is { Restart: not Engine.RestartType.Permanent } child ? child.Restart.ToString().ToLowerInvariant() : "";

    private void WritePlot()
    {
        _out.Append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").Append(N(_axis.Width)).Append("\" height=\"").Append(N(_height))
            .Append("\" role=\"img\" aria-label=\"timeline\">");
        _out.Append("<defs><pattern id=\"hatch\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\">")
            .Append("<rect width=\"6\" height=\"6\" fill=\"#f8fafc\"/><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#cbd5e1\" stroke-width=\"2\"/></pattern>")
            .Append("<linearGradient id=\"fade\"><stop offset=\"0\" stop-color=\"#3b82f6\"/><stop offset=\"1\" stop-color=\"#3b82f6\" stop-opacity=\"0.1\"/></linearGradient></defs>");
        WriteBackground();
        WriteAxis();
        WriteBands();
        foreach (var lane in _rows)
        {
            WriteLane(lane);
        }
        WriteBudgets();
        _out.Append("</svg>");
    }

    private void WriteBackground()
    {
        var odd = false;
        foreach (var lane in _rows)
        {
            var top = Top(lane);
            Rect(lane.IsSupervisor ? "row-sup" : odd ? "row-b" : "row-a", 0, top, _axis.Width, Height(lane));
            if (_budgets.ContainsKey(lane.Path))
            {
                Rect("row-budget", 0, top + Height(lane), _axis.Width, BudgetHeight);
            }
            odd = !odd;
        }
        foreach (var instant in _axis.Instants)
        {
            if (instant.EndX > instant.StartX)
            {
                Rect("instant", instant.StartX, AxisHeight, instant.EndX - instant.StartX, _height - AxisHeight);
            }
            _out.Append("<line class=\"tick\" x1=\"").Append(N(instant.StartX)).Append("\" y1=\"").Append(N(AxisHeight - 6))
                .Append("\" x2=\"").Append(N(instant.StartX)).Append("\" y2=\"").Append(N(_height)).Append("\"/>");
        }
        if (_model.HasOmission)
        {
            var left = _axis.BreakX - TimeAxis.BreakWidth / 2 + 4;
            Rect("break", left, 0, TimeAxis.BreakWidth - 8, _height);
            var from = _model.Events[_model.OmittedFrom].AtMs;
            var to = _model.Events[_model.OmittedTo - 1].AtMs;
            _out.Append("<text class=\"break-text\" transform=\"translate(").Append(N(_axis.BreakX + 4)).Append(",60) rotate(90)\">")
                .Append(N(_model.OmittedTo - _model.OmittedFrom)).Append(" events left out (").Append(Time(from)).Append(" to ").Append(Time(to))
                .Append(")</text>");
        }
    }

    private void WriteAxis()
    {
        Rect("axis-bg", 0, 0, _axis.Width, AxisHeight - 6);
        _out.Append("<line class=\"axis-line\" x1=\"0\" y1=\"").Append(N(AxisHeight - 6)).Append("\" x2=\"").Append(N(_axis.Width))
            .Append("\" y2=\"").Append(N(AxisHeight - 6)).Append("\"/>");
        var labelEnd = double.MinValue;
        AxisInstant? previous = null;
        foreach (var instant in _axis.Instants)
        {
            var label = Time(instant.Ms);
            if (instant.StartX >= labelEnd)
            {
                _out.Append("<text class=\"axis-label\" x=\"").Append(N(instant.StartX + 2)).Append("\" y=\"16\">").Append(label).Append("</text>");
                labelEnd = instant.StartX + 10 + label.Length * 6.6;
            }
            if (previous is { } before && !instant.AfterBreak)
            {
                var gap = "+" + Time(instant.Ms - before.Ms);
                var room = instant.StartX - before.EndX;
                if (room > gap.Length * 5.6 + 6)
                {
                    _out.Append("<text class=\"gap-label\" text-anchor=\"middle\" x=\"").Append(N((instant.StartX + before.EndX) / 2))
                        .Append("\" y=\"31\">").Append(gap).Append("</text>");
                }
            }
            previous = instant;
        }
    }

    private void Rect(string cssClass, double x, double y, double width, double height) =>
        _out.Append("<rect class=\"").Append(cssClass).Append("\" x=\"").Append(N(x)).Append("\" y=\"").Append(N(y))
            .Append("\" width=\"").Append(N(Math.Max(0, width))).Append("\" height=\"").Append(N(Math.Max(0, height))).Append("\"/>");
}
