using Supervision.Engine;
using Supervision.Runtime.Testing;
using Xunit;

namespace Supervision.Runtime.Tests.Hosting;

/// <summary>
/// A <see cref="CancellationToken"/> on every public async call stops the waiting, not the work the call started
/// (the supervisor still carries out a call it received). All on virtual time.
/// </summary>
public sealed class CancellationTests
{
    /// <summary>A worker whose start waits until <paramref name="release"/> completes.</summary>
    private static ChildDefinition SlowStart(string id, Task release) => ChildDefinition.Worker(id, _ => new GatedChild(release));

    [Fact]
    public Task Cancelling_a_call_stops_the_waiting_and_the_supervisor_still_carries_it_out() => SupervisionTest.RunAsync(async test =>
    {
        // Checks: start_child of a child whose start takes 10 s, cancelled at 1 s, throws OperationCanceledException at
        // 1 s; the start goes on and the child runs at 10 s. which_children queued behind it, cancelled at 2 s, throws
        // at 2 s too. A call with a token that is never cancelled answers as usual.
        var tree = await test.StartSupervisedAsync(new SupervisorDefinition("app"));
        using var cancelAtOne = new CancellationTokenSource(TimeSpan.FromSeconds(1), test.TimeProvider);
        var release = test.DelayAsync(TimeSpan.FromSeconds(10));
        var starting = tree.Root.StartChildAsync(SlowStart("slow", release), cancelAtOne.Token);
        using var cancelAtTwo = new CancellationTokenSource(TimeSpan.FromSeconds(2), test.TimeProvider);
        var listing = tree.Root.WhichChildrenAsync(cancelAtTwo.Token);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => starting);
        Assert.Equal(TimeSpan.FromSeconds(1), test.Now);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => listing);
        Assert.Equal(TimeSpan.FromSeconds(2), test.Now);
        await tree.Child("app/slow").WhenStartedAsync();
        Assert.Equal(TimeSpan.FromSeconds(10), test.Now);
        using var never = new CancellationTokenSource();
        Assert.Equal(new ChildCounts(1, 1, 0, 1), await tree.Root.CountChildrenAsync(never.Token));
    });

    [Fact]
    public Task Cancelling_the_start_of_a_tree_stops_the_waiting_and_disposes_the_tree() => SupervisionTest.RunAsync(async test =>
    {
        // Checks: SupervisionTree.StartAsync cancelled at 1 s while a child's start hangs throws OperationCanceledException
        // at 1 s; the tree, out of the caller's reach, is disposed: the hanging start is asked to stop (its Stopping token).
        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var hanging = ChildDefinition.Worker("hanging", _ => new GatedChild(Task.Delay(Timeout.InfiniteTimeSpan, test.TimeProvider), stopped));
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(1), test.TimeProvider);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => SupervisionTree.StartAsync(new SupervisorDefinition("app", hanging), test.TreeOptions, cancel.Token));
        Assert.Equal(TimeSpan.FromSeconds(1), test.Now);
        await stopped.Task;
        Assert.Equal(TimeSpan.FromSeconds(1), test.Now);
    });

    [Fact]
    public Task Cancelling_a_crash_stops_the_waiting_and_the_child_still_exits() => SupervisionTest.RunAsync(async test =>
    {
        // Checks: CrashAsync on a child that takes 5 s to end once killed (kill grace 10 s), cancelled at 1 s, throws at
        // 1 s; the child still exits and is restarted at 5 s.
        var worker = ChildDefinition.Worker("w", async context =>
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, context.TimeProvider, context.Killed).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing | ConfigureAwaitOptions.ContinueOnCapturedContext);
            await Task.Delay(TimeSpan.FromSeconds(5), context.TimeProvider, CancellationToken.None);
        });
        var tree = await test.StartSupervisedAsync(new SupervisorDefinition("app", worker) { Intensity = 3 }, test.TreeOptions with { KillGrace = TimeSpan.FromSeconds(10) });
        var child = tree.Child("app/w");
        var restarted = child.WhenStartedAsync();
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(1), test.TimeProvider);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => child.CrashAsync("boom", cancel.Token));
        Assert.Equal(TimeSpan.FromSeconds(1), test.Now);
        await restarted;
        Assert.Equal(TimeSpan.FromSeconds(5), test.Now);
        Assert.Equal(2, child.Incarnation);
    });

    [Fact]
    public Task Cancelling_a_test_delay_stops_it() => SupervisionTest.RunAsync(async test =>
    {
        // Checks: SupervisionTestContext.DelayAsync(10 s) cancelled at 3 s ends at 3 s with OperationCanceledException.
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(3), test.TimeProvider);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => test.DelayAsync(TimeSpan.FromSeconds(10), cancel.Token));
        Assert.Equal(TimeSpan.FromSeconds(3), test.Now);
    });

    /// <summary>A child whose start completes with <paramref name="release"/>; it reports a stop request during its start.</summary>
    private sealed class GatedChild(Task release, TaskCompletionSource? stopped = null) : ISupervisedChild
    {
        public async ValueTask<ChildStartResult> StartAsync(ChildContext context)
        {
            using var registration = context.Stopping.Register(() => stopped?.TrySetResult());
            await release;
            return ChildStartResult.Started;
        }

        public Task RunAsync(ChildContext context) => Task.Delay(Timeout.InfiniteTimeSpan, context.TimeProvider, context.Stopping);
    }
}
