using Supervision.Simulation.Replay;
using Supervision.Simulation.Scenarios;

namespace Supervision.Simulation.RuntimeReplay;

/// <summary>
/// Holding a replay through the runtime to the scenario's limits. The runtime counts no engine events, so
/// the replay counts the runtime's steps instead: the scheduler's work items, and the notices the tree sends,
/// since a supervisor can run a whole restart loop inside one work item. It may take
/// <see cref="ScenarioLimits.RuntimeWorkItemsPerEvent"/> of them per engine event the limits allow.
/// </summary>
public sealed partial class RuntimeScenarioRunner
{
    private readonly TraceLengthCounter _traceLength = new();
    private long _notices;
    private string? _exceeded;

    private long Budget => _scenario.Limits.MaxEngineEvents > long.MaxValue / ScenarioLimits.RuntimeWorkItemsPerEvent
        ? long.MaxValue
        : _scenario.Limits.MaxEngineEvents * ScenarioLimits.RuntimeWorkItemsPerEvent;

    /// <summary>The scheduler's <c>RunUntilIdle</c> with what is left of the budget; throws once a limit is exceeded.</summary>
    /// <exception cref="ScenarioLimitExceededException">The run went over a limit; there is no trace.</exception>
    private void RunWithinLimits(TimeSpan? until = null)
    {
        // A scheduler that stops at its bound drops the item it had picked: stopping there is only for good.
        if (!_scheduler.RunUntilIdle(until, Math.Max(0, Budget - _scheduler.StepsRun - _notices)))
        {
            _exceeded ??= StepsExceeded();
        }
        CountTrace();
        if (_exceeded is not null)
        {
            throw new ScenarioLimitExceededException(_scenario.SourceFile, _exceeded);
        }
    }

    /// <summary>
    /// Counts one notice. Over a limit it throws, into the supervisor that sent the notice: the runtime takes
    /// that supervisor's subtree down as faulted, every later notice throws too, so the whole tree comes
    /// down quickly, and <see cref="RunWithinLimits"/> then reports the limit.
    /// </summary>
    private void CountNotice()
    {
        if (_exceeded is null && ++_notices + _scheduler.StepsRun <= Budget && CountTrace())
        {
            return;
        }
        _exceeded ??= StepsExceeded();
        throw new ScenarioLimitExceededException(_scenario.SourceFile, _exceeded);
    }

    /// <summary>Adds up the trace printed so far; false (and the limit noted) when it is too long.</summary>
    private bool CountTrace()
    {
        if (_traceLength.Exceeded(_trace, _scenario.Limits) is not { } exceeded)
        {
            return true;
        }
        _exceeded ??= exceeded;
        return false;
    }

    private string StepsExceeded() => ScenarioLimits.Exceeded(
        $"runtime steps (work items and notices, {ScenarioLimits.RuntimeWorkItemsPerEvent} per engine event)", Budget, "--max-events", nameof(ScenarioLimits.MaxEngineEvents));
}
