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
    private readonly Dictionary<ChildSpec, ChildDefinition> _definitions = new(ReferenceEqualityComparer.Instance);
    private readonly IMailbox _mailbox;
    private readonly Queue<SupervisorEvent> _pending = new();
    private readonly Dictionary<ChildRef, object> _running = [];
    private readonly Dictionary<long, CallEnvelope> _calls = [];
    private readonly Dictionary<string, int> _incarnations = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource<ExitReason> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ITimer? _timer;
    private long _timerToken;
    private long _nextCallId;
    private long _lastInstance;
    private bool _done;

    public SupervisorProcess(SupervisionTree tree, SupervisorDefinition definition, SupervisorSpec spec, string path, SupervisorProcess? parent, ChildRef referenceInParent)
    {
        Tree = tree;
        _definition = definition;
        Path = path;
        Parent = parent;
        ReferenceInParent = referenceInParent;
        _engine = new SupervisorEngine(spec, path);
        _mailbox = tree.Options.MailboxFactory?.Invoke() ?? new ChannelMailbox();
        for (var i = 0; i < spec.Children.Count; i++)
        {
            _definitions[spec.Children[i]] = definition.Children[i];
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
            // The supervisor is gone: a call gets noproc, an injection reports it found nothing.
            (message.Payload as CallEnvelope)?.Reply.TrySetResult(CallReply.Failure("noproc"));
            (message.Payload as ExitInjection)?.Done.TrySetResult(false);
        }
    }

    public Task<CallReply> CallAsync(CallRequest request, string name, ChildDefinition? definition)
    {
        var call = new CallEnvelope(request, name, definition);
        Post(new Message(MessageKind.Call, ChildRef.None, default, default, 0, call));
        return call.Reply.Task;
    }

    private long Now => (long)Tree.TimeProvider.GetElapsedTime(Tree.StartTimestamp).TotalMilliseconds;

    private async Task LoopAsync()
    {
        try
        {
            Feed(SupervisorEvent.Start(Now));
            while (!_done)
            {
                var message = await _mailbox.ReadAsync();
                Handle(message);
            }
        }
        catch (Exception error)
        {
            // A runtime bug or an engine fault: report it and take the subtree down rather than hang.
            Tree.Log.SupervisorFaulted(Path, error);
            KillSubtree(ExitReason.Abnormal("supervisor_fault"));
            Parent?.Post(new Message(MessageKind.NestedExited, ReferenceInParent, ExitReason.Abnormal("supervisor_fault"), default, 0, this));
        }
        finally
        {
            _mailbox.Complete();
            while (_mailbox.TryRead(out var late))
            {
                if (late.Payload is CallEnvelope call)
                {
                    call.Reply.TrySetResult(CallReply.Failure("noproc"));
                }
            }
        }
    }

    private void Handle(Message message)
    {
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
            case MessageKind.Kill:
                KillSubtree(ExitReason.Killed);
                break;
            case MessageKind.StartTimeout:
                OnStartTimeout((ChildRun)message.Payload!);
                break;
        }
    }

    /// <summary>Hands one event to the engine and carries out everything it decides, including events those decisions produce at once.</summary>
    private void Feed(SupervisorEvent e)
    {
        _pending.Enqueue(e);
        while (!_done && _pending.TryDequeue(out var next))
        {
            _engine.Handle(next);
            while (_engine.TryDequeueDecision(out var decision))
            {
                Execute(decision);
            }
        }
    }

    private void OnStartOutcome(in Message message)
    {
        var run = message.Payload!;
        if (!_running.TryGetValue(message.Child, out var current) || !ReferenceEquals(current, run))
        {
            return;
        }
        var path = PathOf(run);
        var result = message.Start;
        (run as ChildRun)?.DisposeStartTimer();
        Tree.Observe(new RuntimeNotice(NoticeKind.ChildStartResult, this)
        {
            ChildPath = path,
            Child = message.Child,
            Reason = result.Error,
            StartKind = result.Kind,
            Spec = SpecOf(run),
            Instance = InstanceOf(run),
            NewInstance = IsNewInstance(run),
        });
        switch (result.Kind)
        {
            case ChildStartKind.Started:
                if (IsNewInstance(run))
                {
                    _lastInstance++;
                }
                Tree.Metrics.LiveChildren(+1);
                Tree.Registry.OnStarted(path, ((ChildRun)run).Context.Incarnation);
                Feed(SupervisorEvent.ChildStarted(Now, message.Child));
                break;
            case ChildStartKind.Ignored:
                _running.Remove(message.Child);
                Feed(SupervisorEvent.ChildIgnored(Now, message.Child));
                break;
            default:
                _running.Remove(message.Child);
                Tree.Metrics.StartFailure(Path);
                Feed(SupervisorEvent.ChildStartFailed(Now, message.Child, result.Error));
                break;
        }
    }

    /// <summary>The start phase outlived the start timeout: a failed start (<c>start_timeout</c>); the task is abandoned.</summary>
    private void OnStartTimeout(ChildRun run)
    {
        if (!_running.TryGetValue(run.Reference, out var current) || !ReferenceEquals(current, run) || run.StartReported)
        {
            return;
        }
        _running.Remove(run.Reference);
        run.StartTimedOut(Tree.Options.StartTimeout);
        Tree.Metrics.Abandoned(stillRunning: true);
        var error = ExitReason.Abnormal("start_timeout");
        Tree.Observe(new RuntimeNotice(NoticeKind.ChildStartResult, this)
        {
            ChildPath = run.Path,
            Child = run.Reference,
            Reason = error,
            StartKind = ChildStartKind.Failed,
            Spec = run.Spec,
            Instance = run.Context.Instance,
        });
        Tree.Metrics.StartFailure(Path);
        Feed(SupervisorEvent.ChildStartFailed(Now, run.Reference, error));
    }

    private void OnCompleted(ChildRun run, ExitReason reason)
    {
        var matcher = Tree.Options.CompletionMatcher ?? IncarnationMatcher.Instance;
        if (matcher.TryMatch(_running, run, out var reference))
        {
            _running.Remove(reference);
            ChildGone(run.Path, reason);
            Feed(SupervisorEvent.ChildExited(Now, reference, reason));
        }
        else if (run.IsAbandoned)
        {
            // A killed (or timed-out) task finished after all: a stale incarnation, reported and ignored.
            Tree.Log.AbandonedTaskCompleted(run.Path, reason);
            Tree.Metrics.AbandonedCompleted();
        }
    }

    private void ChildGone(string path, ExitReason reason)
    {
        Tree.Metrics.LiveChildren(-1);
        Tree.Metrics.Exit(reason);
        Tree.Registry.OnEnded(path);
    }

    private void OnCall(CallEnvelope call)
    {
        if (_done)
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
            _definitions[spec] = definition;
            request = CallRequest.StartChild(spec);
        }
        Feed(SupervisorEvent.CallReceived(Now, callId, request));
    }

    private void OnInjectExit(ExitInjection injection)
    {
        foreach (var (reference, run) in _running)
        {
            if (PathOf(run) != injection.Path)
            {
                continue;
            }
            _running.Remove(reference);
            if (run is ChildRun worker)
            {
                Tree.Metrics.Abandoned(worker.Abandon());
            }
            else
            {
                ((SupervisorProcess)run).KillSubtree(injection.Reason);
            }
            ChildGone(injection.Path, injection.Reason);
            injection.Done.TrySetResult(true);
            Feed(SupervisorEvent.ChildExited(Now, reference, injection.Reason));
            return;
        }
        injection.Done.TrySetResult(false);
    }

    private static string PathOf(object run) => run is ChildRun worker ? worker.Path : ((SupervisorProcess)run).Path;
}
