using Supervision.Engine;
using Xunit;

namespace Supervision.Runtime.Tests;

/// <summary>Children as ordinary async code: how their endings map to OTP exit reasons, and how misbehaviour is contained.</summary>
public sealed class ChildLifecycleTests
{
    private static readonly List<ControlledChild> NoChildren = [];

    private static ChildDefinition Controlled(string id, List<ControlledChild> made, bool ignoreStop = false, List<string>? log = null) =>
        ChildDefinition.Worker(id, _ =>
        {
            var child = new ControlledChild { IgnoreStop = ignoreStop, Log = log };
            made.Add(child);
            return child;
        });

    [Fact]
    public void Children_start_oldest_first_and_the_tree_stops_them_newest_first()
    {
        // Checks: start order a,b,c; StopAsync ends them c,b,a; Completion is shutdown; nothing left live.
        var log = new List<string>();
        var made = new List<ControlledChild>();
        var tree = new VirtualTree(new SupervisorDefinition("root", Controlled("a", made, log: log), Controlled("b", made, log: log), Controlled("c", made, log: log)));
        Assert.True(tree.Tree.Started.IsCompletedSuccessfully);
        tree.Stop();
        Assert.Equal(["run root/a#1", "run root/b#1", "run root/c#1", "end root/c#1", "end root/b#1", "end root/a#1"], log);
        Assert.Equal(ExitReason.Shutdown, tree.Tree.Completion.Result);
        Assert.All(made, child => Assert.True(child.Finished.Task.IsCompleted));
        Assert.Equal(0, tree.Scheduler.ReadyCount);
    }

    [Fact]
    public void An_exception_is_an_abnormal_exit_and_the_child_restarts_with_a_new_incarnation()
    {
        // Checks: a thrown exception ends the child with its type name; one_for_one restarts it; the handle follows.
        var runs = 0;
        var tree = new VirtualTree(new SupervisorDefinition("root", ChildDefinition.Worker("w", async context =>
        {
            if (++runs == 1)
            {
                await Task.Yield();
                throw new InvalidOperationException("boom");
            }
            await Task.Delay(Timeout.Infinite, context.Stopping);
        })) { Intensity = 5 });
        var handle = tree.Tree.Child("root/w");
        Assert.Equal(2, handle.Incarnation);
        Assert.True(handle.IsRunning);
        tree.Stop();
        Assert.False(handle.IsRunning);
    }

    [Fact]
    public void Normal_completion_is_normal_so_a_transient_child_stays_down()
    {
        // Checks: returning from RunAsync is `normal`; a transient child is not restarted after it.
        var tree = new VirtualTree(new SupervisorDefinition("root",
            ChildDefinition.Worker("once", _ => Task.CompletedTask) with { Restart = RestartType.Transient },
            ChildDefinition.Worker("stay", context => Task.Delay(Timeout.Infinite, context.Stopping))));
        var children = tree.Run(() => tree.Tree.Root.WhichChildrenAsync());
        Assert.Equal([new ChildStatus("root/stay", ChildState.Running, ChildType.Worker), new ChildStatus("root/once", ChildState.Undefined, ChildType.Worker)], children);
        Assert.Equal(1, tree.Tree.Child("root/once").Incarnation);
        tree.Stop();
    }

    [Fact]
    public void Cancellation_honoured_during_a_stop_is_shutdown_with_no_report()
    {
        // Checks: terminate_child cancels the token; the child ending by cancellation is `shutdown`, not an error.
        var made = new List<ControlledChild>();
        var tree = new VirtualTree(new SupervisorDefinition("root", Controlled("a", made)));
        var stopped = tree.Tree.WaitForAsync(e => e.Kind == SupervisionEventKind.ChildStopped);
        var errors = tree.Tree.WaitForAsync(e => e.Kind == SupervisionEventKind.ShutdownError);
        var result = tree.Run(() => tree.Tree.Root.TerminateChildAsync("a"));
        Assert.True(result.Succeeded);
        Assert.Equal(ExitReason.Shutdown, stopped.Result.Reason);
        Assert.False(errors.IsCompleted);
        tree.Stop();
    }

    [Fact]
    public void A_child_ignoring_every_signal_is_killed_at_its_shutdown_time_then_abandoned_as_rogue_after_the_kill_grace()
    {
        // Checks: stop → shutdown timeout (1 s virtual) → kill → the supervisor waits the kill grace (1 s) for
        // the task → still running: rogue (counted, listed, an event), exit `killed` at 2 s; when it finally
        // ends it leaves the rogue list and nothing happens to the supervisor.
        var made = new List<ControlledChild>();
        var tree = new VirtualTree(new SupervisorDefinition("root", Controlled("stubborn", made, ignoreStop: true) with { Shutdown = ShutdownPolicy.Timeout(1000) }));
        var stopped = tree.Tree.WaitForAsync(e => e.Kind == SupervisionEventKind.ChildStopped);
        var rogueEvent = tree.Tree.WaitForAsync(e => e.Kind == SupervisionEventKind.RogueTask);
        tree.Run(() => tree.Tree.Root.TerminateChildAsync("stubborn"), until: TimeSpan.FromSeconds(2));
        Assert.Equal(ExitReason.Killed, stopped.Result.Reason);
        Assert.Equal(TimeSpan.FromSeconds(2), stopped.Result.At);
        Assert.Equal("root/stubborn", rogueEvent.Result.ChildPath);
        Assert.Equal(1, tree.Tree.Metrics.RogueTasks);
        var rogue = Assert.Single(tree.Tree.RogueTasks);
        Assert.Equal(("root/stubborn", 1, "kill", TimeSpan.FromSeconds(2)), (rogue.Path, rogue.Incarnation, rogue.Cause, rogue.DeclaredAt));
        made[0].ExitWith("late");
        tree.AdvanceTo(TimeSpan.FromSeconds(3));
        Assert.True(rogue.Ended.IsCompletedSuccessfully);
        Assert.Empty(tree.Tree.RogueTasks);
        var children = tree.Run(() => tree.Tree.Root.WhichChildrenAsync());
        Assert.Equal(ChildState.Undefined, Assert.Single(children).State);
        tree.Stop();
    }

    [Fact]
    public void Brutal_kill_of_a_child_that_honours_its_kill_signal_costs_no_time()
    {
        // Checks: brutal_kill cancels Stopping and Killed; a child that ends on Killed (it ignores Stopping)
        // is recorded `killed` at the same instant, with no rogue.
        var tree = new VirtualTree(new SupervisorDefinition("root",
            ChildDefinition.Worker("k", context => Task.Delay(Timeout.Infinite, context.Killed)) with { Shutdown = ShutdownPolicy.BrutalKill }));
        var stopped = tree.Tree.WaitForAsync(e => e.Kind == SupervisionEventKind.ChildStopped);
        tree.Run(() => tree.Tree.Root.TerminateChildAsync("k"));
        Assert.Equal(ExitReason.Killed, stopped.Result.Reason);
        Assert.Equal(TimeSpan.Zero, stopped.Result.At);
        Assert.Empty(tree.Tree.RogueTasks);
        tree.Stop();
    }

    [Fact]
    public void Synchronous_throws_in_the_factory_start_or_run_are_contained()
    {
        // Checks: each misbehaviour (including a body that returns null) becomes a failed start or an abnormal
        // exit; the supervisor keeps working and only the steady child is left.
        var definition = new SupervisorDefinition("root",
            ChildDefinition.Worker("steady", context => Task.Delay(Timeout.Infinite, context.Stopping)))
        { Intensity = 10 };
        var tree = new VirtualTree(definition);
        var factory = tree.Run(() => tree.Tree.Root.StartChildAsync(ChildDefinition.Worker("factory", (Func<ChildContext, ISupervisedChild>)(_ => throw new InvalidOperationException()))));
        Assert.Equal(new StartChildResult(StartChildStatus.Failed, "InvalidOperationException", null), factory);
        var start = tree.Run(() => tree.Tree.Root.StartChildAsync(ChildDefinition.Worker("start", _ => new ThrowingStart())));
        Assert.Equal("ArgumentException", start.Error);
        var run = tree.Run(() => tree.Tree.Root.StartChildAsync(ChildDefinition.Worker("run", (Func<ChildContext, Task>)(_ => throw new FormatException())) with { Restart = RestartType.Temporary }));
        Assert.Equal(StartChildStatus.Started, run.Status);
        // A body that returns no task at all ends abnormally too (it is not left "running" forever).
        var noTask = tree.Run(() => tree.Tree.Root.StartChildAsync(ChildDefinition.Worker("no-task", (Func<ChildContext, Task>)(_ => null!)) with { Restart = RestartType.Temporary }));
        Assert.Equal(StartChildStatus.Started, noTask.Status);
        var counts = tree.Run(() => tree.Tree.Root.CountChildrenAsync());
        Assert.Equal(new ChildCounts(1, 1, 0, 1), counts);
        tree.Stop();
    }

    [Fact]
    public void A_start_that_never_finishes_times_out_and_the_supervisor_carries_on()
    {
        // Checks: a hung start phase that ignores its signals fails with start_timeout once the (virtual) start
        // timeout and the kill grace have passed (its task is then rogue); later calls work.
        var tree = new VirtualTree(new SupervisorDefinition("root", NoChildren.Select(_ => (ChildDefinition)null!).ToList()), startTimeout: TimeSpan.FromSeconds(5));
        var result = tree.Run(() => tree.Tree.Root.StartChildAsync(ChildDefinition.Worker("hung", _ => new HungStart())), until: TimeSpan.FromSeconds(6));
        Assert.Equal(new StartChildResult(StartChildStatus.Failed, "start_timeout", null), result);
        Assert.Equal(1, tree.Tree.Metrics.RogueTasks);
        Assert.Equal("start_timeout", Assert.Single(tree.Tree.RogueTasks).Cause);
        Assert.Empty(tree.Run(() => tree.Tree.Root.WhichChildrenAsync()));
        tree.Stop();
    }

    [Fact]
    public void A_failed_start_at_init_fails_the_tree_and_stops_what_had_started()
    {
        // Checks: StartAsync's task faults with SupervisorStartException naming the child; the earlier child was stopped.
        var made = new List<ControlledChild>();
        var tree = new VirtualTree(new SupervisorDefinition("root", Controlled("a", made), ChildDefinition.Worker("b", _ => new FailingStart())));
        var error = Assert.IsType<SupervisorStartException>(tree.Tree.Started.Exception!.InnerException);
        Assert.Equal("b", error.ChildId);
        Assert.Equal("nope", error.Reason.ToString());
        Assert.True(made[0].Finished.Task.IsCompleted);
        Assert.True(tree.Tree.Completion.IsCompleted);
    }

    private sealed class ThrowingStart : ISupervisedChild
    {
        public ValueTask<ChildStartResult> StartAsync(ChildContext context) => throw new ArgumentException("bad");

        public Task RunAsync(ChildContext context) => Task.CompletedTask;
    }

    private sealed class HungStart : ISupervisedChild
    {
        public async ValueTask<ChildStartResult> StartAsync(ChildContext context)
        {
            await new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously).Task;
            return ChildStartResult.Started;
        }

        public Task RunAsync(ChildContext context) => Task.CompletedTask;
    }

    private sealed class FailingStart : ISupervisedChild
    {
        public ValueTask<ChildStartResult> StartAsync(ChildContext context) => ValueTask.FromResult(ChildStartResult.Failed("nope"));

        public Task RunAsync(ChildContext context) => Task.CompletedTask;
    }
}
