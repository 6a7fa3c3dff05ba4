using Xunit;

namespace Supervision.Engine.Tests.EngineRules;

/// <summary>
/// Rules that mutation testing (tests/Mutation) found unguarded by this project's engine tests: what counts as
/// an acceptable end of a child being shut down, how a pool's brutal_kill instances are ended, and which ends
/// trigger auto_shutdown. Each expectation is OTP 25's (supervisor.erl: do_terminate, terminate_dynamic_children,
/// do_auto_shutdown), written here from the OTP source, not from this engine's output.
/// </summary>
public sealed class ShutdownOutcomeTests
{
    [Theory]
    [InlineData(RestartType.Transient, false)]
    [InlineData(RestartType.Temporary, false)]
    [InlineData(RestartType.Permanent, true)]
    public void A_child_that_ends_normal_while_being_shut_down_is_an_error_only_if_permanent(RestartType restart, bool reported)
    {
        // Checks: OTP's do_terminate accepts {error, normal} from a child that is not permanent; a permanent
        // child's normal end while it is being shut down is a shutdown_error with reason normal.
        var harness = new EngineHarness(new SupervisorSpec([new ChildSpec("a") { Restart = restart }]) { Intensity = 1, PeriodSeconds = 5 });
        harness.Start();
        harness.Take();
        harness.Send(SupervisorEvent.StopRequested(harness.Now, ExitReason.Shutdown));
        var stop = Assert.Single(harness.Take(), d => d.Kind == DecisionKind.StopChild);
        harness.Send(SupervisorEvent.ChildExited(harness.Now, stop.Child, ExitReason.Normal));
        var errors = harness.Take().Where(d => d.Kind == DecisionKind.Report && d.Report == ReportKind.ShutdownError).ToList();
        Assert.Equal(reported ? 1 : 0, errors.Count);
        if (reported)
        {
            Assert.True(errors[0].Reason.IsNormal, $"shutdown_error reason {errors[0].Reason}");
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_pool_ends_its_instances_by_kill_only_when_their_shutdown_is_brutal_kill(bool brutal)
    {
        // Checks: terminate_dynamic_children sends exit(Pid, kill) for brutal_kill and exit(Pid, shutdown)
        // otherwise, to every running instance at once.
        var template = new ChildSpec("w") { Shutdown = brutal ? ShutdownPolicy.BrutalKill : ShutdownPolicy.Timeout(100) };
        var harness = new EngineHarness(new SupervisorSpec([template]) { Strategy = RestartStrategy.SimpleOneForOne, Intensity = 1 });
        harness.Start();
        for (var call = 1; call <= 3; call++)
        {
            harness.Send(SupervisorEvent.CallReceived(harness.Now, call, CallRequest.StartInstance(null)));
        }
        harness.Take();
        harness.Send(SupervisorEvent.StopRequested(harness.Now, ExitReason.Shutdown));
        var ends = harness.Take().Where(d => d.Kind is DecisionKind.StopChild or DecisionKind.KillChild).Select(d => d.Kind).ToList();
        Assert.Equal(Enumerable.Repeat(brutal ? DecisionKind.KillChild : DecisionKind.StopChild, 3), ends);
    }

    [Theory]
    [InlineData(AutoShutdown.AnySignificant)]
    [InlineData(AutoShutdown.AllSignificant)]
    public void A_child_that_is_not_significant_never_triggers_auto_shutdown(AutoShutdown mode)
    {
        // Checks: do_auto_shutdown acts only on a significant child's end; a temporary child that is not
        // significant ends and is removed, and the supervisor (with a significant child still running) stays up.
        var harness = new EngineHarness(new SupervisorSpec(
        [
            new ChildSpec("keeper") { Restart = RestartType.Transient, Significant = true },
            new ChildSpec("helper") { Restart = RestartType.Temporary },
        ])
        { AutoShutdown = mode, Intensity = 1, PeriodSeconds = 5 });
        harness.Start();
        harness.Take();
        harness.Crash("helper", "normal");
        var after = harness.Take();
        Assert.DoesNotContain(after, d => d.Kind is DecisionKind.StopChild or DecisionKind.KillChild or DecisionKind.Exited);
        Assert.Equal(EngineStatus.Running, harness.Engine.Status);
    }
}
