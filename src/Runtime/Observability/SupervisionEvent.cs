using Supervision.Engine;

namespace Supervision.Runtime;

/// <summary>The kind of a <see cref="SupervisionEvent"/>.</summary>
public enum SupervisionEventKind
{
    /// <summary>A child's start succeeded (a first start or a restart).</summary>
    ChildStarted,
    /// <summary>A child's start failed.</summary>
    ChildStartFailed,
    /// <summary>A child's start returned ignore.</summary>
    ChildIgnored,
    /// <summary>A child exited on its own and its supervisor restarts it, removes it, or leaves it down (OTP's child_terminated report when abnormal).</summary>
    ChildTerminated,
    /// <summary>A supervisor terminated a child; <see cref="SupervisionEvent.Reason"/> is how it ended.</summary>
    ChildStopped,
    /// <summary>A terminated child did not end as asked (OTP's shutdown_error).</summary>
    ShutdownError,
    /// <summary>A supervisor exceeded its restart intensity and gives up; see <see cref="SupervisionEvent.RestartWindow"/>.</summary>
    GaveUp,
    /// <summary>A supervisor finished its init.</summary>
    SupervisorStarted,
    /// <summary>A supervisor exited.</summary>
    SupervisorExited,
    /// <summary>A killed child's task outlived the kill grace and was abandoned (see <see cref="RogueTask"/>).</summary>
    RogueTask,
    /// <summary>
    /// Not something that happened in the tree: this event-stream reader fell behind and lost
    /// <see cref="SupervisionEvent.DroppedCount"/> events, the oldest it had not read, at this point of the
    /// stream (see <see cref="SupervisionTreeOptions.EventBufferCapacity"/>). <see cref="SupervisionEvent.At"/>
    /// is the time of the last one lost.
    /// </summary>
    EventsDropped,
    /// <summary>A restart waits for its backoff delay (<see cref="SupervisionEvent.RestartDelay"/>); only with a supervisor's backoff set.</summary>
    RestartDelayed,
}

/// <summary>Something that happened in a tree, on the tree's clock.</summary>
/// <param name="At">Time since the tree started.</param>
/// <param name="Kind">What happened.</param>
/// <param name="SupervisorPath">The supervisor it happened in.</param>
/// <param name="ChildPath">The child concerned, if any.</param>
/// <param name="Reason">The exit reason, start error or report reason.</param>
public sealed record SupervisionEvent(TimeSpan At, SupervisionEventKind Kind, string SupervisorPath, string? ChildPath, ExitReason Reason)
{
    /// <summary>
    /// For <see cref="SupervisionEventKind.GaveUp"/>: the restart window, every attempt counted and the newest
    /// (at most <see cref="RestartWindowReport.ItemisedLimit"/>) itemised, oldest first.
    /// </summary>
    public RestartWindowReport? RestartWindow { get; init; }

    /// <summary>For <see cref="SupervisionEventKind.EventsDropped"/>: how many events this reader lost here.</summary>
    public long DroppedCount { get; init; }

    /// <summary>For <see cref="SupervisionEventKind.RestartDelayed"/>: how long the restart waits.</summary>
    public TimeSpan? RestartDelay { get; init; }

    /// <inheritdoc />
    public override string ToString() => Kind == SupervisionEventKind.EventsDropped
        ? $"{At.TotalMilliseconds:0} {Kind} {DroppedCount}"
        : $"{At.TotalMilliseconds:0} {Kind} {ChildPath ?? SupervisorPath} {Reason}";
}
