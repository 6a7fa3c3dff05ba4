using Supervision.Engine;
using Supervision.Simulation.Generation;
using Supervision.Simulation.Invariants;
using Supervision.Simulation.Replay;
using Supervision.Simulation.Scenarios;

namespace Supervision.Simulation.Checking;

/// <summary>
/// Which of the situations <see cref="SituationBuilder"/> aims at a run actually produced, read from its trace
/// (not from the scenario's name): a generator that wrote the steps but missed the timing shows up as a gap in
/// the coverage table.
/// </summary>
public static class SituationCoverage
{
    /// <summary>The situations every coverage table lists, each prefixed <c>situation: </c>.</summary>
    public static IReadOnlyList<string> Names => SituationBuilder.Names;

    /// <summary>The situations of <see cref="Names"/> that <paramref name="lines"/>, a trace of <paramref name="scenario"/>, shows.</summary>
    /// <param name="scenario">The scenario that ran.</param>
    /// <param name="lines">Its trace.</param>
    public static IReadOnlySet<string> Seen(Scenario scenario, IReadOnlyList<TraceLine> lines)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(lines);
        var events = new TraceEvent?[lines.Count];
        for (var i = 0; i < lines.Count; i++)
        {
            events[i] = lines[i].IsComment ? null : TraceEvent.TryParse(lines[i].Text);
        }
        return Seen(scenario, lines, events);
    }

    /// <summary>As <see cref="Seen(Scenario, IReadOnlyList{TraceLine})"/>, with each line's event already read (null for a comment or an unreadable line).</summary>
    internal static IReadOnlySet<string> Seen(Scenario scenario, IReadOnlyList<TraceLine> lines, TraceEvent?[] events)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var specs = new SpecLookup(scenario);
        var endedForGood = new HashSet<string>(StringComparer.Ordinal);
        var started = new HashSet<string>(StringComparer.Ordinal);
        var deletedUnder = new HashSet<string>(StringComparer.Ordinal);
        var kills = new List<(string Path, long At)>();
        var stops = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < lines.Count; i++)
        {
            if (events[i] is not { } e)
            {
                continue;
            }
            switch (e.Kind)
            {
                case TraceEventKind.Exit when specs.Child(e.Path) is { Significant: true } spec && EndsForGood(spec, e.Detail):
                    endedForGood.Add(e.Path);
                    break;
                case TraceEventKind.StartError when SiblingEndedForGood(endedForGood, e):
                    seen.Add(SituationBuilder.SignificantWhileRestarting);
                    break;
                case TraceEventKind.Ignore when e.Parent is { } sup && started.Contains(e.Path) && deletedUnder.Contains(sup)
                    && i + 1 < lines.Count && lines[i + 1].Text == $"reply start_child {sup} ok:undefined":
                    seen.Add(SituationBuilder.ReAddedIgnoredStart);
                    break;
                case TraceEventKind.Stop when e.Detail == "killed":
                    kills.Add((e.Path, lines[i].AtMs));
                    break;
                case TraceEventKind.Reply when e.Call == "delete_child" && e.Detail == "ok":
                    deletedUnder.Add(e.Path);
                    break;
            }
            if (e.Kind == TraceEventKind.Stop)
            {
                stops.Add(e.Path);
            }
            if (e.Kind is TraceEventKind.Start or TraceEventKind.Stop)
            {
                endedForGood.Remove(e.Path);
                started.Add(e.Path);
            }
        }
        if (scenario.Steps.OfType<ExitStep>().Any(exit => kills.Exists(kill => kill.Path == exit.Path && Math.Abs(kill.At - exit.At) <= 1))
            || scenario.Steps.OfType<StopDelayStep>().Any(delay => stops.Contains(delay.Path) && specs.Child(delay.Path)?.EffectiveShutdown is { Kind: ShutdownKind.Timeout } shutdown
                && delay.DelayMs is { } ms && Math.Abs(ms - shutdown.TimeoutMs) <= 1))
        {
            seen.Add(SituationBuilder.OwnEndRacesKill);
        }
        return seen;
    }

    /// <summary>A sibling of the child <paramref name="e"/> names has ended for good (a loop with no closure per line).</summary>
    private static bool SiblingEndedForGood(HashSet<string> endedForGood, TraceEvent e)
    {
        foreach (var path in endedForGood)
        {
            if (path != e.Path && Parent(path) == e.Parent)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>The exit means no restart: temporary, or transient with a normal reason.</summary>
    private static bool EndsForGood(ChildSpec spec, string reason) =>
        spec.Restart == RestartType.Temporary || (spec.Restart == RestartType.Transient && TraceEvent.IsNormalReason(reason));

    private static string? Parent(string path) => path.LastIndexOf('/') is var cut and > 0 ? path[..cut] : null;
}
