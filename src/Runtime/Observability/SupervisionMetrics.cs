using System.Diagnostics.Metrics;
using Supervision.Engine;

namespace Supervision.Runtime;

/// <summary>
/// The runtime's instruments, under the meter <see cref="MeterName"/>:
/// <c>supervision.restarts</c> (counter; tag <c>supervisor</c>),
/// <c>supervision.child.exits</c> (counter; tag <c>reason</c>: normal, shutdown, killed, abnormal),
/// <c>supervision.start.failures</c> (counter; tag <c>supervisor</c>),
/// <c>supervision.tasks.abandoned</c> (counter: killed children whose task was still running),
/// <c>supervision.tasks.abandoned.completed</c> (counter: abandoned tasks that finished later, ignored),
/// <c>supervision.children.live</c> (up-down counter).
/// </summary>
public sealed class SupervisionMetrics : IDisposable
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "Supervision.Runtime";

    private readonly Meter _meter = new(MeterName);
    private readonly Counter<long> _restarts;
    private readonly Counter<long> _exits;
    private readonly Counter<long> _startFailures;
    private readonly Counter<long> _abandoned;
    private readonly Counter<long> _abandonedCompleted;
    private readonly UpDownCounter<long> _live;
    private long _abandonedTotal;

    internal SupervisionMetrics()
    {
        _restarts = _meter.CreateCounter<long>("supervision.restarts", description: "Restarts decided after a child exited");
        _exits = _meter.CreateCounter<long>("supervision.child.exits", description: "Child exits by reason");
        _startFailures = _meter.CreateCounter<long>("supervision.start.failures", description: "Failed child starts");
        _abandoned = _meter.CreateCounter<long>("supervision.tasks.abandoned", description: "Killed children whose task was still running");
        _abandonedCompleted = _meter.CreateCounter<long>("supervision.tasks.abandoned.completed", description: "Abandoned tasks that finished later");
        _live = _meter.CreateUpDownCounter<long>("supervision.children.live", description: "Children running");
    }

    /// <summary>Abandoned tasks so far in this tree (also exported as <c>supervision.tasks.abandoned</c>).</summary>
    public long AbandonedTasks => Interlocked.Read(ref _abandonedTotal);

    internal void Restart(string supervisor) => _restarts.Add(1, new KeyValuePair<string, object?>("supervisor", supervisor));

    internal void Exit(ExitReason reason) => _exits.Add(1, new KeyValuePair<string, object?>("reason", reason.Kind switch
    {
        ExitReasonKind.Normal => "normal",
        ExitReasonKind.Shutdown or ExitReasonKind.ShutdownWithTerm => "shutdown",
        ExitReasonKind.Killed => "killed",
        _ => "abnormal",
    }));

    internal void StartFailure(string supervisor) => _startFailures.Add(1, new KeyValuePair<string, object?>("supervisor", supervisor));

    internal void Abandoned(bool stillRunning)
    {
        if (stillRunning)
        {
            Interlocked.Increment(ref _abandonedTotal);
            _abandoned.Add(1);
        }
    }

    internal void AbandonedCompleted() => _abandonedCompleted.Add(1);

    internal void LiveChildren(int delta) => _live.Add(delta);

    /// <inheritdoc />
    public void Dispose() => _meter.Dispose();
}
