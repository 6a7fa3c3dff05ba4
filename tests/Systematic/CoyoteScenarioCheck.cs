using Supervision.Runtime;
using Supervision.Runtime.Scheduling;
using Supervision.Simulation.Exploration;
using Supervision.Simulation.Replay;
using Supervision.Simulation.RuntimeReplay;
using Supervision.Simulation.Scenarios;

namespace Supervision.Systematic.Tests;

/// <summary>
/// One Coyote iteration of a scenario: the real runtime on <see cref="CoyoteDriverScheduler"/>
/// (every work item a Coyote-controlled task, time virtual), judged as the explorer judges a run: the
/// engine's trace (unless in race mode), no fault, no deadlock, nothing left over, no invariant broken.
/// </summary>
/// <param name="scenario">The scenario.</param>
/// <param name="race">Apply same-instant steps concurrently (judged by the invariants only).</param>
/// <param name="asyncStarts">Every child's start waits once (the runtime's asynchronous start path).</param>
/// <param name="configure">Plugs runtime pieces in (the broken ones, for the bug hunts).</param>
internal sealed class CoyoteScenarioCheck(Scenario scenario, bool race = false, bool asyncStarts = false, Func<SupervisionTreeOptions, SupervisionTreeOptions>? configure = null)
{
    private readonly string? _expected = race ? null : Explorer.Canonical(ScenarioSimulator.Run(scenario, includeReports: false));

    /// <summary>Runs the scenario once; throws <see cref="ScenarioCheckFailedException"/> when a check fails (Coyote then reports a bug).</summary>
    public void RunOnce()
    {
        var scheduler = new CoyoteDriverScheduler();
        SimulationResult result;
        try
        {
            result = RuntimeScenarioRunner.Run(scenario, scheduler, includeReports: false, configure, raceSameInstantSteps: race, asyncStarts);
        }
        catch (InvalidOperationException error)
        {
            throw new ScenarioCheckFailedException("runtime-error", error.Message);
        }
        var trace = result.TraceText();
        if (result.Outcome == RunOutcome.Stuck)
        {
            throw new ScenarioCheckFailedException("deadlock", $"the tree stopped making progress with work still pending\n{trace}");
        }
        if (scheduler.PendingWorkCount != 0 || scheduler.ReadyCount != 0 || scheduler.Clock.TryGetNextDue(out _))
        {
            throw new ScenarioCheckFailedException("leftover-work", $"after the tree stopped: {scheduler.PendingWorkCount} pool items, {scheduler.ReadyCount} driver items, timers pending\n{trace}");
        }
        if (result.Violations.Count > 0)
        {
            throw new ScenarioCheckFailedException("invariant", $"{string.Join("; ", result.Violations)}\n{trace}");
        }
        if (_expected is not null && Explorer.Canonical(result) is var actual && actual != _expected)
        {
            throw new ScenarioCheckFailedException("trace", $"expected the engine's trace\n{_expected}\ngot\n{actual}\n(steps {scheduler.StepsRun}, outcome {result.Outcome}, lines {result.Lines.Count}, faults {scheduler.Faults.Count}, escaped {scheduler.EscapedWorkCount}, completion {result.EndMs})");
        }
    }
}

/// <summary>A scenario run under Coyote broke one of the explorer's checks.</summary>
internal sealed class ScenarioCheckFailedException(string check, string message) : Exception($"{check}: {message}")
{
    public string Check { get; } = check;
}
