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

/// <summary>Why a supervisor exited (see <see cref="Decision.ExitCause"/>).</summary>
public enum ExitCause : byte
{
    /// <summary>Not an exit decision.</summary>
    None,
    /// <summary>It was told to stop (<see cref="SupervisorEvent.StopRequested"/>: its parent, or an operator).</summary>
    Stopped,
    /// <summary>It exceeded its restart intensity.</summary>
    GaveUp,
    /// <summary>A significant child ended and auto_shutdown applied.</summary>
    AutoShutdown,
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
    /// <summary>
    /// Not an OTP report: with <see cref="SupervisorSpec.Backoff"/> set, the restart of this child (the trigger
    /// of a group restart) waits <see cref="Decision.RestartDelayMs"/>; <see cref="Decision.Reason"/> is why it is
    /// restarted and <see cref="Decision.Count"/> the backoff attempt number.
    /// </summary>
    RestartDelayed,
}

/// <summary>
/// One output of a <see cref="SupervisorEngine"/>, drained with <see cref="SupervisorEngine.TryDequeueDecision"/>.
/// Flat and allocation-free except for replies and the give-up report.
/// </summary>
/// <remarks>
/// Every decision is copied into and out of the engine's queue, so the layout is kept to 64 bytes and
/// three references: the rare payloads (<see cref="Reply"/>, <see cref="Arguments"/>,
/// <see cref="RestartWindow"/>) share one field, the reason is stored unpacked, and
/// <see cref="DeadlineMs"/> (timers only) shares its field with <see cref="Instance"/> (children only).
/// A decision carries at most one payload: setting one of the three clears the others.
/// </remarks>
public readonly record struct Decision : Internal.IQueueEntry
{
    private readonly ChildSpec? _spec;
    private readonly object? _payload;
    private readonly string? _reasonTerm;
    private readonly long _incarnation;
    private readonly long _instanceOrDeadline;
    private readonly long _token;
    private readonly int _slot;
    private readonly int _count;
    private readonly DecisionKind _kind;
    private readonly ReportKind _report;
    private readonly ExitReasonKind _reasonKind;
    private readonly PayloadKind _payloadKind;
    private readonly ExitCause _exitCause;

    private Decision(
        DecisionKind kind, ChildRef child, ChildSpec? spec, long instanceOrDeadline, ExitReason reason, long token,
        ReportKind report = default, int count = 0, PayloadKind payloadKind = PayloadKind.None, object? payload = null,
        ExitCause exitCause = ExitCause.None)
    {
        _exitCause = exitCause;
        _kind = kind;
        _slot = child.Slot;
        _incarnation = child.Incarnation;
        _spec = spec;
        _instanceOrDeadline = instanceOrDeadline;
        _reasonKind = reason.Kind;
        _reasonTerm = reason.RawTerm;
        _token = token;
        _report = report;
        _count = count;
        if (payload is not null)
        {
            // Left at null otherwise: a store that needs no GC write barrier.
            _payloadKind = payloadKind;
            _payload = payload;
        }
    }

    /// <summary>A decision about one child: start (with its instance arguments), stop, kill, or its termination.</summary>
    internal static Decision ForChild(DecisionKind kind, ChildRef child, ChildSpec spec, long instance, ExitReason reason, object? arguments = null) =>
        new(kind, child, spec, instance, reason, 0, payloadKind: PayloadKind.Arguments, payload: arguments);

    /// <summary>A supervisor report about <paramref name="child"/> (<see cref="ChildRef.None"/> for a grouped one).</summary>
    internal static Decision ForReport(ReportKind report, ChildRef child, ChildSpec? spec, long instance, ExitReason reason, int count = 1) =>
        new(DecisionKind.Report, child, spec, instance, reason, 0, report, count);

    /// <summary>
    /// The child_terminated report of a child whose exit was counted against the intensity: the window's count
    /// rides in the token's field, which reports do not otherwise use (the layout stays at 64 bytes).
    /// </summary>
    internal static Decision ForCountedExit(ChildRef child, ChildSpec spec, long instance, ExitReason reason, int restartsInWindow) =>
        new(DecisionKind.Report, child, spec, instance, reason, restartsInWindow, ReportKind.ChildTerminated);

    /// <summary>The give-up report, with the restart window (counted, and its newest attempts itemised).</summary>
    internal static Decision ForGiveUp(ChildRef child, ChildSpec spec, long instance, ExitReason reason, RestartWindowReport window) =>
        new(DecisionKind.Report, child, spec, instance, reason, 0, ReportKind.ReachedMaxRestartIntensity, 1, PayloadKind.RestartWindow, window);

    /// <summary>The restart_delayed report: the delay rides in the token's field, the attempt in the count's.</summary>
    internal static Decision ForRestartDelayed(ChildRef child, ChildSpec spec, long instance, ExitReason reason, long delayMs, int attempt) =>
        new(DecisionKind.Report, child, spec, instance, reason, delayMs, ReportKind.RestartDelayed, attempt);

    /// <summary>Arm (or cancel) the timer <paramref name="token"/>.</summary>
    internal static Decision ForTimer(DecisionKind kind, long token, long deadlineMs) =>
        new(kind, ChildRef.None, null, kind == DecisionKind.ArmTimer ? deadlineMs : 0, default, token);

    /// <summary>The answer to call <paramref name="callId"/>.</summary>
    internal static Decision ForReply(long callId, CallReply reply) =>
        new(DecisionKind.Reply, ChildRef.None, null, 0, default, callId, payloadKind: PayloadKind.Reply, payload: reply);

    /// <summary>The supervisor itself: started, init failed (with the failing <paramref name="spec"/>), or exited.</summary>
    internal static Decision ForSupervisor(DecisionKind kind, ChildSpec? spec, ExitReason reason, ExitCause cause = ExitCause.None) =>
        new(kind, ChildRef.None, spec, 0, reason, 0, exitCause: kind == DecisionKind.Exited ? cause : ExitCause.None);

    /// <summary>
    /// Why the supervisor exited (<see cref="DecisionKind.Exited"/>): it was told to stop, it gave up
    /// (restart intensity), or a significant child shut it down (auto_shutdown). <see cref="ExitCause.None"/> otherwise.
    /// </summary>
    public ExitCause ExitCause => _exitCause;

    /// <summary>The kind of decision.</summary>
    public DecisionKind Kind => _kind;

    /// <summary>The child concerned.</summary>
    public ChildRef Child => new(_slot, _incarnation);

    /// <summary>The child's spec (for a simple_one_for_one instance: the template).</summary>
    public ChildSpec? Spec => _spec;

    /// <summary>For a simple_one_for_one instance: its instance number (1, 2, ... in order of successful start); 0 otherwise.</summary>
    public long Instance => _kind == DecisionKind.ArmTimer ? 0 : _instanceOrDeadline;

    /// <summary>The reason: exit, start error, report reason or the supervisor's exit reason.</summary>
    public ExitReason Reason
    {
        get => new(_reasonKind, _reasonTerm);
        init
        {
            _reasonKind = value.Kind;
            _reasonTerm = value.RawTerm;
        }
    }

    /// <summary>The timer token (timers) or the call id (replies).</summary>
    public long Token => _kind == DecisionKind.Report ? 0 : _token;

    /// <summary>
    /// For a <see cref="ReportKind.ChildTerminated"/> report of a child that is restarted (permanent, or
    /// transient with an abnormal reason): the restart attempts counted in the supervisor's window, this one
    /// included. At most the intensity when the child is restarted; intensity + 1 when this exit makes the
    /// supervisor give up (a <see cref="ReportKind.ReachedMaxRestartIntensity"/> report follows). 0 for an
    /// exit that is not counted (a temporary child) and for every other decision.
    /// </summary>
    public int RestartsInWindow => _kind == DecisionKind.Report && _report == ReportKind.ChildTerminated ? (int)_token : 0;

    /// <summary>For a <see cref="ReportKind.RestartDelayed"/> report: how long the restart waits, in milliseconds; 0 otherwise.</summary>
    public long RestartDelayMs => _kind == DecisionKind.Report && _report == ReportKind.RestartDelayed ? _token : 0;

    /// <summary>The deadline of <see cref="DecisionKind.ArmTimer"/>, in the events' milliseconds.</summary>
    public long DeadlineMs => _kind == DecisionKind.ArmTimer ? _instanceOrDeadline : 0;

    /// <summary>The kind of report (<see cref="DecisionKind.Report"/> only).</summary>
    public ReportKind Report
    {
        get => _report;
        init => _report = value;
    }

    /// <summary>The answer (<see cref="DecisionKind.Reply"/> only).</summary>
    public CallReply? Reply
    {
        get => _payloadKind == PayloadKind.Reply ? (CallReply?)_payload : null;
        init
        {
            _payload = value;
            _payloadKind = value is null ? PayloadKind.None : PayloadKind.Reply;
        }
    }

    /// <summary>The arguments of a simple_one_for_one instance (<see cref="DecisionKind.StartChild"/>), as given to start_child.</summary>
    public object? Arguments
    {
        get => _payloadKind == PayloadKind.Arguments ? _payload : null;
        init
        {
            _payload = value;
            _payloadKind = value is null ? PayloadKind.None : PayloadKind.Arguments;
        }
    }

    /// <summary>
    /// For a grouped shutdown_error of simple_one_for_one instances: how many ended with this reason; for a
    /// <see cref="ReportKind.RestartDelayed"/> report: the backoff attempt number (1 after a reset); otherwise 1.
    /// </summary>
    public int Count
    {
        get => _count;
        init => _count = value;
    }

    /// <summary>
    /// For <see cref="ReportKind.ReachedMaxRestartIntensity"/>: the restart window, every attempt counted and
    /// the newest (at most <see cref="RestartWindowReport.ItemisedLimit"/>) itemised, oldest first.
    /// </summary>
    public RestartWindowReport? RestartWindow
    {
        get => _payloadKind == PayloadKind.RestartWindow ? (RestartWindowReport?)_payload : null;
        init
        {
            _payload = value;
            _payloadKind = value is null ? PayloadKind.None : PayloadKind.RestartWindow;
        }
    }

    bool Internal.IQueueEntry.HoldsPayload => _payloadKind != PayloadKind.None;

    private enum PayloadKind : byte
    {
        None,
        Reply,
        Arguments,
        RestartWindow,
    }
}

/// <summary>One restart attempt counted against a supervisor's intensity.</summary>
/// <param name="TimeMs">When the attempt was counted.</param>
/// <param name="Second">The whole second it was counted in (what OTP compares).</param>
/// <param name="ChildId">The child restarted.</param>
/// <param name="Instance">Its instance number for simple_one_for_one; 0 otherwise.</param>
/// <param name="Reason">The exit reason (or start error, for a retry) that caused it.</param>
public readonly record struct RestartAttempt(long TimeMs, long Second, string ChildId, long Instance, ExitReason Reason);
