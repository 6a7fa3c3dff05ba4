namespace Supervision.Engine;

/// <summary>What happened, as told to <see cref="SupervisorEngine.Handle"/>.</summary>
public enum EventKind : byte
{
    /// <summary>Start the supervisor: start its children (OTP's init).</summary>
    Start,
    /// <summary>A child's start attempt succeeded (answers a <see cref="DecisionKind.StartChild"/>).</summary>
    ChildStarted,
    /// <summary>A child's start attempt failed with an error (answers a <see cref="DecisionKind.StartChild"/>).</summary>
    ChildStartFailed,
    /// <summary>A child's start attempt returned ignore (answers a <see cref="DecisionKind.StartChild"/>).</summary>
    ChildIgnored,
    /// <summary>A child exited, on its own or because it was stopped or killed.</summary>
    ChildExited,
    /// <summary>A timer armed by <see cref="DecisionKind.ArmTimer"/> fired.</summary>
    TimerFired,
    /// <summary>An operator call (start_child, terminate_child, ...); answered by a <see cref="DecisionKind.Reply"/>.</summary>
    Call,
    /// <summary>The supervisor is told to stop (its parent exits, or it is stopped): it terminates its children and exits.</summary>
    StopRequested,
    /// <summary>Internal: OTP's try_again_restart message, posted by the engine to the back of its own mailbox.</summary>
    TryAgain,
    /// <summary>Internal: a restart delayed by <see cref="RestartBackoff"/> is due; posted by the engine to the back of its own mailbox.</summary>
    BackoffElapsed,
}

/// <summary>
/// One input to a <see cref="SupervisorEngine"/>. Flat and allocation-free; <see cref="TimeMs"/> is the
/// current time in milliseconds on the caller's monotonic clock and must never decrease.
/// </summary>
public readonly record struct SupervisorEvent : Internal.IQueueEntry
{
    private SupervisorEvent(EventKind kind, long timeMs, ChildRef child, ExitReason reason, long token, CallRequest? call)
    {
        Kind = kind;
        TimeMs = timeMs;
        Child = child;
        Reason = reason;
        Token = token;
        Call = call;
    }

    /// <summary>The kind of event.</summary>
    public EventKind Kind { get; }

    /// <summary>The time of the event, in milliseconds of a monotonic clock.</summary>
    public long TimeMs { get; }

    /// <summary>The child concerned (start results and exits).</summary>
    public ChildRef Child { get; }

    /// <summary>The exit reason, the start error, or the stop reason.</summary>
    public ExitReason Reason { get; }

    /// <summary>The timer token (<see cref="EventKind.TimerFired"/>), the call id (<see cref="EventKind.Call"/>), or an internal key.</summary>
    public long Token { get; }

    /// <summary>The call (<see cref="EventKind.Call"/> only).</summary>
    public CallRequest? Call { get; }

    bool Internal.IQueueEntry.HoldsPayload => Call is not null;

    /// <summary>Start the supervisor (init).</summary>
    public static SupervisorEvent Start(long timeMs) => new(EventKind.Start, timeMs, ChildRef.None, default, 0, null);

    /// <summary>The start attempt of <paramref name="child"/> succeeded.</summary>
    public static SupervisorEvent ChildStarted(long timeMs, ChildRef child) => new(EventKind.ChildStarted, timeMs, child, default, 0, null);

    /// <summary>The start attempt of <paramref name="child"/> failed with <paramref name="error"/>.</summary>
    public static SupervisorEvent ChildStartFailed(long timeMs, ChildRef child, ExitReason error) => new(EventKind.ChildStartFailed, timeMs, child, error, 0, null);

    /// <summary>The start attempt of <paramref name="child"/> returned ignore.</summary>
    public static SupervisorEvent ChildIgnored(long timeMs, ChildRef child) => new(EventKind.ChildIgnored, timeMs, child, default, 0, null);

    /// <summary><paramref name="child"/> exited with <paramref name="reason"/>.</summary>
    public static SupervisorEvent ChildExited(long timeMs, ChildRef child, ExitReason reason) => new(EventKind.ChildExited, timeMs, child, reason, 0, null);

    /// <summary>The timer with <paramref name="token"/> fired.</summary>
    public static SupervisorEvent TimerFired(long timeMs, long token) => new(EventKind.TimerFired, timeMs, ChildRef.None, default, token, null);

    /// <summary>An operator call; the reply carries <paramref name="callId"/>.</summary>
    public static SupervisorEvent CallReceived(long timeMs, long callId, CallRequest call)
    {
        ArgumentNullException.ThrowIfNull(call);
        return new(EventKind.Call, timeMs, ChildRef.None, default, callId, call);
    }

    /// <summary>Stop the supervisor with <paramref name="reason"/> (usually <c>shutdown</c>).</summary>
    public static SupervisorEvent StopRequested(long timeMs, ExitReason reason) => new(EventKind.StopRequested, timeMs, ChildRef.None, reason, 0, null);

    internal static SupervisorEvent BackoffElapsed(long timeMs, int slot, long serial) => new(EventKind.BackoffElapsed, timeMs, new ChildRef(slot, 0), default, serial, null);

    internal static SupervisorEvent TryAgain(long timeMs, int slot, long uid) => new(EventKind.TryAgain, timeMs, new ChildRef(slot, 0), default, uid, null);
}
