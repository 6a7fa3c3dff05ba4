using System.Text;
using Supervision.Simulation.Invariants;
using static Supervision.Simulation.Timeline.HtmlText;

namespace Supervision.Simulation.Timeline;

/// <summary>
/// The page around the picture: what was run, a count of what happened, a legend, notes on what was left out,
/// the chart, and a table of the restart episodes. Well-formed XML as well as HTML (only the five XML entities
/// are used), and a content security policy that forbids scripts and every network request.
/// </summary>
internal static class TimelineHtml
{
    public static string Write(TimelineModel model, TimelineLimits limits)
    {
        var output = new StringBuilder(64 * 1024);
        var text = new ScenarioText(limits);
        output.Append("<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\"><head><meta charset=\"utf-8\"/>")
            .Append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\"/>")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>")
            .Append("<title>timeline: ").Append(text.Text(model.Title ?? Path.GetFileName(model.SourceFile))).Append("</title>")
            .Append("<style>").Append(TimelineStyle.Css).Append("</style></head>\n<body>");
        WriteHeader(output, model, text);
        WriteLegend(output);
        WriteNotes(output, model, limits, text);
        TimelineSvg.Write(output, model, limits, text);
        WriteEpisodes(output, model, limits, text);
        output.Append("<footer>Time is the scenario's virtual time. Each instant is widened to hold its events side by side in the order ")
            .Append("they happened; the idle time between instants is drawn on a log scale (its length is printed above the axis). ")
            .Append("A band groups the stops and starts of one restart, coloured by the supervisor's strategy; the dashed line and ring ")
            .Append("lead to the exit that caused it. Under a supervisor, its restart attempts in the sliding window are drawn against its ")
            .Append("intensity (dashed line); one more than the intensity and it gives up. Hover any mark for its trace line.</footer>")
            .Append("</body></html>\n");
        return output.ToString();
    }

    private static void WriteHeader(StringBuilder output, TimelineModel model, ScenarioText text)
    {
        var events = model.Events;
        int Count(TimelineEventKind kind, Func<TimelineEvent, bool>? also = null) => events.Count(e => e.Kind == kind && (also?.Invoke(e) ?? true));
        var restarts = model.Episodes.Count(e => !e.GaveUp);
        var giveUps = Count(TimelineEventKind.GiveUp);
        output.Append("<header><h1>").Append(text.Path(model.SourceFile)).Append(" <span>timeline, run on the ")
            .AppendEscaped(model.Driver).Append("</span></h1>");
        if (model.Title is { } title)
        {
            output.Append("<p class=\"name\">").Append(text.Text(title, 800)).Append("</p>");
        }
        output.Append("<p class=\"meta\">");
        Pill(output, $"0 to {Time(model.EndMs)}");
        Pill(output, Counted(model.Lanes.Count, "lane"));
        Pill(output, Counted(events.Count, "event"));
        Pill(output, Counted(Count(TimelineEventKind.Start), "start"));
        Pill(output, Counted(Count(TimelineEventKind.Exit, e => !TraceEvent.IsNormalReason(e.Detail)), "crash", "crashes"));
        Pill(output, Counted(restarts, "restart"));
        Pill(output, Counted(Count(TimelineEventKind.Stop, e => e.Detail == "killed"), "kill"));
        Pill(output, Counted(Count(TimelineEventKind.StartError), "start error"));
        Pill(output, Counted(Count(TimelineEventKind.Call), "call"));
        Pill(output, Counted(giveUps, "give-up"), giveUps > 0);
        if (model.Stuck)
        {
            Pill(output, "stuck: the tree could make no more progress", bad: true);
        }
        output.Append("</p></header>");
    }

    private static string Counted(int count, string one, string? many = null) => $"{N(count)} {(count == 1 ? one : many ?? one + "s")}";

    private static void Pill(StringBuilder output, string text, bool bad = false) =>
        output.Append(bad ? "<span class=\"pill bad\">" : "<span class=\"pill\">").AppendEscaped(text).Append("</span>");

    private static void WriteLegend(StringBuilder output)
    {
        output.Append("<div class=\"legend\">");
        Key(output, "<rect class=\"life-w\" x=\"1\" y=\"5\" width=\"20\" height=\"8\" rx=\"3\"/>", "worker running");
        Key(output, "<rect class=\"life-s\" x=\"1\" y=\"5\" width=\"20\" height=\"8\" rx=\"3\"/>", "supervisor running");
        Key(output, "<rect class=\"life-init\" x=\"1\" y=\"5\" width=\"20\" height=\"8\" rx=\"3\"/>", "supervisor starting its children");
        Key(output, "<path class=\"m-start\" d=\"M7,3 L16,9 L7,15 Z\"/>", "start");
        Key(output, "<circle class=\"m-crash\" cx=\"11\" cy=\"9\" r=\"6\"/>", "exit (crash)");
        Key(output, "<circle class=\"m-exit\" cx=\"11\" cy=\"9\" r=\"4.5\"/>", "exit normal/shutdown");
        Key(output, "<rect class=\"m-stop\" x=\"6.5\" y=\"4.5\" width=\"9\" height=\"9\" rx=\"1.5\"/>", "stopped");
        Key(output, "<path class=\"m-killed\" d=\"M6.5,4.5 L15.5,13.5 M15.5,4.5 L6.5,13.5\"/>", "killed");
        Key(output, "<path class=\"m-start-error\" d=\"M11,2 L18,9 L11,16 L4,9 Z\"/>", "start error");
        Key(output, "<circle class=\"m-ignore\" cx=\"11\" cy=\"9\" r=\"4.5\"/>", "ignore");
        Key(output, "<path class=\"m-call\" d=\"M3,5 L11,5 L7,12 Z\"/><path class=\"wait\" d=\"M11,8 H17\"/><circle class=\"m-reply\" cx=\"19\" cy=\"8\" r=\"2.5\"/>", "call, wait, reply");
        foreach (var (strategy, name) in new[] { ("one_for_one", "one_for_one"), ("one_for_all", "one_for_all"), ("rest_for_one", "rest_for_one"), ("simple_one_for_one", "instance") })
        {
            var colour = TimelineStyle.BandColour(strategy, gaveUp: false);
            Key(output, $"<rect x=\"1\" y=\"2\" width=\"20\" height=\"14\" rx=\"4\" fill=\"{colour}\" fill-opacity=\"0.18\" stroke=\"{colour}\"/>", $"{name} restart");
        }
        Key(output, "<path class=\"giveup-flag\" d=\"M3,3 h16 l-4,5 l4,5 h-16 Z\"/>", "gave up");
        Key(output, "<rect class=\"b-ok\" x=\"1\" y=\"9\" width=\"7\" height=\"7\"/><rect class=\"b-at\" x=\"8\" y=\"5\" width=\"7\" height=\"11\"/><rect class=\"b-over\" x=\"15\" y=\"1\" width=\"6\" height=\"15\"/>", "restarts in window vs limit");
        output.Append("</div>");
    }

    private static void Key(StringBuilder output, string icon, string text) =>
        output.Append("<span><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"22\" height=\"18\" aria-hidden=\"true\">").Append(icon)
            .Append("</svg>").Append(text).Append("</span>");

    private static void WriteNotes(StringBuilder output, TimelineModel model, TimelineLimits limits, ScenarioText text)
    {
        var notes = new List<string>();
        if (model.HasOmission)
        {
            notes.Add(Escape($"This run has {N(model.Events.Count)} events, more than the {N(limits.MaxEvents)} marks a picture holds: the " +
                      $"{N(model.OmittedTo - model.OmittedFrom)} events from {Time(model.Events[model.OmittedFrom].AtMs)} to " +
                      $"{Time(model.Events[model.OmittedTo - 1].AtMs)} are left out (the hatched column); the picture shows the run's " +
                      "beginning and its end. supervise replay prints every line."));
        }
        if (model.HiddenLanes > 0)
        {
            var hidden = model.Lanes.Where(lane => lane.Row < 0).ToList();
            var names = string.Join(", ", hidden.Take(12).Select(lane => text.Path(lane.Path)));
            notes.Add(Escape($"{N(hidden.Count)} more lanes are not drawn (at most {N(limits.MaxLanes)}), with {N(hidden.Sum(lane => lane.EventCount))} events: ") +
                      names + (hidden.Count > 12 ? ", ..." : "") + ".");
        }
        foreach (var note in notes)
        {
            output.Append("<p class=\"notes\">").Append(note).Append("</p>");
        }
    }

    private static void WriteEpisodes(StringBuilder output, TimelineModel model, TimelineLimits limits, ScenarioText text)
    {
        if (model.Episodes.Count == 0)
        {
            return;
        }
        output.Append("<h2>Restarts and give-ups</h2><table><thead><tr><th>at</th><th>supervisor</th><th>what</th><th>caused by</th><th>reason</th>")
            .Append("<th>children stopped and started</th><th class=\"num\">attempts</th></tr></thead><tbody>");
        foreach (var episode in model.Episodes.Take(limits.MaxEpisodeRows))
        {
            var colour = TimelineStyle.BandColour(episode.Strategy, episode.GaveUp);
            var children = string.Join(", ", episode.Children.Take(8).Select(c => text.Text(c[(c.LastIndexOf('/') + 1)..], 32)))
                + (episode.Children.Count > 8 ? $" and {N(episode.Children.Count - 8)} more" : "");
            output.Append("<tr><td class=\"num\">").Append(Time(model.Events[episode.First].AtMs)).Append("</td><td>")
                .Append(text.Path(episode.Supervisor)).Append("</td><td><span class=\"swatch\" style=\"background:")
                .Append(colour).Append("\"></span>").Append(episode.GaveUp ? "gave up" : Escape(episode.Strategy) + " restart").Append("</td><td>")
                .Append(text.Path(episode.Cause)).Append("</td><td>").Append(text.Text(episode.Reason))
                .Append("</td><td>").Append(children).Append("</td><td class=\"num\">").Append(N(episode.Attempts))
                .Append("</td></tr>");
        }
        output.Append("</tbody></table>");
        if (model.Episodes.Count > limits.MaxEpisodeRows)
        {
            output.Append("<p class=\"notes\">").Append(N(model.Episodes.Count - limits.MaxEpisodeRows)).Append(" more not listed.</p>");
        }
    }
}
