using Supervision.Simulation.Invariants;
using static Supervision.Simulation.Timeline.HtmlText;

namespace Supervision.Simulation.Timeline;

/// <summary>Each lane: its lives as bars, then one mark per event with a tooltip, then the reasons that fit.</summary>
internal sealed partial class TimelineSvg
{
    /// <summary>The height in a supervisor's lane of its calls' marks and waits.</summary>
    private const double CallStrip = 35;

    private void WriteLane(TimelineLane lane)
    {
        _out.Append("<g class=\"lane\" data-path=\"").Append(_text.Attribute(lane.Path)).Append("\">");
        foreach (var segment in lane.Segments)
        {
            WriteSegment(lane, segment);
        }
        var events = _eventsOf[lane.Path];
        for (var k = 0; k < events.Count; k++)
        {
            var next = k + 1 < events.Count ? _axis.X(events[k + 1]) : _axis.Width - TimeAxis.Margin;
            WriteEvent(lane, events[k], next);
        }
        _out.Append("</g>");
    }

    private void WriteSegment(TimelineLane lane, LaneSegment segment)
    {
        if (!IsVisible(segment.Begin) && (segment.End < 0 ? !IsVisible(_model.Events.Count - 1) : !IsVisible(segment.End)))
        {
            return; // A life wholly inside the omitted part of a long run.
        }
        var y = Middle(lane) - 5;
        var begin = _axis.X(segment.Begin);
        var end = segment.End >= 0 ? _axis.X(segment.End) : _axis.Width - TimeAxis.Margin;
        if (segment.How == SegmentEnd.InitFailed)
        {
            Bar("life-failed", begin, end, y);
            return;
        }
        var started = _axis.X(segment.Started);
        if (started > begin)
        {
            Bar("life-init", begin, started, y); // A supervisor starting its children.
        }
        Bar(segment.How == SegmentEnd.Open ? "life-open" : lane.IsSupervisor ? "life-s" : "life-w", started, end, y);
    }

    private void Bar(string cssClass, double from, double to, double y) =>
        _out.Append("<rect class=\"").Append(cssClass).Append("\" x=\"").Append(N(from)).Append("\" y=\"").Append(N(y))
            .Append("\" width=\"").Append(N(Math.Max(2, to - from))).Append("\" height=\"10\" rx=\"3\"/>");

    private void WriteEvent(TimelineLane lane, int index, double nextX)
    {
        var e = _model.Events[index];
        var x = _axis.X(index);
        var y = Middle(lane);
        var top = Top(lane);
        _out.Append("<g class=\"ev ev-").Append(e.KindName).Append('"');
        _out.Append(e.Line > 0 ? " data-line=\"" : " data-step=\"").Append(N(e.Line > 0 ? e.Line : e.Step)).Append("\"><title>")
            .Append(Tooltip(e)).Append("</title>");
        var crash = !TraceEvent.IsNormalReason(e.Detail);
        switch (e.Kind)
        {
            case TimelineEventKind.Start:
                _out.Append($"<path class=\"m-start\" d=\"M{N(x - 4)},{N(y - 7)} L{N(x + 5)},{N(y)} L{N(x - 4)},{N(y + 7)} Z\"/>");
                break;
            case TimelineEventKind.Exit:
                _out.Append($"<circle class=\"{(crash ? "m-crash" : "m-exit")}\" cx=\"{N(x)}\" cy=\"{N(y)}\" r=\"{(crash ? "6" : "4.5")}\"/>");
                break;
            case TimelineEventKind.Stop when e.Detail == "killed":
                _out.Append($"<path class=\"m-killed\" d=\"M{N(x - 4.5)},{N(y - 4.5)} L{N(x + 4.5)},{N(y + 4.5)} M{N(x + 4.5)},{N(y - 4.5)} L{N(x - 4.5)},{N(y + 4.5)}\"/>");
                break;
            case TimelineEventKind.Stop:
                _out.Append($"<rect class=\"{(crash ? "m-stop-crash" : "m-stop")}\" x=\"{N(x - 4.5)}\" y=\"{N(y - 4.5)}\" width=\"9\" height=\"9\" rx=\"1.5\"/>");
                break;
            case TimelineEventKind.StartError:
                _out.Append($"<path class=\"m-start-error\" d=\"M{N(x)},{N(y - 7)} L{N(x + 7)},{N(y)} L{N(x)},{N(y + 7)} L{N(x - 7)},{N(y)} Z\"/>");
                break;
            case TimelineEventKind.Ignore:
                _out.Append($"<circle class=\"m-ignore\" cx=\"{N(x)}\" cy=\"{N(y)}\" r=\"4.5\"/>");
                break;
            case TimelineEventKind.Call:
                WriteCall(e, x, top);
                break;
            case TimelineEventKind.Reply:
                var failed = e.Detail.StartsWith("error:", StringComparison.Ordinal);
                _out.Append($"<circle class=\"{(failed ? "m-reply-error" : "m-reply")}\" cx=\"{N(x)}\" cy=\"{N(top + CallStrip)}\" r=\"3.5\"/>");
                break;
            case TimelineEventKind.Plan:
                _out.Append($"<path class=\"m-plan\" d=\"M{N(x)},{N(top + 2)} l4,4 l-4,4 l-4,-4 Z\"/>");
                break;
            case TimelineEventKind.GiveUp:
                _out.Append($"<path class=\"giveup-pole\" d=\"M{N(x)},{N(top + 1)} V{N(top + Height(lane) - 1)}\"/>")
                    .Append($"<path class=\"giveup-flag\" d=\"M{N(x)},{N(top + 1)} h58 l-6,6.5 l6,6.5 h-58 Z\"/>")
                    .Append($"<text class=\"giveup-text\" x=\"{N(x + 4)}\" y=\"{N(top + 11)}\">gave up</text>");
                break;
        }
        _out.Append("</g>");
        WriteReason(e, x, nextX, y);
    }

    /// <summary>A call: a mark where it arrived and a dashed line to its reply (the time the caller waited).</summary>
    private void WriteCall(TimelineEvent e, double x, double top)
    {
        var y = top + CallStrip;
        _out.Append($"<path class=\"m-call\" d=\"M{N(x - 4)},{N(y - 4.5)} L{N(x + 4.5)},{N(y)} L{N(x - 4)},{N(y + 4.5)} Z\"/>");
        var end = e.Partner >= 0 ? _axis.X(e.Partner) : _axis.Width - TimeAxis.Margin;
        if (end - x > 8)
        {
            _out.Append($"<path class=\"wait\" d=\"M{N(x + 5)},{N(y)} H{N(end - 4)}\"/>");
        }
    }

    /// <summary>The reason (or a call's name) beside its mark when it fits before the lane's next mark.</summary>
    private void WriteReason(TimelineEvent e, double x, double nextX, double y)
    {
        var (text, cssClass, at) = e.Kind switch
        {
            TimelineEventKind.Exit or TimelineEventKind.Stop when !TraceEvent.IsNormalReason(e.Detail) && e.Detail != "killed" => (e.Detail, "reason-crash", y + 4),
            TimelineEventKind.StartError => (e.Detail, "reason-error", y + 4),
            // A call's label goes after its reply: the call's name and its answer.
            TimelineEventKind.Reply => ($"{e.Call}: {e.Detail}", "reason-call", Top(_model.LaneByPath[e.Path]) + CallStrip + 3.5),
            TimelineEventKind.Call when e.Partner < 0 => (e.Call + ": no reply", "reason-call", Top(_model.LaneByPath[e.Path]) + CallStrip + 3.5),
            _ => ("", "", 0.0),
        };
        var room = nextX - x - 16;
        var fits = (int)(room / 6.2);
        if (text.Length == 0 || fits < 4)
        {
            return;
        }
        _out.Append("<text class=\"reason ").Append(cssClass).Append("\" x=\"").Append(N(x + 9)).Append("\" y=\"").Append(N(at)).Append("\">")
            .Append(_text.Text(text, Math.Min(fits, _limits.MaxTextChars))).Append("</text>");
    }

    private string Tooltip(TimelineEvent e)
    {
        var what = e.Kind switch
        {
            TimelineEventKind.Call => $"call {Text(e.Call)} on {PathText(e.Path)}{(e.Detail.Length > 0 ? " (" + Text(e.Detail) + ")" : "")}" +
                                      (e.Partner >= 0 ? $", answered at {Time(_model.Events[e.Partner].AtMs)}" : ", never answered"),
            TimelineEventKind.Reply => $"reply {Text(e.Call)} from {PathText(e.Path)}: {Text(e.Detail)}" +
                                       (e.Partner >= 0 ? $" (called at {Time(_model.Events[e.Partner].AtMs)})" : ""),
            TimelineEventKind.Plan => $"step on {PathText(e.Path)}: {Text(e.Detail)}",
            TimelineEventKind.GiveUp => $"{PathText(e.Path)} gives up: {Text(e.Detail)}; it stops its children and exits shutdown",
            _ => $"{e.KindName} {PathText(e.Path)}{(e.Detail.Length > 0 ? " " + Text(e.Detail) : "")}",
        };
        var source = e.Line > 0 ? $"trace line {N(e.Line)}" : e.Step > 0 ? $"step {N(e.Step)}" : "report";
        return $"{Time(e.AtMs)}: {what} [{source}]";
    }
}
