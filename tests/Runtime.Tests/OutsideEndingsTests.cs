using Supervision.Engine;
using Xunit;

namespace Supervision.Runtime.Tests;

/// <summary>
/// Endings that do not come from the supervisor: a child cancelled by a token of its own is a crash, not a
/// stop; and what holds once <see cref="SupervisionTree.DisposeAsync"/> has completed. Virtual time.
/// </summary>
public sealed class OutsideEndingsTests
{
    [Fact]
    public void A_child_cancelled_by_its_own_token_crashed_and_is_restarted()
    {
        // Checks: only the supervisor's stop makes a cancellation mean `shutdown`. A transient child whose own
        // token is cancelled (nobody asked it to stop) ended abnormally: child_terminated with the exception's
        // name, and a restart; had it been taken for a stop, a transient child would not come back.
        var own = new CancellationTokenSource();
        var runs = 0;
        var tree = new VirtualTree(new SupervisorDefinition("root", ChildDefinition.Worker("w", async context =>
        {
            runs++;
            await Task.Delay(Timeout.Infinite, runs == 1 ? own.Token : context.Stopping);
        }) with { Restart = RestartType.Transient }) { Intensity = 5 });
        tree.AdvanceTo(TimeSpan.Zero);
        var terminated = tree.Tree.WaitForAsync(e => e.Kind == SupervisionEventKind.ChildTerminated);
        tree.Scheduler.Post("test", own.Cancel);
        tree.AdvanceTo(TimeSpan.Zero);
        Assert.Equal(ExitReason.Abnormal(nameof(TaskCanceledException)), terminated.Result.Reason);
        Assert.Equal(2, runs);
        tree.Stop();
    }

    [Fact]
    public void A_child_cancelled_by_its_own_token_while_another_is_being_stopped_crashed()
    {
        // Checks: the cancellation must be the child's own stop to count as one. While its sibling is being
        // stopped (a slow stop, 500 ms), the child's own token is cancelled: that is its crash, reported as such.
        var own = new CancellationTokenSource();
        var tree = new VirtualTree(new SupervisorDefinition("root",
            ChildDefinition.Worker("w", context => Task.Delay(Timeout.Infinite, own.Token)) with { Restart = RestartType.Transient },
            ChildDefinition.Worker("slow", context => Task.Delay(Timeout.Infinite, context.Killed)) with { Shutdown = ShutdownPolicy.Timeout(500) })
        { Intensity = 5 });
        tree.AdvanceTo(TimeSpan.Zero);
        var terminated = tree.Tree.WaitForAsync(e => e.Kind == SupervisionEventKind.ChildTerminated);
        Task<SupervisorCallResult>? terminate = null;
        tree.Scheduler.Post("test", () => terminate = tree.Tree.Root.TerminateChildAsync("slow"));
        tree.AdvanceTo(TimeSpan.FromMilliseconds(100));
        tree.Scheduler.Post("test", own.Cancel);
        tree.AdvanceTo(TimeSpan.FromSeconds(1));
        Assert.True(terminate!.Result.Succeeded);
        Assert.Equal(("root/w", ExitReason.Abnormal(nameof(TaskCanceledException))), (terminated.Result.ChildPath, terminated.Result.Reason));
        tree.Stop();
    }

    [Fact]
    public void After_DisposeAsync_every_task_has_ended_nothing_happens_and_calls_are_refused()
    {
        // Checks, once DisposeAsync has completed: every child body (workers, a nested pool's instances, one that
        // ignores its stop until killed) has returned, none is rogue, the tree's end is reported, no event
        // follows (an hour of virtual time later), and calls are answered noproc without running anything.
        var running = 0;
        var made = 0;
        ChildDefinition Body(string id, bool stubborn = false) => ChildDefinition.Worker(id, async context =>
        {
            made++;
            running++;
            try
            {
                await Task.Delay(Timeout.Infinite, stubborn ? context.Killed : context.Stopping);
            }
            finally
            {
                running--;
            }
        });
        var pool = new SupervisorDefinition("pool", Body("w")) { Strategy = RestartStrategy.SimpleOneForOne };
        var tree = new VirtualTree(new SupervisorDefinition("root", Body("a"), ChildDefinition.Supervisor(pool), Body("b", stubborn: true) with { Shutdown = ShutdownPolicy.Timeout(1000) }));
        tree.Run(async () =>
        {
            await tree.Tree.Supervisor("root/pool").StartInstanceAsync(1);
            await tree.Tree.Supervisor("root/pool").StartInstanceAsync(2);
        });
        Assert.Equal((4, 4), (made, running));
        var events = new List<SupervisionEvent>();
        _ = tree.Tree.WaitForAsync(e =>
        {
            events.Add(e);
            return false;
        });
        tree.Run(() => tree.Tree.DisposeAsync().AsTask(), until: TimeSpan.FromSeconds(5));
        var seen = events.Count;
        Assert.Equal(0, running);
        Assert.Empty(tree.Tree.RogueTasks);
        Assert.True(tree.Tree.Completion.IsCompletedSuccessfully);
        Assert.Contains(events, e => e.Kind == SupervisionEventKind.ChildStopped && e.ChildPath == "root/b" && e.Reason == ExitReason.Killed);
        var late = tree.Run(() => tree.Tree.Root.StartChildAsync(Body("late")), until: TimeSpan.FromHours(1));
        Assert.Equal(new StartChildResult(StartChildStatus.Failed, "noproc", null), late);
        Assert.Equal(new StartChildResult(StartChildStatus.Failed, "noproc", null), tree.Run(() => tree.Tree.Supervisor("root/pool").StartInstanceAsync(3)));
        Assert.Equal((4, seen), (made, events.Count));
    }
}
