using System.Diagnostics.Metrics;
using Supervision.Engine;

namespace Supervision.Runtime;

/// <summary>
/// The runtime's instruments, under the meter <see cref="MeterName"/>:
/// <c>supervision.restarts</c> (counter; tag <c>supervisor</c>),
/// <c>supervision.child.exits</c> (counter; tag <c>reason</c>: normal, shutdown, killed, abnormal),
/// <c>supervision.start.failures</c> (counter; tag <c>supervisor</c>),
/// <c>supervision.tasks.rogue</c> (counter: killed children whose task outlived the kill grace),
/// <c>supervision.tasks.rogue.ended</c> (counter: rogue tasks that ended later),
/// <c>supervision.children.live</c> (up-down counter). Every measurement also carries the tag <c>tree</c>:
/// the root supervisor's id.
/// </summary>
public sealed class SupervisionMetrics : IDisposable
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "Supervision.Runtime";

    // One meter for the process, as .NET's metrics guidance recommends; every tree reports into it.
    private static readonly Meter SharedMeter = new(MeterName);
    private static readonly Counter<long> _restarts = SharedMeter.CreateCounter<long>("supervision.restarts", description: "Restarts decided after a child exited");
    private static readonly Counter<long> _exits = SharedMeter.CreateCounter<long>("supervision.child.exits", description: "Child exits by reason");
    private static readonly Counter<long> _startFailures = SharedMeter.CreateCounter<long>("supervision.start.failures", description: "Failed child starts");
    private static readonly Counter<long> _rogue = SharedMeter.CreateCounter<long>("supervision.tasks.rogue", description: "Killed children whose task outlived the kill grace");
    private static readonly Counter<long> _rogueEnded = SharedMeter.CreateCounter<long>("supervision.tasks.rogue.ended", description: "Rogue tasks that ended later");
    private static readonly UpDownCounter<long> _live = SharedMeter.CreateUpDownCounter<long>("supervision.children.live", description: "Children running");
    private readonly KeyValuePair<string, object?> _tree;
    private long _rogueTotal;

    internal SupervisionMetrics(string rootId) => _tree = new KeyValuePair<string, object?>("tree", rootId);

    /// <summary>Rogue tasks so far in this tree (also exported as <c>supervision.tasks.rogue</c>).</summary>
    public long RogueTasks => Interlocked.Read(ref _rogueTotal);

    internal void Restart(string supervisor) => _restarts.Add(1, _tree, new KeyValuePair<string, object?>("supervisor", supervisor));

    internal void Exit(ExitReason reason) => _exits.Add(1, _tree, new KeyValuePair<string, object?>("reason", reason.Kind switch
    {
        ExitReasonKind.Normal => "normal",
        ExitReasonKind.Shutdown or ExitReasonKind.ShutdownWithTerm => "shutdown",
        ExitReasonKind.Killed => "killed",
        _ => "abnormal",
    }));

    internal void StartFailure(string supervisor) => _startFailures.Add(1, _tree, new KeyValuePair<string, object?>("supervisor", supervisor));

    internal void Rogue()
    {
        Interlocked.Increment(ref _rogueTotal);
        _rogue.Add(1, _tree);
    }

    internal void RogueEnded() => _rogueEnded.Add(1, _tree);

    internal void LiveChildren(int delta) => _live.Add(delta, _tree);

    /// <summary>Nothing to release: the meter is shared by every tree (kept for API stability).</summary>
    public void Dispose()
    {
    }
}
