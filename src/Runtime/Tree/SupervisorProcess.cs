using Supervision.Engine;

namespace Supervision.Runtime.Tree;

/// <summary>
/// One incarnation of a supervisor in the runtime: a mailbox loop that feeds its
/// <see cref="SupervisorEngine"/> one event at a time and carries out the decisions. No supervision
/// policy lives here: the engine decides, this only executes and reports outcomes.
/// </summary>
internal sealed partial class SupervisorProcess
{
    private readonly SupervisorEngine _engine;
    private readonly SupervisorDefinition _definition;
    private readonly Dictionary<ChildSpec, SpecEntry> _specs = new(ReferenceEqualityComparer.Instance);
    private readonly IMailbox _mailbox;
    /// <summary>Held for each step of the loop, and by a parent that kills this supervisor from its own loop.</summary>
    private readonly Lock _step = new();
    private readonly Queue<SupervisorEvent> _pending = new();
    private readonly Dictionary<ChildRef, object> _running = [];
    private readonly Dictionary<long, CallEnvelope> _calls = [];
    private readonly Dictionary<string, int> _incarnations = new(StringComparer.Ordinal);
    private readonly List<(long Instance, string Path)> _endedInstances = [];
    /// <summary>Kills whose tasks have not all ended yet (their engine still waits for the exit).</summary>
    private readonly List<KillWait> _killWaits = [];
    private readonly TaskCompletionSource<ExitReason> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ITimer? _timer;
    private long _timerToken;
    private long _nextCallId;
    private long _lastInstance;
    private bool _done;
    private long _stepTimeMs;
    private bool _stepTimeKnown;

    public SupervisorProcess(SupervisionTree tree, SupervisorDefinition definition, SupervisorSpec spec, string path, SupervisorProcess? parent, ChildRef referenceInParent)
    {
        Tree = tree;
        _definition = definition;
        Path = path;
        Parent = parent;
        ReferenceInParent = referenceInParent;
        _engine = new SupervisorEngine(spec, path);
        _mailbox = tree.Options.MailboxFactory?.Invoke() ?? new QueueMailbox();
        for (var i = 0; i < spec.Children.Count; i++)
        {
            AddSpec(spec.Children[i], definition.Children[i]);
        }
    }

    public SupervisionTree Tree { get; }

    public string Path { get; }

    public SupervisorProcess? Parent { get; }

    public ChildRef ReferenceInParent { get; }

    /// <summary>Set when the parent (or the user) asked this supervisor to stop.</summary>
    public bool StopRequested { get; private set; }

    /// <summary>Completes when init finished (faults with <see cref="SupervisorStartException"/> when it failed).</summary>
    public Task Started => _started.Task;

    /// <summary>Completes with the exit reason once the supervisor is gone.</summary>
    public Task<ExitReason> Exited => _exited.Task;

    public bool IsAlive => !_exited.Task.IsCompleted;

    /// <summary>Its init finished successfully.</summary>
    public bool HasStarted => _started.Task.IsCompletedSuccessfully;

    public bool IsSimple => _definition.Strategy == RestartStrategy.SimpleOneForOne;

    /// <summary>The template's id for a simple_one_for_one supervisor; empty otherwise.</summary>
    public string TemplateId => IsSimple ? _definition.Children[0].Id : string.Empty;

    /// <summary>The supervisor's auto_shutdown flag (start_child checks significant specs against it).</summary>
    public AutoShutdown SpecAutoShutdown => _definition.AutoShutdown;

    public void Launch()
    {
        Tree.RegisterSupervisor(this);
        Tree.Scheduler.Spawn(Path, LoopAsync);
    }

    public void Post(Message message)
    {
        if (!_mailbox.TryWrite(message))
        {
            Refused(message);
        }
    }

    /// <summary>Posts ahead of everything not yet read (disposal).</summary>
    public void PostUrgent(Message message)
    {
        if (!_mailbox.TryWriteUrgent(message))
        {
            Refused(message);
        }
    }

    private static void Refused(in Message message)
    {
        // The supervisor is gone: a call gets noproc, an injection reports it found nothing.
        (message.Payload as CallEnvelope)?.Reply.TrySetResult(CallReply.Failure("noproc"));
        (message.Payload as ExitInjection)?.Done.TrySetResult(false);
    }

    public Task<CallReply> CallAsync(CallRequest request, string name, ChildDefinition? definition)
    {
        var call = new CallEnvelope(request, name, definition);
        Post(new Message(MessageKind.Call, ChildRef.None, default, default, 0, call));
        return call.Reply.Task;
    }

    /// <summary>
    /// The time for the engine, in milliseconds since the tree started: read once per loop step and shared by
    /// the events of that step, and read again after a child's start ran on the loop (user code takes time).
    /// </summary>
    private long Now
    {
        get
        {
            if (!_stepTimeKnown)
            {
                _stepTimeMs = (long)Tree.TimeProvider.GetElapsedTime(Tree.StartTimestamp).TotalMilliseconds;
                _stepTimeKnown = true;
            }
            return _stepTimeMs;
        }
    }

    /// <summary>The next <see cref="Now"/> reads the clock again.</summary>
    private void ForgetStepTime() => _stepTimeKnown = false;

    private async Task LoopAsync()
    {
        try
        {
            bool running;
            lock (_step)
            {
                Feed(SupervisorEvent.Start(Now));
                running = !_done;
            }
            while (running)
            {
                var message = await _mailbox.ReadAsync();
                if (message.Kind == MessageKind.Closed)
                {
                    // Completed from outside: this supervisor was killed with its parent (KillSubtree).
                    break;
                }
                // One step at a time, never overlapping a kill made by the parent's loop (KillSubtree).
                lock (_step)
                {
                    if (!_done)
                    {
                        Handle(message);
                    }
                    else
                    {
                        // Killed with its parent while this was queued: a call still gets its noproc.
                        Refused(message);
                    }
                    running = !_done;
                }
            }
        }
        catch (Exception error)
        {
            // A runtime bug or an engine fault: report it and take the subtree down rather than hang. The
            // parent hears of it once the subtree's tasks have ended (FaultPending), as after a kill.
            Tree.Log.SupervisorFaulted(Path, error);
            FaultPending = KillSubtree(ExitReason.Abnormal("supervisor_fault"));
            Parent?.Post(new Message(MessageKind.NestedExited, ReferenceInParent, ExitReason.Abnormal("supervisor_fault"), default, 0, this));
        }
        finally
        {
            foreach (var injection in _afterPump)
            {
                injection.Done.TrySetResult(true);
            }
            _mailbox.Complete();
            while (_mailbox.TryRead(out var late))
            {
                // Calls get noproc, injected exits "not found": whatever was still queued is answered.
                Refused(late);
            }
        }
    }

    private void Handle(Message message)
    {
        ForgetStepTime();
        switch (message.Kind)
        {
            case MessageKind.StartOutcome:
                OnStartOutcome(message);
                break;
            case MessageKind.Completed:
                OnCompleted((ChildRun)message.Payload!, message.Reason);
                break;
            case MessageKind.Timer:
                if (message.Token == _timerToken)
                {
                    Feed(SupervisorEvent.TimerFired(Now, message.Token));
                }
                break;
            case MessageKind.Call:
                OnCall((CallEnvelope)message.Payload!);
                break;
            case MessageKind.Stop:
                StopRequested = true;
                Feed(SupervisorEvent.StopRequested(Now, message.Reason));
                break;
            case MessageKind.InjectExit:
                OnInjectExit((ExitInjection)message.Payload!);
                break;
            case MessageKind.NestedStarted:
                OnNestedStarted(message.Child, (SupervisorProcess)message.Payload!);
                break;
            case MessageKind.NestedInitFailed:
                OnNestedStartFailed(message.Child, message.Reason, (SupervisorProcess)message.Payload!);
                break;
            case MessageKind.NestedExited:
                OnNestedExited(message.Child, message.Reason, (SupervisorProcess)message.Payload!);
                break;
            case MessageKind.StartTimeout:
                OnStartTimeout((ChildRun)message.Payload!);
                break;
            case MessageKind.KillSettled:
                SettleKill((KillWait)message.Payload!, graceExpired: false);
                Pump();
                break;
            case MessageKind.KillGraceExpired:
                OnKillGraceExpired();
                Pump();
                break;
            case MessageKind.Disposing:
                CancelStartsInProgress();
                break;
            case MessageKind.HealthProbeFailed:
                OnHealthProbeFailed((ChildRun)message.Payload!);
                break;
            case MessageKind.StopAllNow:
                foreach (var run in _running.Values)
                {
                    (run as ChildRun)?.RequestStop();
                }
                break;
        }
    }

    /// <summary>Hands one event to the engine and carries out everything it decides, including events those decisions produce at once.</summary>
    private void Feed(SupervisorEvent e)
    {
        _pending.Enqueue(e);
        Pump();
    }

    /// <summary>Hands the queued events to the engine, carrying out its decisions (which may queue more events).</summary>
    private void Pump()
    {
        while (!_done && _pending.TryDequeue(out var next))
        {
            _engine.Handle(next);
            while (_engine.TryDequeueDecision(out var decision))
            {
                Execute(decision);
            }
        }
        AfterPumpObserved();
        if (_endedInstances.Count > 0)
        {
            ForgetRemovedInstances();
        }
        if (_afterPump.Count > 0)
        {
            foreach (var injection in _afterPump)
            {
                injection.Done.TrySetResult(true);
            }
            _afterPump.Clear();
        }
    }

    private void OnStartOutcome(in Message message)
    {
        var run = message.Payload!;
        if (!_running.TryGetValue(message.Child, out var current) || !ReferenceEquals(current, run))
        {
            return;
        }
        ApplyStartOutcome((ChildRun)run, message.Child, message.Start);
        Pump();
    }

    /// <summary>A worker's start outcome (its run is current): recorded, published, and queued for the engine.</summary>
    private void ApplyStartOutcome(ChildRun run, ChildRef child, ChildStartResult result)
    {
        run.DisposeStartTimer();
        if (Tree.HasListeners)
        {
            Tree.Observe(new RuntimeNotice(NoticeKind.ChildStartResult, this)
            {
                ChildPath = run.Path,
                Child = child,
                Reason = result.Error,
                StartKind = result.Kind,
                Spec = run.Spec,
                Instance = run.Context.Instance,
                NewInstance = run.NewInstance,
            });
        }
        switch (result.Kind)
        {
            case ChildStartKind.Started:
                if (run.NewInstance)
                {
                    _lastInstance++;
                }
                Tree.Metrics.LiveChildren(+1);
                Tree.Registry.OnStarted(run.Path, run.Context.Incarnation);
                _pending.Enqueue(SupervisorEvent.ChildStarted(Now, child));
                if (run.Definition.HealthProbe is { } probing)
                {
                    StartProbing(run, probing);
                }
                break;
            case ChildStartKind.Ignored:
                _running.Remove(child);
                _pending.Enqueue(SupervisorEvent.ChildIgnored(Now, child));
                break;
            default:
                _running.Remove(child);
                RememberError(child, run.Error);
                Tree.Metrics.StartFailure(Path);
                _pending.Enqueue(SupervisorEvent.ChildStartFailed(Now, child, result.Error));
                break;
        }
    }

    private void OnCompleted(ChildRun run, ExitReason reason)
    {
        var matcher = Tree.Options.CompletionMatcher ?? IncarnationMatcher.Instance;
        if (matcher.TryMatch(_running, run, out var reference))
        {
            _running.Remove(reference);
            RememberError(reference, run.Error);
            ChildGone(run.Path, reason, run.Context.Instance);
            Feed(SupervisorEvent.ChildExited(Now, reference, reason));
        }
        // Otherwise a stale incarnation: it was killed (its kill reports the exit) or already replaced.
    }

    private void ChildGone(string path, ExitReason reason, long instance)
    {
        Tree.Metrics.LiveChildren(-1);
        Tree.Metrics.Exit(reason);
        Tree.Registry.OnEnded(path);
        if (instance > 0)
        {
            _endedInstances.Add((instance, path));
        }
    }

    /// <summary>
    /// After the engine has acted on a batch of events: an instance that ended and that the engine no longer
    /// holds (not restarted) is gone for good, and so is everything kept about its path.
    /// </summary>
    private void ForgetRemovedInstances()
    {
        foreach (var (instance, path) in _endedInstances)
        {
            if (!_engine.HoldsInstance(instance))
            {
                _incarnations.Remove(path);
                Tree.Registry.Forget(path);
            }
        }
        _endedInstances.Clear();
    }

    /// <summary>Paths with per-path bookkeeping (incarnation counts): tests check that ended instances leave none.</summary>
    internal int TrackedPathCount => _incarnations.Count;

    private void OnCall(CallEnvelope call)
    {
        // Disposal overtakes queued calls: they are answered, never run (a start_child would start a child).
        if (_done || Tree.IsDisposing)
        {
            call.Reply.TrySetResult(CallReply.Failure("noproc"));
            return;
        }
        var callId = ++_nextCallId;
        _calls[callId] = call;
        var request = call.Request;
        if (call.Definition is { } definition)
        {
            var spec = definition.ToSpec();
            AddSpec(spec, definition);
            request = CallRequest.StartChild(spec);
        }
        Feed(SupervisorEvent.CallReceived(Now, callId, request));
    }

    private static string PathOf(object run) => run is ChildRun worker ? worker.Path : ((SupervisorProcess)run).Path;
}
