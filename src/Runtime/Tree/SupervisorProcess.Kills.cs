using Supervision.Engine;

namespace Supervision.Runtime.Tree;

/// <summary>
/// Kills: a killed child's task is waited for (at most the kill grace) before the engine hears of its
/// end, so that a new incarnation never starts beside the old one; a task that outlives the grace is
/// rogue. Kills of a worker, of a child supervisor with its subtree, start timeouts and injected exits.
/// </summary>
internal sealed partial class SupervisorProcess
{
    /// <summary>One timer for every kill grace of this supervisor, re-armed for the earliest (reused, not remade per kill).</summary>
    private ITimer? _graceTimer;
    private long _graceTimerDueMs = long.MaxValue;
    private bool _graceTimerStepped;

    /// <summary>
    /// The start phase outlived the start timeout: a failed start (<c>start_timeout</c>), told to the engine
    /// once the start's task has ended or the kill grace ran out (then it is rogue). Its body never runs.
    /// </summary>
    private void OnStartTimeout(ChildRun run)
    {
        if (!_running.TryGetValue(run.Reference, out var current) || !ReferenceEquals(current, run) || run.StartReported || !run.TryTimeOutStart())
        {
            return;
        }
        _running.Remove(run.Reference);
        run.StartTimedOut(Tree.Options.StartTimeout);
        var wait = new KillWait(this, run.Reference, run, ExitReason.Abnormal("start_timeout"), KillEnding.StartFailed);
        wait.Watch(run);
        BeginKillWait(wait);
        Pump();
    }

    /// <summary>
    /// Kill: both of the child's signals are cancelled, and the engine hears of its exit (<c>killed</c>)
    /// once its task has ended, or the kill grace ran out (the task is then rogue). A child whose task had
    /// already ended before the kill reached it exits with its own reason, as in OTP.
    /// </summary>
    private void KillChild(ChildRef child)
    {
        if (!_running.Remove(child, out var target))
        {
            return;
        }
        if (target is ChildRun worker)
        {
            if (worker.HasEnded && worker.Outcome is { } ended)
            {
                RememberError(child, worker.Error);
                ChildGone(worker.Path, ended, worker.Context.Instance);
                _pending.Enqueue(SupervisorEvent.ChildExited(Now, child, ended));
                return;
            }
            KillWorker(child, worker, ExitReason.Killed, KillEnding.Exit, injection: null);
            return;
        }
        var wait = new KillWait(this, child, target, ExitReason.Killed, KillEnding.Exit);
        foreach (var run in ((SupervisorProcess)target).KillSubtree(ExitReason.Killed))
        {
            wait.Watch(run);
        }
        BeginKillWait(wait);
    }

    /// <summary>
    /// Erlang's <c>exit(Pid, Reason)</c> on a running child: it is killed, and once its task has ended (or
    /// the kill grace ran out) its supervisor sees the exit with <c>Reason</c>. A child whose task has
    /// already ended is left to its own exit.
    /// </summary>
    private void OnInjectExit(ExitInjection injection)
    {
        foreach (var (reference, run) in _running)
        {
            if (PathOf(run) != injection.Path || run is ChildRun { HasEnded: true })
            {
                continue;
            }
            _running.Remove(reference);
            // A child still in its start phase that is killed fails to start (OTP: start_link returns {error, Reason}).
            var starting = run is ChildRun { StartReported: false } || run is SupervisorProcess { StartAcknowledged: false };
            var ending = starting ? KillEnding.StartFailed : KillEnding.Exit;
            if (run is ChildRun worker)
            {
                KillWorker(reference, worker, injection.Reason, ending, injection);
                Pump();
                return;
            }
            var wait = new KillWait(this, reference, run, injection.Reason, ending) { Injection = injection };
            foreach (var pending in ((SupervisorProcess)run).KillSubtree(injection.Reason))
            {
                wait.Watch(pending);
            }
            BeginKillWait(wait);
            Pump();
            return;
        }
        injection.Done.TrySetResult(false);
    }

    /// <summary>
    /// Kills a worker. A task that ends at once (it honours its tokens and nothing was left to await: the
    /// usual case) is over before this returns, with nothing to wait for; otherwise a <see cref="KillWait"/>.
    /// </summary>
    private void KillWorker(ChildRef child, ChildRun worker, ExitReason reason, KillEnding ending, ExitInjection? injection)
    {
        worker.Kill();
        if (worker.HasEnded)
        {
            KillOver(child, worker, reason, ending, injection);
            return;
        }
        var wait = new KillWait(this, child, worker, reason, ending) { Injection = injection };
        wait.Watch(worker);
        BeginKillWait(wait);
    }

    /// <summary>Settles <paramref name="wait"/> now if every task has ended, else waits for them, at most the kill grace.</summary>
    private void BeginKillWait(KillWait wait)
    {
        if (wait.Arm())
        {
            SettleKill(wait, graceExpired: false);
            return;
        }
        _killWaits.Add(wait);
        var grace = Tree.Options.KillGrace;
        wait.GraceDeadlineMs = grace == Timeout.InfiniteTimeSpan || grace.TotalMilliseconds >= long.MaxValue - Now
            ? long.MaxValue
            : Now + (long)Math.Ceiling(grace.TotalMilliseconds);
        ArmGraceTimer();
    }

    /// <summary>The kill is over (its tasks ended, or the grace ran out and the rest are rogue): the engine hears of the child's end.</summary>
    private void SettleKill(KillWait wait, bool graceExpired)
    {
        if (wait.Settled || _done)
        {
            return;
        }
        wait.Settled = true;
        _killWaits.Remove(wait);
        ArmGraceTimer();
        if (graceExpired)
        {
            var cause = wait.Ending == KillEnding.StartFailed && wait.Injection is null ? "start_timeout" : "kill";
            foreach (var run in wait.Runs)
            {
                if (run.TryDeclareRogue(cause))
                {
                    Tree.Log.RogueTask(run.Path, run.Context.Incarnation, cause, Tree.Options.KillGrace);
                }
            }
        }
        KillOver(wait.Child, wait.Subject, wait.Reason, wait.Ending, wait.Injection);
    }

    /// <summary>A kill is over: the engine hears of the child's end (or of its failed start), and an injected exit gets its answer after that.</summary>
    private void KillOver(ChildRef child, object subject, ExitReason reason, KillEnding ending, ExitInjection? injection)
    {
        if (ending == KillEnding.StartFailed)
        {
            var (spec, newInstance) = subject is ChildRun run ? (run.Spec, run.NewInstance) : (((SupervisorProcess)subject).SpecInParent, ((SupervisorProcess)subject).NewInstance);
            Tree.Observe(new RuntimeNotice(NoticeKind.ChildStartResult, this)
            {
                ChildPath = PathOf(subject),
                Child = child,
                Reason = reason,
                StartKind = ChildStartKind.Failed,
                Spec = spec,
                Instance = InstanceOf(subject),
                NewInstance = newInstance,
            });
            Tree.Metrics.StartFailure(Path);
            _pending.Enqueue(SupervisorEvent.ChildStartFailed(Now, child, reason));
        }
        else
        {
            ChildGone(PathOf(subject), reason, InstanceOf(subject));
            _pending.Enqueue(SupervisorEvent.ChildExited(Now, child, reason));
        }
        if (injection is not null)
        {
            // After the supervisor has acted on the exit (a restart is done by now, unless the start
            // waits), so that the caller's next step sees its outcome without another hop.
            _afterPump.Add(injection);
        }
    }

    /// <summary>Injected exits to answer once the events now queued have been handled.</summary>
    private readonly List<ExitInjection> _afterPump = [];

    /// <summary>Disposal began: starts still in progress here are asked to stop (their Stopping token), so the tree is not held up by them.</summary>
    private void CancelStartsInProgress()
    {
        foreach (var run in _running.Values)
        {
            if (run is ChildRun { StartReported: false } starting)
            {
                starting.RequestStop();
            }
        }
    }

    /// <summary>
    /// This supervisor is killed (or its loop failed): everything below it is killed at once.
    /// Returns the tasks of the subtree still running (the killer waits for them, at most the kill grace).
    /// </summary>
    /// <remarks>
    /// Called on this supervisor's own loop (a fault) or on its parent's loop (a kill): the step lock keeps
    /// the kill from running inside one of this supervisor's steps. Locks are taken parent before child only.
    /// </remarks>
    public List<ChildRun> KillSubtree(ExitReason reason)
    {
        var pending = new List<ChildRun>();
        lock (_step)
        {
            KillSubtreeLocked(reason, pending);
        }
        return pending;
    }

    private void KillSubtreeLocked(ExitReason reason, List<ChildRun> pending)
    {
        if (_done)
        {
            return;
        }
        foreach (var run in RunningNewestFirst())
        {
            if (run is ChildRun worker)
            {
                worker.Kill();
                if (!worker.HasEnded)
                {
                    pending.Add(worker);
                }
                ChildGone(worker.Path, ExitReason.Killed, worker.Context.Instance);
                Tree.Observe(new RuntimeNotice(NoticeKind.ChildKilledWithParent, this) { ChildPath = worker.Path, Reason = ExitReason.Killed });
            }
            else
            {
                var nested = (SupervisorProcess)run;
                pending.AddRange(nested.KillSubtree(ExitReason.Killed));
                ChildGone(nested.Path, ExitReason.Killed, nested.InstanceInParent);
                Tree.Observe(new RuntimeNotice(NoticeKind.ChildKilledWithParent, this)
                {
                    ChildPath = nested.Path,
                    Reason = ExitReason.Killed,
                    StillStarting = !nested.HasStarted,
                });
            }
        }
        _running.Clear();
        // Kills of its own still in progress: those children end killed with it, and their tasks are now
        // the killer's to wait for.
        foreach (var wait in _killWaits)
        {
            wait.Settled = true;
            foreach (var run in wait.Runs)
            {
                if (!run.HasEnded && !run.IsRogue)
                {
                    pending.Add(run);
                }
            }
            wait.Injection?.Done.TrySetResult(true);
            if (wait.Ending == KillEnding.Exit)
            {
                var path = PathOf(wait.Subject);
                ChildGone(path, ExitReason.Killed, InstanceOf(wait.Subject));
                Tree.Observe(new RuntimeNotice(NoticeKind.ChildKilledWithParent, this) { ChildPath = path, Reason = ExitReason.Killed });
            }
        }
        _killWaits.Clear();
        _graceTimer?.Dispose();
        _graceTimer = null;
        Finish(reason);
        _mailbox.Complete();
    }

    /// <summary>Arms the grace timer for the earliest grace deadline of the kills in progress, or disarms it.</summary>
    private void ArmGraceTimer()
    {
        var earliest = long.MaxValue;
        foreach (var wait in _killWaits)
        {
            earliest = Math.Min(earliest, wait.GraceDeadlineMs);
        }
        if (earliest == _graceTimerDueMs)
        {
            return;
        }
        _graceTimerDueMs = earliest;
        var dueMs = earliest == long.MaxValue ? long.MaxValue : Math.Max(0, earliest - Now);
        if (_graceTimer is not null && !_graceTimerStepped && dueMs <= DeadlineTimer.MaxStepMs)
        {
            _graceTimer.Change(TimeSpan.FromMilliseconds(dueMs), Timeout.InfiniteTimeSpan);
            return;
        }
        if (_graceTimer is not null && dueMs == long.MaxValue && !_graceTimerStepped)
        {
            _graceTimer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            return;
        }
        _graceTimer?.Dispose();
        _graceTimer = DeadlineTimer.Start(
            Tree.TimeProvider,
            static state => ((SupervisorProcess)state!).Post(new Message(MessageKind.KillGraceExpired, ChildRef.None, default, default, 0, null)),
            this,
            dueMs);
        _graceTimerStepped = dueMs > DeadlineTimer.MaxStepMs;
    }

    /// <summary>The grace timer fired: every kill whose grace has run out settles, its tasks still running are rogue.</summary>
    private void OnKillGraceExpired()
    {
        var now = Now;
        foreach (var wait in _killWaits.ToArray())
        {
            if (wait.GraceDeadlineMs <= now)
            {
                SettleKill(wait, graceExpired: true);
            }
        }
        _graceTimerDueMs = long.MinValue; // whatever it was set for has fired: re-arm for what is left
        ArmGraceTimer();
    }

    /// <summary>Starts probing a started worker (its own probe, or the definition's delegate).</summary>
    private static void StartProbing(ChildRun run, HealthProbeOptions probing)
    {
        var probe = probing.Probe ?? (run.Child is IHealthProbe own ? own.ProbeAsync : null);
        if (probe is null)
        {
            // Checked when the child is made: a probe was asked for and there is none. Logged; the child runs unprobed.
            run.Owner.Tree.Log.HealthProbeMissing(run.Path);
            return;
        }
        HealthProbeLoop.Start(run, probing, probe);
    }

    /// <summary>A worker's probes failed too often: it is ended with <c>health_probe_failed</c>, as an exit/2 with that reason.</summary>
    private void OnHealthProbeFailed(ChildRun run)
    {
        if (!_running.TryGetValue(run.Reference, out var current) || !ReferenceEquals(current, run) || run.HasEnded)
        {
            return; // that incarnation is over already: the probe's verdict comes too late to matter
        }
        _running.Remove(run.Reference);
        KillWorker(run.Reference, run, ExitReason.Abnormal(HealthProbeOptions.FailedReason), KillEnding.Exit, injection: null);
        Pump();
    }
}
