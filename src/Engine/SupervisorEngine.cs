using Supervision.Engine.Internal;

namespace Supervision.Engine;

/// <summary>Where an engine is in its life.</summary>
public enum EngineStatus : byte
{
    /// <summary>Constructed; waiting for <see cref="SupervisorEvent.Start"/>.</summary>
    NotStarted,
    /// <summary>Started (or starting its children).</summary>
    Running,
    /// <summary>Exited (after <see cref="DecisionKind.Exited"/> or <see cref="DecisionKind.InitFailed"/>).</summary>
    Exited,
    /// <summary>The caller broke the protocol; every further event throws.</summary>
    Faulted,
}

/// <summary>
/// OTP 25's supervisor as a pure, single-threaded state machine. Events go in through
/// <see cref="Handle"/>, with the time inside each event; decisions come out through
/// <see cref="TryDequeueDecision"/>, in order. No clock, thread, task, I/O or randomness inside.
/// <para>
/// Like OTP's supervisor, the engine runs one operation at a time: while it waits for a start result
/// or for a child to stop, every other event is queued and handled afterwards, in order; a queued exit
/// of a child that the current operation terminates is consumed by it. An exit of an incarnation that is
/// not current is stale: ignored and counted in <see cref="StaleEventCount"/>.
/// </para>
/// </summary>
public sealed partial class SupervisorEngine
{
    private const int NoSlot = ChildTable.NoSlot;
    private static readonly ExitReason MaxIntensityReason = ExitReason.Abnormal("reached_max_restart_intensity");

    private readonly SupervisorSpec _spec;
    private readonly bool _simple;
    private readonly ChildSpec? _template;
    private readonly ChildTable _children;
    private readonly RestartWindow _window;
    private readonly RingQueue<SupervisorEvent> _mailbox = new(16);
    private readonly RingQueue<Decision> _decisions = new(16);

    private long _now = long.MinValue;
    private long _lastIncarnation;
    private long _lastUid;
    private long _lastInstance;


    private AwaitKind _await;
    private ChildRef _awaited;
    private int _pendingExits;

    private Operation _op;
    private int _cursor = NoSlot;
    private int _walkStop = NoSlot;
    private int _groupFirst = NoSlot;
    private long _callId;
    private ExitReason _exitReason;
    private ExitCause _exitCause;
    private ChildSpec? _initFailedSpec;
    private ExitReason _initFailedReason;
    private List<(ExitReason Reason, int Count)>? _parallelErrors;

    /// <summary>Creates an engine for <paramref name="spec"/>, validating it (and every nested spec).</summary>
    /// <param name="spec">The supervisor's flags and children.</param>
    /// <param name="name">The supervisor's name, used in messages (for example its path).</param>
    /// <exception cref="ArgumentException">The spec is invalid; the message lists every violation.</exception>
    public SupervisorEngine(SupervisorSpec spec, string name = "supervisor")
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(name);
        spec.Validate(name);
        _spec = spec;
        Name = name;
        _simple = spec.Strategy == RestartStrategy.SimpleOneForOne;
        _template = _simple ? spec.Children[0] : null;
        _children = new ChildTable(spec.Children.Count);
        _window = new RestartWindow(spec.Intensity, spec.PeriodSeconds);
        _backoff = spec.Backoff;
    }

    /// <summary>The supervisor's name as given at construction.</summary>
    public string Name { get; }

    /// <summary>The spec the engine was built from.</summary>
    public SupervisorSpec Spec => _spec;

    /// <summary>Where the engine is in its life.</summary>
    public EngineStatus Status { get; private set; }

    /// <summary>True while an operation waits for a start result or a child's exit (other events are queued).</summary>
    public bool IsBusy => _await != AwaitKind.None;

    /// <summary>Events ignored because they named an incarnation that is no longer current, or a timer that was cancelled.</summary>
    public long StaleEventCount { get; private set; }

    /// <summary>Events queued behind the current operation (including the engine's own retries).</summary>
    public int QueuedEventCount => _mailbox.Count;

    /// <summary>Decisions not yet drained.</summary>
    public int PendingDecisionCount => _decisions.Count;

    /// <summary>Children (or instances) currently in the table.</summary>
    public int ChildCount => _children.Count;

    /// <summary>Restart attempts currently inside the intensity window.</summary>
    public int RestartsInWindow => _window.Count;

    /// <summary>
    /// True while an automatic restart is in progress: from a counted exit (or a retry) until the strategy's
    /// restart walk has ended (every child of the group started, or a start failed and its retry is queued).
    /// Read by a driver after it has drained the decisions, to tell when a restart it observes is over.
    /// </summary>
    public bool IsRestarting => _op == Operation.Restart;

    /// <summary>True while the supervisor terminates its children before exiting (a stop, a give-up or an auto_shutdown).</summary>
    public bool IsShuttingDown => _op == Operation.Shutdown;

    /// <summary>
    /// Whether the simple_one_for_one instance numbered <paramref name="instance"/> is still in the child table
    /// (running, or waiting for a restart); false once it has been removed for good. A driver keeps per-instance
    /// bookkeeping only while this is true.
    /// </summary>
    public bool HoldsInstance(long instance) => _simple && instance > 0 && _children.FindByInstance(instance) != NoSlot;

    /// <summary>The time of the latest event, in milliseconds.</summary>
    public long NowMs => _now;

    /// <summary>Takes the next decision, in the order they were made.</summary>
    public bool TryDequeueDecision(out Decision decision) => _decisions.TryDequeue(out decision);

    /// <summary>The deadline of the armed timer, if any: the driver fires <see cref="EventKind.TimerFired"/> then.</summary>
    public bool TryGetNextDeadline(out long deadlineMs)
    {
        deadlineMs = _timerDeadline;
        return _timerArmed;
    }

    /// <summary>Handles one event and everything it makes ready, then returns; drain the decisions afterwards.</summary>
    /// <exception cref="SupervisorEngineException">The event breaks the protocol; the engine is faulted from now on.</exception>
    public void Handle(in SupervisorEvent e)
    {
        // The common case first, in few instructions: a running engine and time that does not go back.
        if (Status == EngineStatus.Running && e.TimeMs >= _now)
        {
            _now = e.TimeMs;
            HandleRunning(e);
            RunMailbox();
            return;
        }
        HandleInAnyState(e);
    }

    private void HandleInAnyState(in SupervisorEvent e)
    {
        if (Status == EngineStatus.Faulted)
        {
            ThrowFaulted();
        }
        if (e.TimeMs < _now)
        {
            FaultTimeWentBackwards(e.TimeMs);
        }
        _now = e.TimeMs;
        switch (Status)
        {
            case EngineStatus.NotStarted:
                if (e.Kind != EventKind.Start)
                {
                    FaultEvent("the first event must be Start, got {0}", e.Kind);
                }
                BeginInit();
                break;
            case EngineStatus.Exited:
                HandleAfterExit(e);
                return;
            default:
                HandleRunning(e);
                break;
        }
        RunMailbox();
    }

    private void HandleRunning(in SupervisorEvent e)
    {
        switch (e.Kind)
        {
            case EventKind.Start:
                Fault("Start was already handled");
                break;
            case EventKind.TryAgain or EventKind.BackoffElapsed:
                FaultEvent("{0} is the engine's own event", e.Kind);
                break;
            case EventKind.ChildStarted or EventKind.ChildStartFailed or EventKind.ChildIgnored:
                if (_await != AwaitKind.StartResult || e.Child != _awaited)
                {
                    FaultNotBeingStarted(e.Kind, e.Child);
                }
                ClearAwait();
                OnStartResult(e);
                break;
            case EventKind.TimerFired:
                OnTimerFired(e.Token);
                break;
            default:
                if (_await == AwaitKind.None)
                {
                    Dispatch(e);
                }
                else if (!TryHandleAwaitedExit(e))
                {
                    _mailbox.Enqueue(e);
                }
                break;
        }
    }

    private void Dispatch(in SupervisorEvent e)
    {
        switch (e.Kind)
        {
            case EventKind.ChildExited:
                OnChildExit(e.Child, e.Reason, e.TimeMs);
                break;
            case EventKind.Call:
                OnCall(e.Token, e.Call!);
                break;
            case EventKind.StopRequested:
                BeginShutdown(e.Reason, ExitCause.Stopped);
                break;
            case EventKind.TryAgain:
                OnTryAgain(e.Child.Slot, e.Token);
                break;
            case EventKind.BackoffElapsed:
                OnBackoffElapsed(e.Child.Slot, e.Token);
                break;
            default:
                FaultEvent("unexpected {0} event", e.Kind);
                break;
        }
    }

    /// <summary>Handles queued events while no operation is waiting.</summary>
    private void RunMailbox()
    {
        while (Status == EngineStatus.Running && _await == AwaitKind.None && _mailbox.TryDequeue(out var next))
        {
            Dispatch(next);
        }
    }

    private void HandleAfterExit(in SupervisorEvent e)
    {
        switch (e.Kind)
        {
            case EventKind.Call:
                Reply(e.Token, CallReply.Failure("noproc"));
                break;
            case EventKind.ChildExited or EventKind.TimerFired:
                StaleEventCount++;
                break;
            case EventKind.StopRequested:
                break;
            default:
                FaultEvent("{0} after the supervisor exited", e.Kind);
                break;
        }
    }

    private bool TryHandleAwaitedExit(in SupervisorEvent e)
    {
        if (e.Kind != EventKind.ChildExited)
        {
            return false;
        }
        if (_await == AwaitKind.ChildExit && e.Child == _awaited)
        {
            ClearAwait();
            CancelShutdownTimer();
            FinishTerminate(e.Child, e.Reason);
            ContinueTerminateWalk();
            return true;
        }
        if (_await == AwaitKind.ParallelExits && _children.IsCurrent(e.Child) && _children[e.Child.Slot].AwaitingExit)
        {
            OnParallelExit(e.Child, e.Reason);
            return true;
        }
        return false;
    }

    /// <summary>Removes and returns a queued exit of <paramref name="child"/>: OTP's termination protocol consumes it.</summary>
    private bool TryTakeQueuedExit(ChildRef child, out ExitReason reason)
    {
        for (var i = 0; i < _mailbox.Count; i++)
        {
            ref readonly var queued = ref _mailbox.PeekAt(i);
            if (queued.Kind == EventKind.ChildExited && queued.Child == child)
            {
                reason = queued.Reason;
                _mailbox.RemoveAt(i);
                return true;
            }
        }
        reason = default;
        return false;
    }

    private void Emit(in Decision decision) => _decisions.Enqueue(decision);

    private void EmitFor(DecisionKind kind, int slot, ExitReason reason = default)
    {
        ref var entry = ref _children[slot];
        Emit(Decision.ForChild(kind, new ChildRef(slot, entry.Incarnation), entry.Spec, entry.Instance, reason));
    }

    private void Report(ReportKind kind, int slot, ExitReason reason)
    {
        ref var entry = ref _children[slot];
        Emit(Decision.ForReport(kind, new ChildRef(slot, entry.Incarnation), entry.Spec, entry.Instance, reason));
    }

    private void Reply(long callId, CallReply reply) =>
        Emit(Decision.ForReply(callId, reply));

    private void Await(AwaitKind kind, ChildRef child)
    {
        _await = kind;
        _awaited = child;
    }

    private void ClearAwait()
    {
        _await = AwaitKind.None;
        _awaited = ChildRef.None;
    }

    private void EndOperation() => _op = Operation.None;

    /// <summary>The supervisor is gone: answer queued calls with noproc, drop everything else.</summary>
    private void Exit(in Decision final)
    {
        Emit(final);
        Status = EngineStatus.Exited;
        _op = Operation.None;
        ClearAwait();
        DropAllTimers();
        while (_mailbox.TryDequeue(out var pending))
        {
            if (pending.Kind == EventKind.Call)
            {
                Reply(pending.Token, CallReply.Failure("noproc"));
            }
        }
    }

    private enum AwaitKind : byte
    {
        None,
        StartResult,
        ChildExit,
        ParallelExits,
    }

    private enum Operation : byte
    {
        None,
        Init,
        InitAbort,
        Restart,
        Shutdown,
        TerminateCall,
        StartCall,
        RestartCall,
    }
}
