using Supervision.Simulation.Scenarios;

namespace Supervision.Simulation.Replay;

/// <summary>Adds up a growing trace's length, line by line as lines arrive, against <see cref="ScenarioLimits.MaxTraceLength"/>.</summary>
internal sealed class TraceLengthCounter
{
    private long _length;
    private int _counted;

    /// <summary>Null while <paramref name="trace"/> is within the limit; otherwise the limit's message.</summary>
    public string? Exceeded(IReadOnlyList<TraceLine> trace, ScenarioLimits limits)
    {
        for (; _counted < trace.Count; _counted++)
        {
            _length += trace[_counted].Text.Length + 1;
        }
        return _length <= limits.MaxTraceLength
            ? null
            : ScenarioLimits.Exceeded("characters of trace", limits.MaxTraceLength, "--max-trace-length", nameof(ScenarioLimits.MaxTraceLength));
    }
}
