using Supervision.Engine.Internal;

namespace Supervision.Engine;

/// <summary>Init, child exits, restart strategies, intensity, auto_shutdown and giving up.</summary>
public sealed partial class SupervisorEngine
{
    private void BeginInit()
    {
        Status = EngineStatus.Running;
        if (_simple)
        {
            // simple_one_for_one starts with no children: init is immediate.
            Emit(Decision.ForSupervisor(DecisionKind.Started, null, default));
            return;
        }
        foreach (var spec in _spec.Children)
        {
            var slot = _children.Allocate(spec, null, ++_lastUid);
            _children.LinkNewest(slot, byInstance: false);
        }
        _op = Operation.Init;
        _cursor = _children.Oldest;
        _walkStop = NoSlot;
        ContinueStartWalk();
    }

    /// <summary>OTP's handle_info({'EXIT', Pid, Reason}): restart_child / do_restart.</summary>
    /// <param name="child">The child that exited.</param>
    /// <param name="reason">Its exit reason.</param>
    /// <param name="exitedAtMs">
    /// When it exited (the event's time): the uptime that resets backoff ends there, not when the exit is handled,
    /// which may be much later when it waited in the mailbox behind a termination (generated seed 92337).
    /// </param>
    private void OnChildExit(ChildRef child, ExitReason reason, long exitedAtMs)
    {
        if (!_children.IsCurrent(child))
        {
            StaleEventCount++;
            return;
        }
        var slot = child.Slot;
        ref var entry = ref _children[slot];
        if (entry.State != ChildState.Running)
        {
            StaleEventCount++;
            return;
        }
        var spec = entry.Spec;
        entry.State = ChildState.Undefined;
        switch (spec.Restart)
        {
            case RestartType.Permanent:
            case RestartType.Transient when !reason.IsNormal:
                // The hot path: the entry is passed on by reference rather than looked up again. The attempt is
                // counted before the report is emitted so that the report carries the window's count; the
                // decisions come out in OTP's order all the same (child_terminated, then a restart or a give-up).
                var withinIntensity = _window.TryAdd(_now, spec.Id, entry.Instance, reason);
                Emit(Decision.ForCountedExit(new ChildRef(slot, entry.Incarnation), spec, entry.Instance, reason, _window.Count));
                if (withinIntensity && _backoff is null)
                {
                    RestartCounted(slot, ref entry);
                }
                else if (withinIntensity)
                {
                    DelayRestart(slot, ref entry, reason, ranUntilMs: exitedAtMs);
                }
                else
                {
                    GiveUp(slot);
                }
                break;
            case RestartType.Transient:
                if (_simple)
                {
                    _children.Remove(slot);
                }
                CheckAutoShutdown(spec);
                break;
            default:
                if (!reason.IsNormal)
                {
                    Report(ReportKind.ChildTerminated, slot, reason);
                }
                _children.Remove(slot);
                CheckAutoShutdown(spec);
                break;
        }
    }

    /// <summary>OTP's try_again_restart: acts only if the child is still waiting for its retry.</summary>
    private void OnTryAgain(int slot, long uid)
    {
        if (!_children.IsLive(slot) || _children[slot].Uid != uid || _children[slot].State != ChildState.Restarting || _children[slot].BackoffSerial != 0)
        {
            return;
        }
        Restart(slot, _children[slot].LastReason);
    }

    /// <summary>OTP's restart/2: count the attempt (caused by <paramref name="reason"/>) against intensity, then restart or give up.</summary>
    private void Restart(int slot, ExitReason reason)
    {
        ref var entry = ref _children[slot];
        if (!_window.TryAdd(_now, entry.Spec.Id, entry.Instance, reason))
        {
            GiveUp(slot);
            return;
        }
        if (_backoff is not null)
        {
            DelayRestart(slot, ref entry, reason, ranUntilMs: null);
            return;
        }
        RestartCounted(slot, ref entry);
    }

    /// <summary>The attempt was counted within the intensity: the strategy's restart begins.</summary>
    private void RestartCounted(int slot, ref ChildEntry entry)
    {
        entry.State = ChildState.Undefined;
        _op = Operation.Restart;
        switch (_spec.Strategy)
        {
            case RestartStrategy.RestForOne:
                _groupFirst = slot;
                _cursor = _children.Newest;
                _walkStop = slot;
                ContinueTerminateWalk();
                break;
            case RestartStrategy.OneForAll:
                _groupFirst = NoSlot;
                _cursor = _children.Newest;
                _walkStop = NoSlot;
                ContinueTerminateWalk();
                break;
            default:
                _cursor = slot;
                _walkStop = slot;
                BeginStart(slot, ref entry);
                break;
        }
    }

    private void GiveUp(int slot)
    {
        ref var entry = ref _children[slot];
        Emit(Decision.ForGiveUp(new ChildRef(slot, entry.Incarnation), entry.Spec, entry.Instance, MaxIntensityReason, _window.Snapshot()));
        MarkStopped(slot);
        BeginShutdown(ExitReason.Shutdown, ExitCause.GaveUp);
    }

    /// <summary>OTP's del_child: a temporary child (or an instance) is removed; any other is kept, not running.</summary>
    private void MarkStopped(int slot)
    {
        EndWait(ref _children[slot]);
        if (_simple || _children[slot].Spec.Restart == RestartType.Temporary)
        {
            _children.Remove(slot);
        }
        else
        {
            _children[slot].State = ChildState.Undefined;
        }
    }

    /// <summary>OTP's do_auto_shutdown, made only when a child ended on its own and is not restarted.</summary>
    private void CheckAutoShutdown(ChildSpec ended)
    {
        if (_spec.AutoShutdown == AutoShutdown.Never || !ended.Significant)
        {
            return;
        }
        if (_spec.AutoShutdown == AutoShutdown.AllSignificant && AnySignificantChildAlive())
        {
            return;
        }
        BeginShutdown(ExitReason.Shutdown, ExitCause.AutoShutdown);
    }

    /// <summary>A child in restarting state counts as having a pid, as in OTP.</summary>
    private bool AnySignificantChildAlive()
    {
        for (var slot = _children.Oldest; slot != NoSlot; slot = _children.Newer(slot))
        {
            ref var entry = ref _children[slot];
            if (entry.Spec.Significant && entry.State != ChildState.Undefined)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>OTP's terminate/2: every child newest first (instances in parallel), then exit.</summary>
    private void BeginShutdown(ExitReason reason, ExitCause cause)
    {
        _exitCause = cause;
        _op = Operation.Shutdown;
        _exitReason = reason;
        if (_simple)
        {
            BeginParallelTermination();
            return;
        }
        _cursor = _children.Newest;
        _walkStop = NoSlot;
        ContinueTerminateWalk();
    }

    /// <summary>OTP's shutdown/2 outcome check: is this the end we asked for?</summary>
    private static bool IsAcceptableShutdown(ChildSpec spec, ExitReason reason)
    {
        var tolerant = spec.Restart != RestartType.Permanent && reason.IsNormal;
        return spec.EffectiveShutdown.Kind == ShutdownKind.BrutalKill
            ? reason.Kind == ExitReasonKind.Killed || tolerant
            : reason.Kind == ExitReasonKind.Shutdown || tolerant;
    }
}
