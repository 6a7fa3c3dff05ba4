using Supervision.Engine;
using Supervision.Simulation.Scenarios;

namespace Supervision.Simulation.Replay;

/// <summary>What the next start attempt of a path does: start, ignore, or fail with an error.</summary>
/// <param name="Ignore">The attempt returns ignore.</param>
/// <param name="Error">The attempt fails with this error (when not ignored).</param>
internal readonly record struct PlannedStart(bool Ignore, ExitReason Error);

/// <summary>
/// The scenario's scripts for its children, shared by every driver so they read the steps the same way:
/// start plans (<c>fail_start</c>, <c>ignore_start</c>: a new step replaces the pending plan of its path)
/// and stop delays (<c>stop_delay</c>: from now on; <c>"never"</c> is null). Plans and delays on an instance
/// are consulted first, then those on its template.
/// </summary>
internal sealed class WorkerScript
{
    private readonly Dictionary<string, (int Remaining, PlannedStart Start)> _plans = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long?> _stopDelays = new(StringComparer.Ordinal);

    /// <summary>Records a plan or a delay step; false for other steps.</summary>
    public bool Apply(ScenarioStep step)
    {
        switch (step)
        {
            case FailStartStep fail:
                _plans[fail.Path] = (fail.Times, new PlannedStart(false, fail.Reason));
                return true;
            case IgnoreStartStep ignore:
                _plans[ignore.Path] = (ignore.Times, new PlannedStart(true, default));
                return true;
            case StopDelayStep delay:
                _stopDelays[delay.Path] = delay.DelayMs;
                return true;
            default:
                return false;
        }
    }

    /// <summary>Consumes one attempt of the plan of <paramref name="path"/> (or, failing that, of <paramref name="fallback"/>); null: the start succeeds.</summary>
    public PlannedStart? TakeStart(string path, string? fallback)
    {
        var key = _plans.ContainsKey(path) ? path : fallback is not null && _plans.ContainsKey(fallback) ? fallback : null;
        if (key is null)
        {
            return null;
        }
        var (remaining, start) = _plans[key];
        if (remaining <= 1)
        {
            _plans.Remove(key);
        }
        else
        {
            _plans[key] = (remaining - 1, start);
        }
        return start;
    }

    /// <summary>How long the child at <paramref name="path"/> takes to stop when asked (its own delay, else its template's); null: never.</summary>
    public long? StopDelay(string path)
    {
        if (_stopDelays.TryGetValue(path, out var delay))
        {
            return delay;
        }
        var hash = path.LastIndexOf('#');
        return hash > path.LastIndexOf('/') && _stopDelays.TryGetValue(path[..hash], out var templateDelay) ? templateDelay : 0;
    }
}
