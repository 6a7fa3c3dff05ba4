using Xunit;

namespace Supervision.Engine.Tests.EngineRules;

/// <summary>The engine's contract with its driver: validation, misuse, staleness, queueing, timers, allocation.</summary>
public sealed class EngineProtocolTests
{
    [Fact]
    public void Invalid_spec_is_rejected_with_every_violation_named()
    {
        // Checks: one ArgumentException lists all violations, each with its field and OTP's token.
        var spec = new SupervisorSpec(
        [
            new ChildSpec("a"),
            new ChildSpec("a"),
            new ChildSpec("s") { Restart = RestartType.Permanent, Significant = true },
            new ChildSpec("") ,
        ]) { Intensity = -1, PeriodSeconds = 0 };
        var error = Assert.Throws<ArgumentException>(() => new SupervisorEngine(spec, "root"));
        Assert.Contains("root.intensity", error.Message);
        Assert.Contains("invalid_intensity", error.Message);
        Assert.Contains("root.period", error.Message);
        Assert.Contains("duplicate child id 'a'", error.Message);
        Assert.Contains("root.children[2].significant", error.Message);
        Assert.Contains("bad_combination", error.Message);
        Assert.Contains("missing_id", error.Message);
        Assert.Equal(6, spec.FindViolations("root").Count);
    }

    [Fact]
    public void Simple_one_for_one_needs_exactly_one_template_and_nested_specs_are_checked()
    {
        // Checks: bad_start_spec for two templates; a nested supervisor's violations carry its path.
        var simple = new SupervisorSpec([new ChildSpec("w1"), new ChildSpec("w2")]) { Strategy = RestartStrategy.SimpleOneForOne };
        Assert.Contains(simple.FindViolations(), v => v.OtpError == "bad_start_spec");
        var nested = new SupervisorSpec([new ChildSpec("inner") { Supervisor = new SupervisorSpec([]) { PeriodSeconds = -5 } }]);
        var violation = Assert.Single(nested.FindViolations("root"));
        Assert.Equal("root/inner.period", violation.Field);
    }

    [Fact]
    public void A_start_result_for_a_child_not_being_started_faults_the_engine()
    {
        // Checks: caller misuse throws, and the engine then refuses every event.
        var harness = new EngineHarness(EngineHarness.Spec(RestartStrategy.OneForOne, 1, "a"));
        harness.Start();
        Assert.Throws<SupervisorEngineException>(() => harness.Engine.Handle(SupervisorEvent.ChildStarted(0, new ChildRef(0, 99))));
        Assert.Equal(EngineStatus.Faulted, harness.Engine.Status);
        Assert.Throws<SupervisorEngineException>(() => harness.Engine.Handle(SupervisorEvent.StopRequested(0, ExitReason.Shutdown)));
    }

    [Fact]
    public void An_instance_is_held_while_running_or_restarting_and_not_after_it_is_removed()
    {
        // Checks: HoldsInstance follows the child table: a started instance is held; a permanent one that
        // crashes is restarted and still held; a temporary one that exits is gone; a restart that fails
        // leaves the instance held (waiting for its retry); numbers never started are not held.
        foreach (var (restart, heldAfterCrash) in new[] { (RestartType.Permanent, true), (RestartType.Temporary, false) })
        {
            var harness = new EngineHarness(new SupervisorSpec([new ChildSpec("w") { Restart = restart }]) { Strategy = RestartStrategy.SimpleOneForOne, Intensity = 5 });
            harness.Start();
            harness.Send(SupervisorEvent.CallReceived(harness.Now, 1, CallRequest.StartInstance(null)));
            Assert.True(harness.Engine.HoldsInstance(1));
            Assert.False(harness.Engine.HoldsInstance(2));
            harness.Crash("w");
            Assert.Equal(heldAfterCrash, harness.Engine.HoldsInstance(1));
        }
        var failing = new EngineHarness(new SupervisorSpec([new ChildSpec("w")]) { Strategy = RestartStrategy.SimpleOneForOne, Intensity = 5 });
        failing.Start();
        failing.Send(SupervisorEvent.CallReceived(failing.Now, 1, CallRequest.StartInstance(null)));
        failing.HoldStarts = true;
        failing.Crash("w");
        var retry = failing.Take().Last(d => d.Kind == DecisionKind.StartChild);
        failing.Send(SupervisorEvent.ChildStartFailed(failing.Now, retry.Child, ExitReason.Abnormal("nope")));
        Assert.True(failing.Engine.HoldsInstance(1));
        Assert.False(new EngineHarness(EngineHarness.Spec(RestartStrategy.OneForOne, 1, "a")).Engine.HoldsInstance(1));
    }

    [Fact]
    public void Time_going_backwards_faults_the_engine()
    {
        // Checks: the engine's clock is monotonic; an older event is misuse.
        var harness = new EngineHarness(EngineHarness.Spec(RestartStrategy.OneForOne, 1, "a")) { Now = 5000 };
        harness.Start();
        Assert.Throws<SupervisorEngineException>(() => harness.Engine.Handle(SupervisorEvent.ChildExited(4999, harness.Current["a"], ExitReason.Normal)));
    }

    [Fact]
    public void An_exit_of_a_previous_incarnation_is_ignored_and_counted()
    {
        // Checks: after a restart, the old incarnation's exit changes nothing and counts as stale.
        var harness = new EngineHarness(EngineHarness.Spec(RestartStrategy.OneForOne, 5, "a"));
        harness.Start();
        var first = harness.Current["a"];
        harness.Crash("a");
        harness.Take();
        harness.Send(SupervisorEvent.ChildExited(0, first, ExitReason.Abnormal("late")));
        Assert.Empty(harness.Take());
        Assert.Equal(1, harness.Engine.StaleEventCount);
        Assert.NotEqual(first, harness.Current["a"]);
    }

    [Fact]
    public void A_retry_is_queued_behind_events_that_arrived_during_the_failed_restart()
    {
        // Checks: OTP's try_again goes to the back of the mailbox: a call that arrived while the restart
        // was in progress is answered first and sees the child in restarting state.
        var harness = new EngineHarness(EngineHarness.Spec(RestartStrategy.OneForOne, 5, "a", "b"));
        harness.Start();
        harness.Take();
        harness.HoldStarts = true;
        harness.Crash("b");
        var start = harness.Take().Single(d => d.Kind == DecisionKind.StartChild);
        harness.Send(SupervisorEvent.CallReceived(0, 7, CallRequest.WhichChildren()));
        Assert.Empty(harness.Take());
        harness.HoldStarts = false;
        harness.Send(SupervisorEvent.ChildStartFailed(0, start.Child, ExitReason.Abnormal("nope")));
        var decisions = harness.Take();
        var reply = decisions.Single(d => d.Kind == DecisionKind.Reply).Reply!;
        Assert.Equal(ChildState.Restarting, reply.Children!.Single(c => c.Id == "b").State);
        var replyIndex = decisions.FindIndex(d => d.Kind == DecisionKind.Reply);
        var retryIndex = decisions.FindIndex(d => d.Kind == DecisionKind.StartChild);
        Assert.True(replyIndex < retryIndex, "the retry must come after the queued call");
    }

    [Theory]
    [InlineData(long.MaxValue, 5_000L, long.MaxValue)]
    [InlineData(long.MaxValue - 10, 5_000L, long.MaxValue)]
    [InlineData(long.MaxValue - 5_000, 5_000L, long.MaxValue)]
    [InlineData(4_294_967_296L, 5_000L, 4_294_972_296L)]
    public void A_huge_shutdown_timeout_saturates_its_deadline_instead_of_wrapping(long timeoutMs, long nowMs, long expectedDeadline)
    {
        // Checks: now + timeout near long.MaxValue gives long.MaxValue (never a deadline in the past, which
        // would be an immediate kill); ordinary large values are exact.
        var spec = new SupervisorSpec([new ChildSpec("a") { Shutdown = ShutdownPolicy.Timeout(timeoutMs) }]);
        var harness = new EngineHarness(spec);
        harness.Start();
        harness.Take();
        harness.Now = nowMs;
        harness.Send(SupervisorEvent.StopRequested(nowMs, ExitReason.Shutdown));
        var decisions = harness.Take();
        Assert.Equal([DecisionKind.StopChild, DecisionKind.ArmTimer], decisions.Select(d => d.Kind));
        Assert.Equal(expectedDeadline, decisions[1].DeadlineMs);
        Assert.True(harness.Engine.TryGetNextDeadline(out var deadline));
        Assert.Equal(expectedDeadline, deadline);
    }

    [Fact]
    public void A_timeout_shutdown_stops_then_kills_when_the_timer_fires()
    {
        // Checks: integer shutdown = stop + timer; the timer's firing kills; killed is a shutdown_error.
        var spec = new SupervisorSpec([new ChildSpec("a") { Shutdown = ShutdownPolicy.Timeout(100) }]);
        var harness = new EngineHarness(spec);
        harness.Start();
        var child = harness.Current["a"];
        harness.Take();
        harness.Send(SupervisorEvent.StopRequested(0, ExitReason.Shutdown));
        var decisions = harness.Take();
        Assert.Equal([DecisionKind.StopChild, DecisionKind.ArmTimer], decisions.Select(d => d.Kind));
        Assert.True(harness.Engine.TryGetNextDeadline(out var deadline));
        Assert.Equal(100, deadline);
        harness.Now = 100;
        harness.Send(SupervisorEvent.TimerFired(100, decisions[1].Token));
        Assert.Equal(DecisionKind.KillChild, Assert.Single(harness.Take()).Kind);
        harness.Send(SupervisorEvent.ChildExited(100, child, ExitReason.Killed));
        decisions = harness.Take();
        Assert.Contains(decisions, d => d.Kind == DecisionKind.Report && d.Report == ReportKind.ShutdownError && d.Reason == ExitReason.Killed);
        Assert.Equal(DecisionKind.Exited, decisions[^1].Kind);
        Assert.False(harness.Engine.TryGetNextDeadline(out _));
    }

    [Fact]
    public void Shutdown_zero_kills_at_once_and_a_stale_timer_is_ignored()
    {
        // Checks: shutdown 0 sends stop and kill together (OTP's Q6); a timer token not armed is stale.
        var spec = new SupervisorSpec([new ChildSpec("a") { Shutdown = ShutdownPolicy.Timeout(0) }]);
        var harness = new EngineHarness(spec);
        harness.Start();
        harness.Take();
        harness.Send(SupervisorEvent.TimerFired(0, 42));
        Assert.Equal(1, harness.Engine.StaleEventCount);
        harness.Send(SupervisorEvent.StopRequested(0, ExitReason.Shutdown));
        Assert.Equal(["stop a", "kill a"], EngineHarness.Actions(harness.Take()));
    }

    [Fact]
    public void Giving_up_reports_the_whole_restart_window()
    {
        // Checks: the reached_max_restart_intensity report lists each counted attempt (time, child, reason).
        var harness = new EngineHarness(EngineHarness.Spec(RestartStrategy.OneForOne, 2, "a", "b"));
        harness.Start();
        harness.Now = 1000;
        harness.Crash("a", "first");
        harness.Now = 2000;
        harness.Crash("b", "second");
        harness.Now = 3000;
        harness.Crash("a", "third");
        var decisions = harness.Take();
        var reportIndex = decisions.FindIndex(d => d.Kind == DecisionKind.Report && d.Report == ReportKind.ReachedMaxRestartIntensity);
        var report = decisions[reportIndex];
        Assert.Equal(["a:first@1000", "b:second@2000", "a:third@3000"], report.RestartWindow!.Select(r => $"{r.ChildId}:{r.Reason}@{r.TimeMs}"));
        // Nothing is restarted after giving up: only b (the one still running) is asked to stop.
        Assert.Equal(["stop b"], EngineHarness.Actions(decisions.Skip(reportIndex)));
    }

    [Fact]
    public void The_one_for_one_restart_path_allocates_nothing()
    {
        // Checks: exit in, restart decisions drained, start result in: zero bytes allocated once warm.
        var engine = new SupervisorEngine(new SupervisorSpec([new ChildSpec("a"), new ChildSpec("b")]) { Intensity = 1000, PeriodSeconds = 1 });
        var now = 0L;
        engine.Handle(SupervisorEvent.Start(now));
        var child = ChildRef.None;
        void Drain()
        {
            while (engine.TryDequeueDecision(out var decision))
            {
                if (decision.Kind == DecisionKind.StartChild)
                {
                    child = decision.Child;
                    engine.Handle(SupervisorEvent.ChildStarted(now, child));
                }
            }
        }
        Drain();
        child = engine.SnapshotChildren()[0].Current;
        var crash = ExitReason.Abnormal("boom");
        for (var i = 0; i < 200; i++)
        {
            now += 10;
            engine.Handle(SupervisorEvent.ChildExited(now, child, crash));
            Drain();
        }
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10_000; i++)
        {
            now += 10;
            engine.Handle(SupervisorEvent.ChildExited(now, child, crash));
            Drain();
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(EngineStatus.Running, engine.Status);
    }
}
