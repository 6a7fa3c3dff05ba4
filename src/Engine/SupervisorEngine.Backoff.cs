using Supervision.Engine.Internal;

namespace Supervision.Engine;

/// <summary>
/// The engine's one timer, shared by the shutdown timeout and the delayed restarts of <see cref="RestartBackoff"/>:
/// the driver sees a single timer, armed for the earliest deadline that is wanted.
/// </summary>
public sealed partial class SupervisorEngine
{
    private readonly RestartBackoff? _backoff;

    // The driver's timer.
    private bool _timerArmed;
    private long _timerToken;
    private long _timerDeadline;

    // What it is armed for: a shutdown timeout and the delayed restarts, earliest first. A waiting child is
    // named by its slot and the serial it holds while it waits; a pair whose serial is no longer held is skipped.
    private bool _shutdownTimerSet;
    private long _shutdownDeadline;
    private PriorityQueue<(int Slot, long Serial), (long Deadline, long Serial)>? _delayedRestarts;
    private long _lastBackoffSerial;

    // A group restart under backoff: the group is terminated at once and its start waits for the trigger's delay.
    private bool _delayGroupStart;
    private int _delayedTrigger = NoSlot;
    private long _groupDelayMs;
    private ExitReason _groupDelayReason;

    /// <summary>Children (or instances) waiting for a restart delayed by <see cref="SupervisorSpec.Backoff"/>.</summary>
    public int DelayedRestartCount
    {
        get
        {
            var waiting = 0;
            for (var slot = _children.Oldest; slot != NoSlot; slot = _children.Newer(slot))
            {
                waiting += _children[slot].BackoffSerial != 0 ? 1 : 0;
            }
            return waiting;
        }
    }

    private void ArmShutdownTimer(long deadlineMs)
    {
        _shutdownTimerSet = true;
        _shutdownDeadline = deadlineMs;
        SyncTimer();
    }

    private void CancelShutdownTimer()
    {
        _shutdownTimerSet = false;
        SyncTimer();
    }

    private void DropAllTimers()
    {
        _shutdownTimerSet = false;
        _delayedRestarts?.Clear();
        SyncTimer();
    }

    /// <summary>
    /// Arms the driver's timer for the earliest wanted deadline (cancelling one armed for another). With backoff
    /// off only the shutdown timeout is ever wanted, and the decisions are those of a plain arm and cancel.
    /// </summary>
    private void SyncTimer()
    {
        var wanted = _shutdownTimerSet;
        var deadline = _shutdownDeadline;
        if (TryPeekDelayedRestart(out var restartDeadline) && (!wanted || restartDeadline < deadline))
        {
            wanted = true;
            deadline = restartDeadline;
        }
        if (_timerArmed && (!wanted || _timerDeadline != deadline))
        {
            _timerArmed = false;
            Emit(Decision.ForTimer(DecisionKind.CancelTimer, _timerToken, 0));
        }
        if (wanted && !_timerArmed)
        {
            _timerToken++;
            _timerArmed = true;
            _timerDeadline = deadline;
            Emit(Decision.ForTimer(DecisionKind.ArmTimer, _timerToken, deadline));
        }
    }

    private void OnTimerFired(long token)
    {
        if (!_timerArmed || token != _timerToken)
        {
            StaleEventCount++;
            return;
        }
        _timerArmed = false;
        if (_shutdownTimerSet && _shutdownDeadline <= _now)
        {
            _shutdownTimerSet = false;
            if (_await == AwaitKind.ChildExit)
            {
                Emit(Decision.ForChild(DecisionKind.KillChild, _awaited, _children[_awaited.Slot].Spec, _children[_awaited.Slot].Instance, default));
            }
            else if (_await == AwaitKind.ParallelExits)
            {
                KillPendingInstances();
            }
        }
        // Due restarts go to the back of the mailbox, earliest first: each waits for the operation in progress, as a retry does.
        while (TryPeekDelayedRestart(out var due) && due <= _now)
        {
            var (slot, serial) = _delayedRestarts!.Dequeue();
            _mailbox.Enqueue(SupervisorEvent.BackoffElapsed(_now, slot, serial));
        }
        SyncTimer();
    }

    private bool TryPeekDelayedRestart(out long deadlineMs)
    {
        deadlineMs = 0;
        if (_delayedRestarts is null)
        {
            return false;
        }
        while (_delayedRestarts.TryPeek(out var waiting, out var priority))
        {
            if (_children.IsLive(waiting.Slot) && _children[waiting.Slot].BackoffSerial == waiting.Serial)
            {
                deadlineMs = priority.Deadline;
                return true;
            }
            _delayedRestarts.Dequeue();
        }
        return false;
    }

    /// <summary>
    /// Backoff is on and a restart was decided (and counted): pick the attempt number and its delay, report it,
    /// and make the child wait. A group strategy terminates the group first; its start waits for the delay.
    /// <paramref name="ranUntilMs"/> is when the child exited; null for the retry of a failed start: a child that
    /// never ran is not reset.
    /// </summary>
    private void DelayRestart(int slot, ref ChildEntry entry, ExitReason reason, long? ranUntilMs)
    {
        var backoff = _backoff!;
        entry.BackoffAttempt = ranUntilMs is { } exitedAt && exitedAt - entry.StartedAtMs >= backoff.ResetAfterMs ? 1
            : entry.BackoffAttempt == int.MaxValue ? int.MaxValue : entry.BackoffAttempt + 1;
        var delay = backoff.DelayMs(entry.Spec.Id, entry.Instance, entry.BackoffAttempt);
        if (_spec.Strategy is RestartStrategy.OneForAll or RestartStrategy.RestForOne)
        {
            _delayGroupStart = true;
            _delayedTrigger = slot;
            _groupDelayMs = delay;
            _groupDelayReason = reason;
            RestartCounted(slot, ref entry);
            return;
        }
        WaitForRestart(slot, ref entry, reason, delay);
    }

    /// <summary>
    /// The group has been terminated (at once, as OTP does): the trigger waits for its delay, then the strategy
    /// restarts the group. The report comes here, after the group's stops, where the starts would otherwise be.
    /// </summary>
    private void DelayGroupStart()
    {
        _delayGroupStart = false;
        var trigger = _delayedTrigger;
        _delayedTrigger = NoSlot;
        WaitForRestart(trigger, ref _children[trigger], _groupDelayReason, _groupDelayMs);
        EndOperation();
    }

    /// <summary>Reports the delay; the child shows as restarting (as OTP's <c>restarting</c> pid) until it has passed.</summary>
    private void WaitForRestart(int slot, ref ChildEntry entry, ExitReason reason, long delayMs)
    {
        Emit(Decision.ForRestartDelayed(new ChildRef(slot, entry.Incarnation), entry.Spec, entry.Instance, reason, delayMs, entry.BackoffAttempt));
        entry.State = ChildState.Restarting;
        entry.BackoffSerial = ++_lastBackoffSerial;
        _delayedRestarts ??= new();
        _delayedRestarts.Enqueue((slot, entry.BackoffSerial), (DeadlineAfter(delayMs), entry.BackoffSerial));
        SyncTimer();
    }

    /// <summary>The delay has passed: the strategy's restart runs now, without counting again.</summary>
    private void OnBackoffElapsed(int slot, long serial)
    {
        if (!_children.IsLive(slot) || _children[slot].BackoffSerial != serial)
        {
            // The wait was ended meanwhile (terminate_child, a group restart, a shutdown).
            return;
        }
        ref var entry = ref _children[slot];
        entry.BackoffSerial = 0;
        RestartCounted(slot, ref entry);
    }

    /// <summary>A waiting child that is stopped or removed stops waiting; the timer follows.</summary>
    private void EndWait(ref ChildEntry entry)
    {
        if (entry.BackoffSerial != 0)
        {
            entry.BackoffSerial = 0;
            SyncTimer();
        }
    }
}
