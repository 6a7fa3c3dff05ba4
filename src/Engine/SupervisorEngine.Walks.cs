using Supervision.Engine.Internal;

namespace Supervision.Engine;

/// <summary>
/// Sequential walks over the child list: terminating newest to oldest and starting oldest to newest,
/// one child at a time; and the parallel termination of simple_one_for_one instances.
/// </summary>
public sealed partial class SupervisorEngine
{
    private void ContinueStartWalk()
    {
        if (_cursor == NoSlot)
        {
            OnStartWalkDone();
            return;
        }
        BeginStart(_cursor);
    }

    private void BeginStart(int slot) => BeginStart(slot, ref _children[slot]);

    private void BeginStart(int slot, ref ChildEntry entry)
    {
        entry.Incarnation = ++_lastIncarnation;
        var child = new ChildRef(slot, entry.Incarnation);
        Emit(Decision.ForChild(DecisionKind.StartChild, child, entry.Spec, entry.Instance, default, entry.Arguments));
        Await(AwaitKind.StartResult, child);
    }

    private void OnStartResult(in SupervisorEvent e)
    {
        switch (_op)
        {
            case Operation.StartCall:
                OnStartCallResult(e);
                break;
            case Operation.RestartCall:
                OnRestartCallResult(e);
                break;
            default:
                OnWalkStartResult(e);
                break;
        }
    }

    /// <summary>OTP's start_children step (init and group restarts) and one_for_one's single restart.</summary>
    private void OnWalkStartResult(in SupervisorEvent e)
    {
        var slot = e.Child.Slot;
        var next = slot == _walkStop ? NoSlot : _children.Newer(slot);
        ref var entry = ref _children[slot];
        switch (e.Kind)
        {
            case EventKind.ChildStarted:
                entry.State = ChildState.Running;
                entry.StartedAtMs = _now;
                if (!_simple)
                {
                    Report(ReportKind.Progress, slot, default);
                }
                break;
            case EventKind.ChildIgnored:
                // A temporary that ignores is dropped; so is an instance (OTP's Q1 bug is not reproduced).
                if (_simple || entry.Spec.Restart == RestartType.Temporary)
                {
                    _children.Remove(slot);
                }
                else
                {
                    entry.State = ChildState.Undefined;
                }
                break;
            default:
                Report(ReportKind.StartError, slot, e.Reason);
                OnWalkStartFailed(slot, e.Reason);
                return;
        }
        _cursor = next;
        ContinueStartWalk();
    }

    private void OnWalkStartFailed(int slot, ExitReason error)
    {
        ref var entry = ref _children[slot];
        if (_op == Operation.Init)
        {
            // Init stops at the first failure and terminates what it started, newest first.
            _initFailedSpec = entry.Spec;
            _initFailedReason = error;
            _op = Operation.InitAbort;
            _cursor = _children.Newest;
            _walkStop = NoSlot;
            ContinueTerminateWalk();
            return;
        }
        // A failed restart: the child waits in restarting state; the retry goes to the back of the mailbox.
        entry.State = ChildState.Restarting;
        entry.LastReason = error;
        _mailbox.Enqueue(SupervisorEvent.TryAgain(_now, slot, entry.Uid));
        EndOperation();
    }

    private void OnStartWalkDone()
    {
        if (_op == Operation.Init)
        {
            Emit(Decision.ForSupervisor(DecisionKind.Started, null, default));
        }
        EndOperation();
    }

    private void ContinueTerminateWalk()
    {
        while (_cursor != NoSlot)
        {
            var slot = _cursor;
            _cursor = slot == _walkStop ? NoSlot : _children.Older(slot);
            if (BeginTerminate(slot))
            {
                return;
            }
        }
        OnTerminateWalkDone();
    }

    /// <summary>OTP's do_terminate for one child; true when it must wait for the child's exit.</summary>
    private bool BeginTerminate(int slot)
    {
        ref var entry = ref _children[slot];
        if (entry.State != ChildState.Running)
        {
            MarkStopped(slot);
            return false;
        }
        var child = new ChildRef(slot, entry.Incarnation);
        if (TryTakeQueuedExit(child, out var ownReason))
        {
            FinishTerminate(child, ownReason);
            return false;
        }
        var policy = entry.Spec.EffectiveShutdown;
        if (policy.Kind == ShutdownKind.BrutalKill)
        {
            EmitFor(DecisionKind.KillChild, slot);
        }
        else
        {
            EmitFor(DecisionKind.StopChild, slot);
            if (policy.Kind == ShutdownKind.Timeout)
            {
                if (policy.TimeoutMs == 0)
                {
                    EmitFor(DecisionKind.KillChild, slot);
                }
                else
                {
                    ArmShutdownTimer(DeadlineAfter(policy.TimeoutMs));
                }
            }
        }
        Await(AwaitKind.ChildExit, child);
        return true;
    }

    private void FinishTerminate(ChildRef child, ExitReason reason)
    {
        var slot = child.Slot;
        EmitFor(DecisionKind.ChildTerminated, slot, reason);
        if (!IsAcceptableShutdown(_children[slot].Spec, reason))
        {
            Report(ReportKind.ShutdownError, slot, reason);
        }
        MarkStopped(slot);
    }

    private void OnTerminateWalkDone()
    {
        switch (_op)
        {
            case Operation.Restart when _delayGroupStart:
                DelayGroupStart();
                break;
            case Operation.Restart:
                _cursor = _groupFirst != NoSlot ? _groupFirst : _children.Oldest;
                _walkStop = NoSlot;
                ContinueStartWalk();
                break;
            case Operation.InitAbort:
                Exit(Decision.ForSupervisor(DecisionKind.InitFailed, _initFailedSpec, _initFailedReason));
                break;
            case Operation.Shutdown:
                Exit(Decision.ForSupervisor(DecisionKind.Exited, null, _exitReason, _exitCause));
                break;
            case Operation.TerminateCall:
                Reply(_callId, CallReply.OkReply);
                EndOperation();
                break;
            default:
                Fault($"terminate walk finished in operation {_op}");
                break;
        }
    }

    /// <summary>OTP's terminate_dynamic_children: signal every instance at once, one timer, then wait for all.</summary>
    private void BeginParallelTermination()
    {
        var policy = _template!.EffectiveShutdown;
        _pendingExits = 0;
        for (var slot = _children.Oldest; slot != NoSlot;)
        {
            var next = _children.Newer(slot);
            ref var entry = ref _children[slot];
            if (entry.State == ChildState.Running)
            {
                var child = new ChildRef(slot, entry.Incarnation);
                if (TryTakeQueuedExit(child, out var ownReason))
                {
                    RecordParallelExit(child, ownReason);
                }
                else
                {
                    entry.AwaitingExit = true;
                    _pendingExits++;
                    EmitFor(policy.Kind == ShutdownKind.BrutalKill ? DecisionKind.KillChild : DecisionKind.StopChild, slot);
                }
            }
            slot = next;
        }
        if (_pendingExits == 0)
        {
            FinishParallelTermination();
            return;
        }
        if (policy.Kind == ShutdownKind.Timeout)
        {
            if (policy.TimeoutMs == 0)
            {
                KillPendingInstances();
            }
            else
            {
                ArmShutdownTimer(DeadlineAfter(policy.TimeoutMs));
            }
        }
        Await(AwaitKind.ParallelExits, ChildRef.None);
    }

    private void KillPendingInstances()
    {
        for (var slot = _children.Oldest; slot != NoSlot; slot = _children.Newer(slot))
        {
            if (_children[slot].AwaitingExit)
            {
                EmitFor(DecisionKind.KillChild, slot);
            }
        }
    }

    private void OnParallelExit(ChildRef child, ExitReason reason)
    {
        RecordParallelExit(child, reason);
        if (--_pendingExits == 0)
        {
            ClearAwait();
            CancelShutdownTimer();
            FinishParallelTermination();
        }
    }

    private void RecordParallelExit(ChildRef child, ExitReason reason)
    {
        EmitFor(DecisionKind.ChildTerminated, child.Slot, reason);
        if (!IsAcceptableShutdown(_template!, reason))
        {
            _parallelErrors ??= [];
            var index = _parallelErrors.FindIndex(group => group.Reason == reason);
            if (index < 0)
            {
                _parallelErrors.Add((reason, 1));
            }
            else
            {
                _parallelErrors[index] = (reason, _parallelErrors[index].Count + 1);
            }
        }
        _children.Remove(child.Slot);
    }

    private void FinishParallelTermination()
    {
        // One shutdown_error per distinct reason, with the number of instances (OTP's nb_children).
        foreach (var (reason, count) in _parallelErrors ?? [])
        {
            Emit(Decision.ForReport(ReportKind.ShutdownError, ChildRef.None, _template, 0, reason, count));
        }
        _parallelErrors = null;
        Exit(Decision.ForSupervisor(DecisionKind.Exited, null, _exitReason, _exitCause));
    }

    /// <summary>
    /// The deadline <paramref name="timeoutMs"/> from now, saturated: a timeout of any length (up to
    /// <see cref="long.MaxValue"/>) gives a deadline no earlier than now, never one wrapped into the past.
    /// </summary>
    private long DeadlineAfter(long timeoutMs) => timeoutMs > long.MaxValue - _now ? long.MaxValue : _now + timeoutMs;
}
