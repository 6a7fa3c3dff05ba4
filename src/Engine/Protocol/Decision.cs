namespace Supervision.Engine;

/// <summary>What the engine asks its driver to do, or tells it.</summary>
public enum DecisionKind : byte
{
    /// <summary>Start the child (call its start function); answer with a start-result event.</summary>
    StartChild,
    /// <summary>Ask the child to stop (send it <c>shutdown</c>); it answers by exiting.</summary>
    StopChild,
    /// <summary>Kill the child at once; it must exit with <c>killed</c>.</summary>
    KillChild,
    /// <summary>Arm the single shutdown timer; fire <see cref="EventKind.TimerFired"/> with <see cref="Decision.Token"/> at <see cref="Decision.DeadlineMs"/>.</summary>
    ArmTimer,
    /// <summary>Cancel the timer with <see cref="Decision.Token"/>.</summary>
    CancelTimer,
    /// <summary>Informational: the termination of a child is complete; <see cref="Decision.Reason"/> is how it ended.</summary>
    ChildTerminated,
    /// <summary>Answer call <see cref="Decision.Token"/> with <see cref="Decision.Reply"/>.</summary>
    Reply,
    /// <summary>A supervisor report (OTP's supervisor_report or progress report).</summary>
    Report,
    /// <summary>The supervisor's init finished: every child was started (or ignored).</summary>
    Started,
    /// <summary>The supervisor's init failed: <see cref="Decision.Spec"/>'s start failed with <see cref="Decision.Reason"/>; the supervisor is gone.</summary>
    InitFailed,
    /// <summary>The supervisor exited with <see cref="Decision.Reason"/> after terminating its children.</summary>
    Exited,
}

/// <summary>The kind of a <see cref="DecisionKind.Report"/>, mirroring OTP's reports.</summary>
public enum ReportKind : byte
{
    /// <summary>A child was started (info level); static children only.</summary>
    Progress,
    /// <summary>A child exited on its own and is restarted or, if temporary, removed.</summary>
    ChildTerminated,
    /// <summary>A start attempt failed at init or during an automatic restart.</summary>
    StartError,
    /// <summary>A terminated child did not end with an acceptable reason.</summary>
    ShutdownError,
    /// <summary>The restart intensity was exceeded; the supervisor gives up.</summary>
    ReachedMaxRestartIntensity,
}

/// <summary>
/// One output of a <see cref="SupervisorEngine"/>, drained with <see cref="SupervisorEngine.TryDequeueDecision"/>.
/// Flat and allocation-free except for replies and the give-up report.
/// </summary>
public readonly record struct Decision
{
    internal Decision(DecisionKind kind, ChildRef child, ChildSpec? spec, long instance, ExitReason reason, long token, long deadlineMs)
    {
        Kind = kind;
        Child = child;
        Spec = spec;
        Instance = instance;
        Reason = reason;
        Token = token;
        DeadlineMs = deadlineMs;
    }

    /// <summary>The kind of decision.</summary>
    public DecisionKind Kind { get; }

    /// <summary>The child concerned.</summary>
    public ChildRef Child { get; }

    /// <summary>The child's spec (for a simple_one_for_one instance: the template).</summary>
    public ChildSpec? Spec { get; }

    /// <summary>For a simple_one_for_one instance: its instance number (1, 2, ... in order of successful start); 0 otherwise.</summary>
    public long Instance { get; }

    /// <summary>The reason: exit, start error, report reason or the supervisor's exit reason.</summary>
    public ExitReason Reason { get; init; }

    /// <summary>The timer token (timers) or the call id (replies).</summary>
    public long Token { get; }

    /// <summary>The deadline of <see cref="DecisionKind.ArmTimer"/>, in the events' milliseconds.</summary>
    public long DeadlineMs { get; }

    /// <summary>The kind of report (<see cref="DecisionKind.Report"/> only).</summary>
    public ReportKind Report { get; init; }

    /// <summary>The answer (<see cref="DecisionKind.Reply"/> only).</summary>
    public CallReply? Reply { get; init; }

    /// <summary>The arguments of a simple_one_for_one instance (<see cref="DecisionKind.StartChild"/>), as given to start_child.</summary>
    public object? Arguments { get; init; }

    /// <summary>For a grouped shutdown_error of simple_one_for_one instances: how many ended with this reason; otherwise 1.</summary>
    public int Count { get; init; }

    /// <summary>For <see cref="ReportKind.ReachedMaxRestartIntensity"/>: every restart attempt counted in the window, oldest first.</summary>
    public IReadOnlyList<RestartAttempt>? RestartWindow { get; init; }
}

/// <summary>One restart attempt counted against a supervisor's intensity.</summary>
/// <param name="TimeMs">When the attempt was counted.</param>
/// <param name="Second">The whole second it was counted in (what OTP compares).</param>
/// <param name="ChildId">The child restarted.</param>
/// <param name="Instance">Its instance number for simple_one_for_one; 0 otherwise.</param>
/// <param name="Reason">The exit reason (or start error, for a retry) that caused it.</param>
public readonly record struct RestartAttempt(long TimeMs, long Second, string ChildId, long Instance, ExitReason Reason);
