using Supervision.Engine;
using Supervision.Simulation.Generation;
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
    public static void Count(IDictionary<string, int> counts, Scenario scenario, SimulationResult result, FaultKinds faults)
    {
        CountStrategies(counts, scenario.Tree);
        foreach (var kind in Enum.GetValues<FaultKinds>())
        {
            if (kind != FaultKinds.None && kind != FaultKinds.All && (faults & kind) == kind && IsSingleBit(kind))
            {
                Add(counts, $"fault: {kind}");
            }
        }
        var started = new HashSet<string>(StringComparer.Ordinal);
        var behaviours = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in result.Lines)
        {
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
            var parts = text.Split(' ');
            switch (parts[0])
            {
                case "start" when !started.Add(parts[1]):
                    behaviours.Add("behaviour: restart");
                    break;
                case "start_error":
                    behaviours.Add("behaviour: start failure");
                    break;
                case "ignore":
                    behaviours.Add("behaviour: ignore");
                    break;
                case "stop" when parts.Length > 2 && parts[2] == "killed":
                    behaviours.Add("behaviour: kill");
                    break;
                case "exit" when scenario.Steps.OfType<ExitStep>().All(s => s.Path != parts[1]):
                    behaviours.Add(parts[1].Contains('/') ? "behaviour: child supervisor exited (cascade)" : "behaviour: root exited on its own");
                    break;
                case "reply":
                    behaviours.Add($"call: {parts[1]}");
                    break;
            }
        }
        foreach (var situation in SituationCoverage.Seen(scenario, result.Lines))
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
        Add(counts, $"strategy: {spec.Strategy}");
        if (spec.Backoff is not null)
        {
            Add(counts, "backoff: on");
        }
        if (spec.AutoShutdown != AutoShutdown.Never)
        {
            Add(counts, $"auto_shutdown: {spec.AutoShutdown}");
        }
        foreach (var child in spec.Children)
        {
            Add(counts, $"restart type: {child.Restart}");
            if (child.Supervisor is { } nested)
            {
                CountStrategies(counts, nested);
            }
        }
    }

    private static bool IsSingleBit(FaultKinds kind) => ((int)kind & ((int)kind - 1)) == 0;

    private static void Add(IDictionary<string, int> counts, string key) => counts[key] = counts.TryGetValue(key, out var n) ? n + 1 : 1;
}
