using Microsoft.Extensions.Logging;
using Supervision.Engine;
using Supervision.Runtime.Hosting;
using Supervision.Runtime.Scheduling;
using Xunit;

namespace Supervision.Runtime.Tests;

/// <summary>
/// Disposal overtakes whatever is queued and starts nothing; timeouts of any length a user can pass work;
/// a host whose shutdown timeout runs out still asks every child to stop and returns normally. Virtual time.
/// </summary>
public sealed class DisposalAndTimeoutTests
{
    private static ChildDefinition Forever(string id) => ChildDefinition.Worker(id, context => Task.Delay(Timeout.Infinite, context.Stopping));

    [Fact]
    public void Disposal_overtakes_a_thousand_queued_starts_which_are_answered_and_never_run()
    {
        // Checks: 1,000 start_child calls are queued on a pool, then DisposeAsync, all in one step: no child
        // factory runs, every call is answered (noproc), and disposal completes at the same instant.
        var factoryRuns = 0;
        var tree = new VirtualTree(new SupervisorDefinition("root",
            ChildDefinition.Supervisor(new SupervisorDefinition("pool", ChildDefinition.Worker("w", context =>
            {
                factoryRuns++;
                return Task.Delay(Timeout.Infinite, context.Stopping);
            }))
            { Strategy = RestartStrategy.SimpleOneForOne })));
        var calls = new List<Task<StartChildResult>>();
        Task? disposed = null;
        tree.Scheduler.Post("test", () =>
        {
            var pool = tree.Tree.Supervisor("root/pool");
            for (var i = 0; i < 1000; i++)
            {
                calls.Add(pool.StartInstanceAsync(i));
            }
            disposed = tree.Tree.DisposeAsync().AsTask();
        });
        tree.AdvanceTo(TimeSpan.Zero);
        Assert.True(disposed!.IsCompletedSuccessfully);
        Assert.Equal(0, factoryRuns);
        Assert.All(calls, call => Assert.Equal(new StartChildResult(StartChildStatus.Failed, "noproc", null), call.Result));
    }

    [Fact]
    public void Disposal_cancels_a_start_in_progress_and_nothing_starts_after_it_began()
    {
        // Checks: one_for_all restarts a, b, c after a crash; b's start waits (on its Stopping token); disposal
        // then asks that start to stop, so the tree ends at once (not after the 30 s start timeout), and c's
        // factory never runs again: nothing starts once disposal began.
        var made = new Dictionary<string, int>();
        ChildDefinition Counted(string id, bool slowStart) => ChildDefinition.Worker(id, context =>
        {
            made[id] = made.GetValueOrDefault(id) + 1;
            return slowStart && made[id] > 1 ? new WaitingStart() : new Steady();
        });
        var tree = new VirtualTree(new SupervisorDefinition("root", Counted("a", false), Counted("b", true), Counted("c", false))
        { Strategy = RestartStrategy.OneForAll, Intensity = 5 });
        tree.Run(() => tree.Tree.Child("root/a").CrashAsync("boom"));
        Assert.Equal((2, 2, 1), (made["a"], made["b"], made["c"]));
        tree.Run(() => tree.Tree.DisposeAsync().AsTask());
        Assert.Equal(TimeSpan.Zero, tree.Now);
        Assert.Equal(1, made["c"]);
        Assert.True(tree.Tree.Completion.IsCompletedSuccessfully);
    }

    [Fact]
    public void A_restart_walk_that_resumes_after_disposal_began_starts_nothing_more()
    {
        // Checks: one_for_all restarts a, b, c; b's start waits on a gate. In one step the gate opens and
        // DisposeAsync is called: b's start completes, the engine goes on with its restart walk, but c's
        // factory is not called again (its start fails with reason shutdown) and the tree ends.
        var made = new Dictionary<string, int>();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        ChildDefinition Counted(string id) => ChildDefinition.Worker(id, context =>
        {
            made[id] = made.GetValueOrDefault(id) + 1;
            return id == "b" && made[id] > 1 ? new GatedStart(gate.Task) : new Steady();
        });
        var tree = new VirtualTree(new SupervisorDefinition("root", Counted("a"), Counted("b"), Counted("c"))
        { Strategy = RestartStrategy.OneForAll, Intensity = 5 });
        var refused = tree.Tree.WaitForAsync(e => e.Kind == SupervisionEventKind.ChildStartFailed && e.ChildPath == "root/c");
        tree.Run(() => tree.Tree.Child("root/a").CrashAsync("boom"));
        Assert.Equal((2, 2, 1), (made["a"], made["b"], made["c"]));
        Task? disposed = null;
        tree.Scheduler.Post("test", () =>
        {
            gate.SetResult();
            disposed = tree.Tree.DisposeAsync().AsTask();
        });
        tree.AdvanceTo(TimeSpan.Zero);
        Assert.True(disposed!.IsCompletedSuccessfully);
        Assert.Equal(1, made["c"]);
        Assert.Equal(ExitReason.Shutdown, refused.Result.Reason);
    }

    [Fact]
    public void Dispose_is_idempotent_and_stop_after_dispose_completes()
    {
        // Checks: two DisposeAsync calls and a StopAsync all complete with the same termination.
        var tree = new VirtualTree(new SupervisorDefinition("root", Forever("a")));
        tree.Run(async () =>
        {
            var first = tree.Tree.DisposeAsync().AsTask();
            var second = tree.Tree.DisposeAsync().AsTask();
            var stop = tree.Tree.StopAsync();
            await first;
            await second;
            Assert.Equal(ExitReason.Shutdown, (await stop).Reason);
        });
    }

    [Theory]
    [InlineData(-2L)]
    [InlineData(long.MinValue)]
    public void Negative_start_timeouts_and_kill_graces_are_refused_with_the_options_name(long ticks)
    {
        // Checks: a negative TimeSpan (other than Timeout.InfiniteTimeSpan) is rejected at construction, naming the option.
        var start = Assert.Throws<ArgumentOutOfRangeException>(() => new SupervisionTreeOptions { StartTimeout = TimeSpan.FromTicks(ticks) });
        Assert.Equal("StartTimeout", start.ParamName);
        var grace = Assert.Throws<ArgumentOutOfRangeException>(() => new SupervisionTreeOptions { KillGrace = TimeSpan.FromTicks(ticks) });
        Assert.Equal("KillGrace", grace.ParamName);
    }

    [Fact]
    public void Zero_infinite_and_maximal_timeouts_are_accepted()
    {
        // Checks: the boundary values a user can pass are accepted as given.
        foreach (var value in new[] { TimeSpan.Zero, Timeout.InfiniteTimeSpan, TimeSpan.MaxValue, TimeSpan.FromDays(50) })
        {
            var options = new SupervisionTreeOptions { StartTimeout = value, KillGrace = value };
            Assert.Equal((value, value), (options.StartTimeout, options.KillGrace));
        }
    }

    [Fact]
    public void A_shutdown_timeout_of_sixty_days_kills_after_sixty_days()
    {
        // Checks: a shutdown timeout beyond a system timer's range (~49.7 days) works: a child that ignores its
        // stop (but honours its kill) is killed exactly 60 virtual days after terminate_child.
        var tree = new VirtualTree(new SupervisorDefinition("root",
            ChildDefinition.Worker("slow", context => Task.Delay(Timeout.Infinite, context.Killed)) with { Shutdown = ShutdownPolicy.Timeout((long)TimeSpan.FromDays(60).TotalMilliseconds) }));
        var stopped = tree.Tree.WaitForAsync(e => e.Kind == SupervisionEventKind.ChildStopped);
        tree.Run(() => tree.Tree.Root.TerminateChildAsync("slow"), until: TimeSpan.FromDays(61));
        Assert.Equal((ExitReason.Killed, TimeSpan.FromDays(60)), (stopped.Result.Reason, stopped.Result.At));
        tree.Stop();
    }

    [Fact]
    public void A_shutdown_timeout_of_long_max_milliseconds_waits_for_the_child()
    {
        // Checks: ShutdownPolicy.Timeout(long.MaxValue) neither wraps into an immediate kill nor faults the
        // supervisor: after 1,000 virtual days the child is still being waited for; it then ends with shutdown.
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var tree = new VirtualTree(new SupervisorDefinition("root",
            ChildDefinition.Worker("patient", _ => release.Task) with { Shutdown = ShutdownPolicy.Timeout(long.MaxValue) }));
        var stopped = tree.Tree.WaitForAsync(e => e.Kind == SupervisionEventKind.ChildStopped);
        Task<SupervisorCallResult>? terminate = null;
        tree.Scheduler.Post("test", () => terminate = tree.Tree.Root.TerminateChildAsync("patient"));
        tree.AdvanceTo(TimeSpan.FromDays(1000));
        Assert.False(stopped.IsCompleted);
        tree.Scheduler.Post("test", () => release.SetResult());
        tree.AdvanceTo(TimeSpan.FromDays(1000));
        Assert.Equal(ExitReason.Normal, stopped.Result.Reason);
        Assert.True(terminate!.Result.Succeeded);
        tree.Stop();
    }

    [Fact]
    public void Start_timeouts_of_fifty_days_and_of_TimeSpan_MaxValue_work()
    {
        // Checks: a start that takes 100 virtual days succeeds under StartTimeout = TimeSpan.MaxValue; one that
        // never ends fails with start_timeout after 50 days (+ the kill grace) under StartTimeout = 50 days.
        var forever = new VirtualTree(new SupervisorDefinition("root"), startTimeout: TimeSpan.MaxValue);
        var slow = forever.Run(() => forever.Tree.Root.StartChildAsync(ChildDefinition.Worker("slow", _ => new DelayedStart(TimeSpan.FromDays(100)))), until: TimeSpan.FromDays(100));
        Assert.Equal(StartChildStatus.Started, slow.Status);
        forever.Stop();

        var fifty = new VirtualTree(new SupervisorDefinition("root"), startTimeout: TimeSpan.FromDays(50));
        var hung = fifty.Run(() => fifty.Tree.Root.StartChildAsync(ChildDefinition.Worker("hung", _ => new DelayedStart(Timeout.InfiniteTimeSpan))), until: TimeSpan.FromDays(50) + TimeSpan.FromSeconds(1));
        Assert.Equal(new StartChildResult(StartChildStatus.Failed, "start_timeout", null), hung);
    }

    [Fact]
    public async Task A_host_whose_shutdown_timeout_runs_out_asks_every_child_to_stop_logs_it_and_returns()
    {
        // Checks: the hosted tree stops newest first; the newest child ignores its stop (10 s shutdown); the
        // host's token expires at 500 ms (virtual): StopAsync returns without throwing (no abort), the older
        // child gets its stop request then, and the log names the child still running.
        var scheduler = new DeterministicScheduler();
        var logs = new RecordingLoggerProvider();
        using var loggers = LoggerFactory.Create(builder => builder.AddProvider(logs));
        TimeSpan? olderStopped = null;
        var host = new SupervisionTreeHost(new SupervisorDefinition("app",
            ChildDefinition.Worker("older", async context =>
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, context.TimeProvider, context.Stopping).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing | ConfigureAwaitOptions.ContinueOnCapturedContext);
                olderStopped = scheduler.Clock.Elapsed;
            }),
            ChildDefinition.Worker("stubborn", _ => Task.Delay(Timeout.InfiniteTimeSpan, scheduler.TimeProvider)) with { Shutdown = ShutdownPolicy.Timeout(10_000) }),
            new SupervisionTreeOptions { Scheduler = scheduler, LoggerFactory = loggers });
        Task? started = null;
        scheduler.Post("test", () => started = host.StartAsync(CancellationToken.None));
        scheduler.RunUntilIdle(TimeSpan.Zero);
        Assert.True(started!.IsCompletedSuccessfully);
        Task? stopped = null;
        CancellationTokenSource? hostTimeout = null;
        scheduler.Post("test", () =>
        {
            hostTimeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(500), scheduler.TimeProvider);
            stopped = host.StopAsync(hostTimeout.Token);
        });
        scheduler.RunUntilIdle(TimeSpan.FromSeconds(2));
        Assert.True(stopped!.IsCompletedSuccessfully, stopped.Exception?.ToString());
        Assert.Equal(TimeSpan.FromMilliseconds(500), olderStopped);
        var entry = Assert.Single(logs.Entries, e => e.Id.Id == 16);
        Assert.Contains("app/stubborn", entry.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("app/older", entry.Message, StringComparison.Ordinal);
        hostTimeout!.Dispose();
        await Task.CompletedTask;
    }

    private sealed class Steady : ISupervisedChild
    {
        public Task RunAsync(ChildContext context) => Task.Delay(Timeout.Infinite, context.Stopping);
    }

    /// <summary>A start that completes when the gate opens, whatever else happens.</summary>
    private sealed class GatedStart(Task gate) : ISupervisedChild
    {
        public async ValueTask<ChildStartResult> StartAsync(ChildContext context)
        {
            await gate;
            return ChildStartResult.Started;
        }

        public Task RunAsync(ChildContext context) => Task.Delay(Timeout.Infinite, context.Stopping);
    }

    /// <summary>A start that waits until it is asked to stop.</summary>
    private sealed class WaitingStart : ISupervisedChild
    {
        public async ValueTask<ChildStartResult> StartAsync(ChildContext context)
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, context.TimeProvider, context.Stopping);
            return ChildStartResult.Started;
        }

        public Task RunAsync(ChildContext context) => Task.Delay(Timeout.Infinite, context.Stopping);
    }

    /// <summary>A start that takes <c>delay</c> (virtual), ignoring its signals.</summary>
    private sealed class DelayedStart(TimeSpan delay) : ISupervisedChild
    {
        public async ValueTask<ChildStartResult> StartAsync(ChildContext context)
        {
            // Task.Delay takes at most ~49.7 days at a time.
            for (var left = delay; left != TimeSpan.Zero; left -= left == Timeout.InfiniteTimeSpan ? TimeSpan.Zero : TimeSpan.FromDays(Math.Min(40, left.TotalDays)))
            {
                await Task.Delay(left == Timeout.InfiniteTimeSpan ? Timeout.InfiniteTimeSpan : TimeSpan.FromDays(Math.Min(40, left.TotalDays)), context.TimeProvider, CancellationToken.None);
            }
            return ChildStartResult.Started;
        }

        public Task RunAsync(ChildContext context) => Task.Delay(Timeout.Infinite, context.Stopping);
    }
}
