using Supervision.Engine;
using Supervision.Simulation.Generation;
using Supervision.Simulation.Invariants;
using Supervision.Simulation.Replay;
using Supervision.Simulation.Scenarios;

namespace Supervision.Simulation.Checking;

/// <summary>
/// Counts what a run exercised, so a summary shows that the generator reaches the interesting states
/// (Antithesis's "sometimes" assertions, FoundationDB's TEST() probes): strategies and fault kinds present,
/// and the behaviours the invariants are about actually happening in traces.
/// </summary>
internal static class Coverage
{
    // The labels, made once: a campaign counts tens of thousands of runs, and formatting an enum each time showed
    // up as a fifth of a generated scenario's cost.
    private static readonly (FaultKinds Kind, string Label)[] FaultLabels = [.. Enum.GetValues<FaultKinds>()
        .Where(kind => kind != FaultKinds.None && kind != FaultKinds.All && IsSingleBit(kind))
        .Select(kind => (kind, $"fault: {kind}"))];

    private static readonly Dictionary<RestartStrategy, string> StrategyLabels = Labels<RestartStrategy>("strategy");

    private static readonly Dictionary<AutoShutdown, string> AutoShutdownLabels = Labels<AutoShutdown>("auto_shutdown");

    private static readonly Dictionary<RestartType, string> RestartTypeLabels = Labels<RestartType>("restart type");

    // Call names come from the trace; the format has a handful. Campaign shards count on several threads at once.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> CallLabels = new(StringComparer.Ordinal);

    public static void Count(IDictionary<string, int> counts, Scenario scenario, SimulationResult result, FaultKinds faults)
    {
        CountStrategies(counts, scenario.Tree);
        foreach (var (kind, label) in FaultLabels)
        {
            if ((faults & kind) == kind)
            {
                Add(counts, label);
            }
        }
        var started = new HashSet<string>(StringComparer.Ordinal);
        var behaviours = new HashSet<string>(StringComparer.Ordinal);
        HashSet<string>? exited = null;
        // Each line read once, here and for the situations below.
        var events = new TraceEvent?[result.Lines.Count];
        for (var i = 0; i < result.Lines.Count; i++)
        {
            var line = result.Lines[i];
            var text = line.Text;
            if (text.StartsWith("# report ", StringComparison.Ordinal))
            {
                if (text.Contains(" reached_max_restart_intensity ", StringComparison.Ordinal))
                {
                    behaviours.Add("behaviour: gave up (intensity)");
                }
                if (text.Contains(" shutdown_error ", StringComparison.Ordinal))
                {
                    behaviours.Add("behaviour: shutdown_error");
                }
                if (text.Contains(" restart_delayed ", StringComparison.Ordinal))
                {
                    behaviours.Add("behaviour: restart delayed (backoff)");
                }
                continue;
            }
            if (line.IsComment || (events[i] = TraceEvent.TryParse(text)) is not { } e)
            {
                continue;
            }
            switch (e.Kind)
            {
                case TraceEventKind.Start when !started.Add(e.Path):
                    behaviours.Add("behaviour: restart");
                    break;
                case TraceEventKind.StartError:
                    behaviours.Add("behaviour: start failure");
                    break;
                case TraceEventKind.Ignore:
                    behaviours.Add("behaviour: ignore");
                    break;
                case TraceEventKind.Stop when e.Detail == "killed":
                    behaviours.Add("behaviour: kill");
                    break;
                case TraceEventKind.Exit when !(exited ??= [.. scenario.Steps.OfType<ExitStep>().Select(step => step.Path)]).Contains(e.Path):
                    behaviours.Add(e.Path.Contains('/') ? "behaviour: child supervisor exited (cascade)" : "behaviour: root exited on its own");
                    break;
                case TraceEventKind.Reply:
                    behaviours.Add(CallLabels.GetOrAdd(e.Call, call => $"call: {call}"));
                    break;
            }
        }
        foreach (var situation in SituationCoverage.Seen(scenario, result.Lines, events))
        {
            behaviours.Add("situation: " + situation);
        }
        if (result.StaleEvents > 0)
        {
            behaviours.Add("behaviour: stale event ignored");
        }
        foreach (var behaviour in behaviours)
        {
            Add(counts, behaviour);
        }
    }

    private static void CountStrategies(IDictionary<string, int> counts, SupervisorSpec spec)
    {
        Add(counts, StrategyLabels[spec.Strategy]);
        if (spec.Backoff is not null)
        {
            Add(counts, "backoff: on");
        }
        if (spec.AutoShutdown != AutoShutdown.Never)
        {
            Add(counts, AutoShutdownLabels[spec.AutoShutdown]);
        }
        foreach (var child in spec.Children)
        {
            Add(counts, RestartTypeLabels[child.Restart]);
            if (child.Supervisor is { } nested)
            {
                CountStrategies(counts, nested);
            }
        }
    }

    private static Dictionary<T, string> Labels<T>(string what)
        where T : struct, Enum => Enum.GetValues<T>().ToDictionary(value => value, value => $"{what}: {value}");

    private static bool IsSingleBit(FaultKinds kind) => ((int)kind & ((int)kind - 1)) == 0;

    private static void Add(IDictionary<string, int> counts, string key) => counts[key] = counts.TryGetValue(key, out var n) ? n + 1 : 1;
}
