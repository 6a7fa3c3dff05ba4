using Supervision.Engine;
using Supervision.Runtime.Testing;
using Xunit;

namespace Supervision.Runtime.Tests;

/// <summary>
/// <see cref="SupervisionTest.RunAsync"/>: a test body where <c>await</c> just works on the deterministic scheduler,
/// trees stopped at the end as ExUnit's start_supervised does, and a clear failure instead of a hang.
/// </summary>
public sealed class SupervisionTestTests
{
    private static ChildDefinition Forever(string id) => ChildDefinition.Worker(id, context => Task.Delay(Timeout.InfiniteTimeSpan, context.TimeProvider, context.Stopping));

    private static SupervisorDefinition Pipeline() => new("app",
        Forever("db"),
        ChildDefinition.Supervisor(new SupervisorDefinition("pipeline", Forever("ingest"), Forever("store")) { Strategy = RestartStrategy.RestForOne, Intensity = 3 }));

    [Fact]
    public async Task Await_using_a_tree_and_awaiting_a_crash_complete_on_virtual_time()
    {
        // Checks: the README's pattern that used to hang: `await using` a tree and `await worker.CrashAsync(...)`
        // under the deterministic scheduler complete; the worker is restarted (incarnation 2), its rest_for_one
        // sibling too, and no virtual time passed since nothing waited on a timer.
        SupervisionTree? seen = null;
        var restartedStore = 0;
        await SupervisionTest.RunAsync(async test =>
        {
            await using var tree = await SupervisionTree.StartAsync(Pipeline(), test.TreeOptions);
            seen = tree;
            var worker = tree.Child("app/pipeline/ingest");
            var restarted = worker.WhenStartedAsync();
            Assert.True(await worker.CrashAsync("boom"));
            await restarted;
            Assert.Equal(2, worker.Incarnation);
            restartedStore = tree.Child("app/pipeline/store").Incarnation;
            Assert.Equal(TimeSpan.Zero, test.Now);
        });
        Assert.Equal(2, restartedStore);
        Assert.Equal(ExitReason.Shutdown, seen!.Completion.Result);
    }

    [Fact]
    public async Task Virtual_time_passes_only_when_the_test_waits_for_it()
    {
        // Checks: a ticker child on the tree's TimeProvider ticks once per virtual second: after DelayAsync(10.5 s) it
        // has ticked 10 times and the clock reads exactly 10.5 s.
        var ticks = 0;
        var ticker = ChildDefinition.Worker("ticker", async context =>
        {
            while (true)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), context.TimeProvider, context.Stopping);
                ticks++;
            }
        });
        await SupervisionTest.RunAsync(async test =>
        {
            await test.StartSupervisedAsync(new SupervisorDefinition("app", ticker));
            await test.DelayAsync(TimeSpan.FromSeconds(10.5));
            Assert.Equal(10, ticks);
            Assert.Equal(TimeSpan.FromSeconds(10.5), test.Now);
        });
    }

    [Fact]
    public async Task Trees_started_for_the_test_are_stopped_when_it_ends_even_when_it_fails()
    {
        // Checks: a failing assertion inside the body surfaces as the test's exception, and the tree it started was
        // still stopped afterwards (its children saw the stop: exit shutdown).
        SupervisionTree? started = null;
        var error = await Assert.ThrowsAsync<InvalidProgramException>(() => SupervisionTest.RunAsync(async test =>
        {
            started = await test.StartSupervisedAsync(Pipeline());
            throw new InvalidProgramException("the test's own failure");
        }));
        Assert.Equal("the test's own failure", error.Message);
        Assert.True(started!.Completion.IsCompletedSuccessfully);
        Assert.Equal(ExitReason.Shutdown, started.Completion.Result);
        Assert.False(started.Child("app/db").IsRunning);
    }

    [Fact]
    public async Task Awaiting_what_never_happens_fails_at_once_naming_the_state()
    {
        // Checks: awaiting a task nobody completes, with an idle tree, throws SupervisionTestBlockedException (no hang),
        // saying nothing is left to run, at which virtual time, and what the tree was doing.
        var never = new TaskCompletionSource();
        var error = await Assert.ThrowsAsync<SupervisionTestBlockedException>(() => SupervisionTest.RunAsync(async test =>
        {
            await test.StartSupervisedAsync(Pipeline());
            await test.DelayAsync(TimeSpan.FromSeconds(3));
            await never.Task;
        }));
        Assert.Contains("nothing is left to run and no timer is pending", error.Message, StringComparison.Ordinal);
        Assert.Contains("tree 'app': running", error.Message, StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromSeconds(3), error.VirtualTime);
    }

    [Fact]
    public async Task Awaiting_a_start_that_never_comes_under_a_ticking_tree_stops_at_the_virtual_time_limit()
    {
        // Checks: with a ticker always arming a timer the scheduler is never idle; the wait for a start of a child
        // that does not crash is stopped by VirtualTimeLimit and reported as such.
        var ticker = ChildDefinition.Worker("ticker", async context =>
        {
            while (true)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100), context.TimeProvider, context.Stopping);
            }
        });
        var error = await Assert.ThrowsAsync<SupervisionTestBlockedException>(() => SupervisionTest.RunAsync(async test =>
        {
            var tree = await test.StartSupervisedAsync(new SupervisorDefinition("app", ticker, Forever("quiet")));
            await tree.Child("app/quiet").WhenStartedAsync();
        }, new SupervisionTestOptions { VirtualTimeLimit = TimeSpan.FromMinutes(1) }));
        Assert.Contains("VirtualTimeLimit", error.Message, StringComparison.Ordinal);
        Assert.True(error.VirtualTime <= TimeSpan.FromMinutes(1));
        Assert.True(error.VirtualTime >= TimeSpan.FromMinutes(1) - TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public async Task A_start_failure_reaches_the_test_as_the_supervisors_exception()
    {
        // Checks: StartSupervisedAsync of a tree whose child fails at init throws SupervisorStartException to the body.
        var failing = ChildDefinition.Worker("db", _ => new FailingStart());
        var error = await Assert.ThrowsAsync<SupervisorStartException>(() => SupervisionTest.RunAsync(async test =>
            await test.StartSupervisedAsync(new SupervisorDefinition("app", failing))));
        Assert.Equal("db", error.ChildId);
    }

    [Fact]
    public async Task The_same_test_runs_the_same_way_twice()
    {
        // Checks: determinism: the events of a run with crashes, restarts and timers are identical, with their times.
        async Task<List<string>> Run()
        {
            var log = new List<string>();
            await SupervisionTest.RunAsync(async test =>
            {
                var tree = await test.StartSupervisedAsync(Pipeline());
                var events = tree.WaitForAsync(e =>
                {
                    log.Add($"{e.At} {e.Kind} {e.ChildPath} {e.Reason}");
                    return false;
                });
                await tree.Child("app/pipeline/ingest").CrashAsync("boom");
                await test.DelayAsync(TimeSpan.FromMilliseconds(1500));
                await tree.Child("app/db").CrashAsync("lost");
                await test.DelayAsync(TimeSpan.FromSeconds(1));
            });
            return log;
        }
        var first = await Run();
        Assert.Contains(first, line => line.Contains("ChildStarted app/pipeline/ingest", StringComparison.Ordinal));
        Assert.Equal(first, await Run());
    }

    [Fact]
    public async Task Work_that_leaves_the_scheduler_fails_the_test()
    {
        // Checks: awaiting a real-time delay (its continuation comes from a timer thread) is not deterministic; the run
        // fails (blocked, or escaped work reported at the end) instead of passing by luck. Real time is the point here.
        var run = SupervisionTest.RunAsync(async test =>
        {
            await test.StartSupervisedAsync(Pipeline());
            await Task.Delay(TimeSpan.FromMilliseconds(10), TestContext.Current.CancellationToken);
        });
        var error = await Record.ExceptionAsync(() => run);
        Assert.True(error is SupervisionTestBlockedException or InvalidOperationException, error?.ToString());
    }

    private sealed class FailingStart : ISupervisedChild
    {
        public ValueTask<ChildStartResult> StartAsync(ChildContext context) => ValueTask.FromResult(ChildStartResult.Failed("econnrefused"));

        public Task RunAsync(ChildContext context) => Task.CompletedTask;
    }
}
