using Supervision.Engine;

namespace Supervision.Runtime.Tree;

/// <summary>What a supervisor loop tells its tree as it happens (synchronously, on that loop).</summary>
internal enum NoticeKind : byte
{
    ChildStartResult,
    ChildStopped,
    ChildKilledWithParent,
    SupervisorStarted,
    SupervisorInitFailed,
    SupervisorExited,
    Replied,
    Report,
}

/// <summary>One notice; the fields that apply depend on <see cref="Kind"/>.</summary>
internal sealed record RuntimeNotice(NoticeKind Kind, SupervisorProcess Supervisor)
{
    public string? ChildPath { get; init; }

    public ChildRef Child { get; init; }

    public ExitReason Reason { get; init; }

    public ChildStartKind StartKind { get; init; }

    public ChildSpec? Spec { get; init; }

    public long Instance { get; init; }

    public bool NewInstance { get; init; }

    public string? CallName { get; init; }

    public CallReply? Reply { get; init; }

    public ReportKind Report { get; init; }

    public RestartWindowReport? RestartWindow { get; init; }
    /// <summary>For a restart_delayed report: the delay in milliseconds.</summary>
    public long RestartDelayMs { get; init; }

    public ExitCause ExitCause { get; init; }

    /// <summary>For <see cref="NoticeKind.ChildKilledWithParent"/>: the child was a supervisor still in its init.</summary>
    public bool StillStarting { get; init; }
}

/// <summary>Receives every notice of a tree, synchronously on the supervisor loop that made it (replay and tests).</summary>
internal interface IRuntimeObserver
{
    void OnNotice(RuntimeNotice notice);
}
