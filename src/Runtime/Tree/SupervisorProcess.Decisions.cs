using Supervision.Engine;

namespace Supervision.Runtime.Tree;

/// <summary>Carrying out the engine's decisions.</summary>
internal sealed partial class SupervisorProcess
{
    private void Execute(in Decision d)
    {
        ObserveDecision(d);
        switch (d.Kind)
        {
            case DecisionKind.StartChild:
                StartChild(d);
                break;
            case DecisionKind.StopChild:
                if (_running.TryGetValue(d.Child, out var stopping))
                {
                    if (stopping is ChildRun worker)
                    {
                        worker.RequestStop();
                    }
                    else
                    {
                        var stop = new Message(MessageKind.Stop, ChildRef.None, ExitReason.Shutdown, default, 0, null);
                        var nested = (SupervisorProcess)stopping;
                        if (Tree.IsDisposing)
                        {
                            // Disposal overtakes whatever the child supervisor still has queued.
                            nested.PostUrgent(stop);
                        }
                        else
                        {
                            nested.Post(stop);
                        }
                    }
                }
                break;
            case DecisionKind.KillChild:
                KillChild(d.Child);
                break;
            case DecisionKind.ArmTimer:
                ArmTimer(d.Token, d.DeadlineMs);
                break;
            case DecisionKind.CancelTimer:
                _timer?.Dispose();
                _timer = null;
                _timerToken = 0;
                break;
            case DecisionKind.ChildTerminated when Tree.HasListeners:
                Tree.Observe(new RuntimeNotice(NoticeKind.ChildStopped, this) { ChildPath = ChildPath(d), Child = d.Child, Reason = d.Reason, Spec = d.Spec, Instance = d.Instance });
                break;
            case DecisionKind.Reply:
                Reply(d.Token, d.Reply!);
                break;
            case DecisionKind.Report when Parent is null && d.Report == ReportKind.ReachedMaxRestartIntensity:
                // The root gives up: what made it is kept for the tree's termination (the host's policy logs it).
                Tree.RootGaveUpAfter = d.RestartWindow is { Count: > 0 } window ? window[^1] : null;
                OnReport(d);
                break;
            case DecisionKind.Report:
                OnReport(d);
                break;
            case DecisionKind.Started:
                Tree.Observe(new RuntimeNotice(NoticeKind.SupervisorStarted, this));
                _started.TrySetResult();
                Parent?.Post(new Message(MessageKind.NestedStarted, ReferenceInParent, default, default, 0, this));
                break;
            case DecisionKind.InitFailed:
                var token = ExitReason.Abnormal($"failed_to_start_child:{d.Spec!.Id}");
                Tree.Observe(new RuntimeNotice(NoticeKind.SupervisorInitFailed, this) { Reason = token, Spec = d.Spec });
                _started.TrySetException(new SupervisorStartException(Path, d.Spec.Id, d.Reason));
                Finish(token);
                Parent?.Post(new Message(MessageKind.NestedInitFailed, ReferenceInParent, token, default, 0, this));
                break;
            case DecisionKind.Exited:
                OnExitedObserved(d);
                if (Parent is null)
                {
                    Tree.RootExitCause = d.ExitCause;
                }
                Tree.Observe(new RuntimeNotice(NoticeKind.SupervisorExited, this) { Reason = d.Reason, ExitCause = d.ExitCause });
                Finish(d.Reason);
                Parent?.Post(new Message(MessageKind.NestedExited, ReferenceInParent, d.Reason, default, 0, this));
                break;
        }
    }

    private void StartChild(in Decision d)
    {
        var spec = d.Spec!;
        var entry = _specs[spec];
        var definition = entry.Definition;
        var newInstance = IsSimple && d.Instance == 0;
        // A new instance gets the next instance number if its start succeeds (the engine numbers them in order).
        var instance = newInstance ? _lastInstance + 1 : d.Instance;
        var path = IsSimple ? $"{entry.Path}#{instance}" : entry.Path;
        if (Tree.IsDisposing)
        {
            // Nothing starts once disposal began: the start fails without running any of the child's code.
            Tree.Observe(new RuntimeNotice(NoticeKind.ChildStartResult, this)
            {
                ChildPath = path, Child = d.Child, Reason = ExitReason.Shutdown, StartKind = ChildStartKind.Failed, Spec = spec, Instance = instance, NewInstance = newInstance,
            });
            _pending.Enqueue(SupervisorEvent.ChildStartFailed(Now, d.Child, ExitReason.Shutdown));
            return;
        }
        // Counted by path, so that a child deleted and added again under the same id keeps counting.
        var incarnation = _incarnations[path] = _incarnations.GetValueOrDefault(path) + 1;
        if (definition.SupervisorDefinition is { } nested)
        {
            if (Tree.Options.SupervisorStartGate?.Invoke(path) is { } gated)
            {
                // A test hook: the supervisor child's start fails or is ignored without starting it.
                Tree.Observe(new RuntimeNotice(NoticeKind.ChildStartResult, this)
                {
                    ChildPath = path, Child = d.Child, Reason = gated.Error, StartKind = gated.Kind, Spec = spec, Instance = instance, NewInstance = newInstance,
                });
                _pending.Enqueue(gated.Kind == ChildStartKind.Ignored
                    ? SupervisorEvent.ChildIgnored(Now, d.Child)
                    : SupervisorEvent.ChildStartFailed(Now, d.Child, gated.Error));
                return;
            }
            var process = new SupervisorProcess(Tree, nested, spec.Supervisor!, path, this, d.Child)
            {
                Incarnation = incarnation,
                NewInstance = newInstance,
                SpecInParent = spec,
                InstanceInParent = instance,
            };
            _running[d.Child] = process;
            process.Launch();
            return;
        }
        var run = new ChildRun(this, d.Child, path, definition, instance, incarnation, d.Arguments) { NewInstance = newInstance, Spec = spec };
        _running[d.Child] = run;
        var startedAtMs = Now;
        var starting = Tree.Scheduler.RunInline(path, static child => child.BeginStart(), run);
        ForgetStepTime();
        if (!starting.IsCompleted)
        {
            // The start waits for something: the rest runs as the child's activity, under the start timeout.
            ArmStartTimer(run, TimeSpan.FromMilliseconds(Now - startedAtMs));
            SpawnFinishStart(path, run, starting);
            return;
        }
        var result = run.EndStart(starting);
        if (result.Kind == ChildStartKind.Started)
        {
            Tree.Scheduler.Spawn(path, run.RunAsync);
        }
        else
        {
            run.EndWithoutBody();
        }
        // The engine hears the outcome right after this decision (StartChild is always the last of its batch).
        ApplyStartOutcome(run, d.Child, result);
    }

    /// <summary>
    /// Spawns the rest of a start that waits. A method of its own: a lambda in the start decision's handler would
    /// capture its locals there, and so cost every start (most complete at once) a closure object.
    /// </summary>
    private void SpawnFinishStart(string path, ChildRun run, ValueTask<ChildStartResult> starting) =>
        Tree.Scheduler.Spawn(path, () => run.FinishStartAsync(starting));

    private void ArmStartTimer(ChildRun run, TimeSpan alreadyWaited)
    {
        var timeout = Tree.Options.StartTimeout;
        if (timeout == Timeout.InfiniteTimeSpan)
        {
            return;
        }
        run.StartTimer = DeadlineTimer.Start(
            Tree.TimeProvider,
            static state =>
            {
                var started = (ChildRun)state!;
                started.Owner.Post(new Message(MessageKind.StartTimeout, started.Reference, default, default, 0, started));
            },
            run,
            timeout >= TimeSpan.MaxValue - alreadyWaited ? timeout : timeout - alreadyWaited);
    }

    private void ArmTimer(long token, long deadlineMs)
    {
        _timer?.Dispose();
        _timerToken = token;
        // The engine saturates deadlines: a timeout of any length gives a due time here (or none: infinity in practice).
        _timer = DeadlineTimer.Start(
            Tree.TimeProvider,
            static state =>
            {
                var (process, armed) = ((SupervisorProcess, long))state!;
                process.Post(new Message(MessageKind.Timer, ChildRef.None, default, default, armed, null));
            },
            (this, token),
            deadlineMs == long.MaxValue ? long.MaxValue : deadlineMs - Now);
    }

    private void Reply(long callId, CallReply reply)
    {
        if (_calls.Remove(callId, out var call))
        {
            Tree.Observe(new RuntimeNotice(NoticeKind.Replied, this) { CallName = call.Name, Reply = reply });
            call.Reply.TrySetResult(reply);
        }
    }

    private void OnNestedStarted(ChildRef child, SupervisorProcess process)
    {
        if (_running.TryGetValue(child, out var current) && ReferenceEquals(current, process))
        {
            process.StartAcknowledged = true;
            if (process.NewInstance)
            {
                _lastInstance++;
            }
            Tree.Metrics.LiveChildren(+1);
            Tree.Registry.OnStarted(process.Path, process.Incarnation);
            Feed(SupervisorEvent.ChildStarted(Now, child));
        }
    }

    private void OnNestedStartFailed(ChildRef child, ExitReason token, SupervisorProcess process)
    {
        if (_running.TryGetValue(child, out var current) && ReferenceEquals(current, process))
        {
            _running.Remove(child);
            Tree.Metrics.StartFailure(Path);
            Feed(SupervisorEvent.ChildStartFailed(Now, child, token));
        }
    }

    private void OnNestedExited(ChildRef child, ExitReason reason, SupervisorProcess process)
    {
        if (_running.TryGetValue(child, out var current) && ReferenceEquals(current, process))
        {
            _running.Remove(child);
            // A child supervisor that faulted killed its subtree: its exit counts once those tasks have ended.
            var wait = new KillWait(this, child, process, reason, KillEnding.Exit);
            foreach (var run in process.FaultPending ?? [])
            {
                wait.Watch(run);
            }
            BeginKillWait(wait);
            Pump();
        }
    }

    /// <summary>Set when this supervisor's loop faulted: the tasks of its subtree that were still running.</summary>
    public List<ChildRun>? FaultPending { get; private set; }

    /// <summary>The running children in the engine's order (newest first), then anything else still tracked.</summary>
    private List<object> RunningNewestFirst()
    {
        var ordered = new List<object>(_running.Count);
        foreach (var info in _engine.SnapshotChildren())
        {
            if (info.State == Engine.ChildState.Running && _running.TryGetValue(info.Current, out var run))
            {
                ordered.Add(run);
            }
        }
        foreach (var run in _running.Values)
        {
            if (!ordered.Contains(run))
            {
                ordered.Add(run);
            }
        }
        return ordered;
    }

    private void Finish(ExitReason reason)
    {
        _done = true;
        EndObservations();
        _timer?.Dispose();
        _timer = null;
        _graceTimer?.Dispose();
        _graceTimer = null;
        // Calls still waiting die with the supervisor: noproc, in the order they arrived.
        foreach (var callId in _calls.Keys.Order().ToList())
        {
            var call = _calls[callId];
            var noproc = CallReply.Failure("noproc");
            Tree.Observe(new RuntimeNotice(NoticeKind.Replied, this) { CallName = call.Name, Reply = noproc });
            call.Reply.TrySetResult(noproc);
        }
        _calls.Clear();
        if (IsSimple)
        {
            // Its instances go with it: nothing about their paths is kept in the tree.
            foreach (var path in _incarnations.Keys)
            {
                Tree.Registry.Forget(path);
            }
            _incarnations.Clear();
            _endedInstances.Clear();
        }
        _started.TrySetException(new SupervisorStartException(Path, null, reason));
        _exited.TrySetResult(reason);
        Tree.UnregisterSupervisor(this);
        if (Parent is null)
        {
            Tree.RootExited(reason);
        }
    }

    /// <summary>1 for the first start of this supervisor's path, 2 after a restart, ...</summary>
    public int Incarnation { get; init; } = 1;

    /// <summary>Its parent has handled its successful init (until then, killing it is a failed start).</summary>
    public bool StartAcknowledged { get; set; }

    /// <summary>This supervisor is a new simple_one_for_one instance being started.</summary>
    public bool NewInstance { get; init; }

    /// <summary>Its spec in its parent (null for the root).</summary>
    public ChildSpec? SpecInParent { get; init; }

    /// <summary>Its instance number in a simple_one_for_one parent, or 0.</summary>
    public long InstanceInParent { get; init; }

    private string ChildPath(in Decision d)
    {
        if (d.Child.IsNone)
        {
            return d.Spec is null ? Path : $"{Path}/{d.Spec.Id}";
        }
        if (_running.TryGetValue(d.Child, out var run))
        {
            return PathOf(run);
        }
        // Every spec the engine names came through AddSpec (init or start_child).
        var specPath = _specs[d.Spec!].Path;
        return IsSimple ? $"{specPath}#{d.Instance}" : specPath;
    }

    private void AddSpec(ChildSpec spec, ChildDefinition definition) => _specs[spec] = new SpecEntry(definition, $"{Path}/{spec.Id}");

    /// <summary>What the runtime keeps per child spec: its definition and its path (instances add <c>#n</c>).</summary>
    private sealed class SpecEntry(ChildDefinition definition, string path)
    {
        public ChildDefinition Definition { get; } = definition;

        public string Path { get; } = path;
    }

    private static long InstanceOf(object run) => run is ChildRun worker ? worker.Context.Instance : ((SupervisorProcess)run).InstanceInParent;
}
