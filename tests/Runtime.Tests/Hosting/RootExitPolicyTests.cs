using Microsoft.Extensions.Logging;
using Supervision.Engine;
using Supervision.Runtime.Hosting;
using Supervision.Runtime.Testing;
using Xunit;

namespace Supervision.Runtime.Tests.Hosting;

/// <summary>
/// The root's end is the process's business: what a hosted tree's host does when the root ends on its own. On
/// virtual time, with the real registration and host (<see cref="VirtualHost"/>).
/// </summary>
[Collection(ExitCodeCollection.Name)]
public sealed class RootExitPolicyTests : IDisposable
{
    private readonly int _exitCodeBefore = Environment.ExitCode;

    public void Dispose() => Environment.ExitCode = _exitCodeBefore;

    private static ChildDefinition Forever(string id) => ChildDefinition.Worker(id, context => Task.Delay(Timeout.InfiniteTimeSpan, context.TimeProvider, context.Stopping));

    private static SupervisorDefinition App(int intensity) => new("app", Forever("db"), Forever("w")) { Intensity = intensity, PeriodSeconds = 5 };

    [Fact]
    public Task By_default_a_root_that_gives_up_stops_the_application_with_a_failure_exit_code() => SupervisionTest.RunAsync(async test =>
    {
        // Checks: the root (intensity 1) gives up at the second crash of `w`; the host logs why (event 30, error: who
        // crashed, with what, the budget) and what it does, sets the process exit code to the configured 70 and asks
        // the application to stop, once; the host reports the tree as ended, with the root's cause.
        Environment.ExitCode = 0;
        using var hosted = new VirtualHost(test, App(intensity: 1), options => options.ExitCode = 70);
        await hosted.Host.StartAsync(CancellationToken.None);
        var ended = hosted.Logs.Next(30);
        var worker = hosted.Host.Tree.Child("app/w");
        Assert.True(await worker.CrashAsync("boom"));
        Assert.Equal(SupervisionTreeStatus.Running, hosted.Host.Status);
        Assert.True(await worker.CrashAsync("disk_full"));
        await hosted.Lifetime.StopRequested.Task;
        var (level, message) = await ended;
        Assert.Equal(LogLevel.Error, level);
        Assert.Equal(
            "Supervision tree t ended on its own: its root supervisor app gave up after more than 1 restart(s) within 5 s; the last: child app/w exited " +
            "with reason disk_full. Stopping the application with exit code 70, so that whatever runs the process (systemd, Kubernetes, a service manager) restarts it",
            message);
        Assert.Equal(70, Environment.ExitCode);
        Assert.Equal(1, hosted.Lifetime.StopRequests);
        Assert.Equal(SupervisionTreeStatus.Ended, hosted.Host.Status);
        Assert.Equal(ExitCause.GaveUp, hosted.Host.LastExit!.Cause);
        await hosted.Host.StopAsync(CancellationToken.None);
        Assert.Equal(SupervisionTreeStatus.Stopped, hosted.Host.Status);
    });

    [Fact]
    public Task Keep_running_logs_the_end_and_leaves_the_application_and_its_exit_code_alone() => SupervisionTest.RunAsync(async test =>
    {
        // Checks: with RootExit = KeepRunning a root that gives up is logged (event 30: it keeps running) and that is
        // all: no stop request, the exit code untouched, the tree reported ended.
        Environment.ExitCode = 0;
        using var hosted = new VirtualHost(test, App(intensity: 0), options => options.RootExit = RootExitPolicy.KeepRunning);
        await hosted.Host.StartAsync(CancellationToken.None);
        var ended = hosted.Logs.Next(30);
        Assert.True(await hosted.Host.Tree.Child("app/w").CrashAsync("boom"));
        Assert.EndsWith("The application keeps running without it (RootExit = KeepRunning); its health check reports unhealthy", (await ended).Message);
        await test.DelayAsync(TimeSpan.FromMinutes(1));
        Assert.Equal(0, hosted.Lifetime.StopRequests);
        Assert.Equal(0, Environment.ExitCode);
        Assert.Equal(SupervisionTreeStatus.Ended, hosted.Host.Status);
        await hosted.Host.StopAsync(CancellationToken.None);
    });

    [Fact]
    public Task Restart_tree_restarts_after_a_doubling_backoff_and_escalates_past_its_bound() => SupervisionTest.RunAsync(async test =>
    {
        // Checks: RootExit = RestartTree, MaxTreeRestarts 2 within 1 min, delay 1 s: the root (intensity 0) gives up at 0
        // and a new tree runs at 1 s (a fresh incarnation of `w`); it gives up at once and the next runs at 1 + 2 = 3 s;
        // the third end within the minute exceeds the bound and the policy escalates to stopping the application.
        Environment.ExitCode = 0;
        using var hosted = new VirtualHost(test, App(intensity: 0), options =>
        {
            options.RootExit = RootExitPolicy.RestartTree;
            options.MaxTreeRestarts = 2;
            options.TreeRestartPeriod = TimeSpan.FromMinutes(1);
            options.TreeRestartDelay = TimeSpan.FromSeconds(1);
        });
        await hosted.Host.StartAsync(CancellationToken.None);
        var first = hosted.Host.Tree;
        var restarts = new List<TimeSpan>();
        for (var i = 0; i < 2; i++)
        {
            var ended = hosted.Logs.Next(30);
            var restarted = hosted.Logs.Next(31);
            Assert.True(await hosted.Host.Tree.Child("app/w").CrashAsync("boom"));
            await ended;
            Assert.Equal(SupervisionTreeStatus.RestartPending, hosted.Host.Status);
            await restarted;
            restarts.Add(test.Now);
            Assert.Equal(SupervisionTreeStatus.Running, hosted.Host.Status);
            Assert.Equal(1, hosted.Host.Tree.Child("app/w").Incarnation);
        }
        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3)], restarts);
        Assert.NotSame(first, hosted.Host.Tree);
        Assert.Equal(
            ["Supervision tree t restarted (tree restart 1 of at most 2 within 00:01:00)", "Supervision tree t restarted (tree restart 2 of at most 2 within 00:01:00)"],
            hosted.Logs.Messages(31));
        var escalated = hosted.Logs.Next(30);
        Assert.True(await hosted.Host.Tree.Child("app/w").CrashAsync("boom"));
        await hosted.Lifetime.StopRequested.Task;
        Assert.Contains("It was already restarted 2 time(s) within 00:01:00 (MaxTreeRestarts), so the policy escalates. Stopping the application with exit code 1", (await escalated).Message);
        Assert.Equal(1, Environment.ExitCode);
        Assert.Equal(TimeSpan.FromSeconds(3), test.Now);
        await hosted.Host.StopAsync(CancellationToken.None);
    });

    [Fact]
    public Task A_host_stop_during_the_backoff_calls_the_restart_off() => SupervisionTest.RunAsync(async test =>
    {
        // Checks: the host stops while a tree restart waits for its 10 s backoff: no new tree is made (the host still
        // holds the ended one), the host reports stopped, nothing asked the application to stop.
        using var hosted = new VirtualHost(test, App(intensity: 0), options =>
        {
            options.RootExit = RootExitPolicy.RestartTree;
            options.TreeRestartDelay = TimeSpan.FromSeconds(10);
        });
        await hosted.Host.StartAsync(CancellationToken.None);
        var ended = hosted.Host.Tree;
        var logged = hosted.Logs.Next(30);
        Assert.True(await ended.Child("app/w").CrashAsync("boom"));
        await logged;
        await test.DelayAsync(TimeSpan.FromSeconds(5));
        await hosted.Host.StopAsync(CancellationToken.None);
        await test.DelayAsync(TimeSpan.FromSeconds(10));
        Assert.Same(ended, hosted.Host.Tree);
        Assert.Equal(SupervisionTreeStatus.Stopped, hosted.Host.Status);
        Assert.Empty(hosted.Logs.Messages(31));
        Assert.Equal(0, hosted.Lifetime.StopRequests);
    });

    [Fact]
    public Task Auto_shutdown_is_an_end_on_its_own_logged_as_a_warning() => SupervisionTest.RunAsync(async test =>
    {
        // Checks: a root with auto_shutdown = any_significant ends when its significant transient child finishes; the
        // policy applies (here KeepRunning), logged at warning level with the cause, and LastExit says auto_shutdown.
        var job = ChildDefinition.Worker("job", context => Task.Delay(TimeSpan.FromSeconds(2), context.TimeProvider, context.Stopping))
            with { Restart = RestartType.Transient, Significant = true };
        var root = new SupervisorDefinition("app", Forever("db"), job) { AutoShutdown = AutoShutdown.AnySignificant };
        using var hosted = new VirtualHost(test, root, options => options.RootExit = RootExitPolicy.KeepRunning);
        var ended = hosted.Logs.Next(30);
        await hosted.Host.StartAsync(CancellationToken.None);
        var (level, message) = await ended;
        Assert.Equal(TimeSpan.FromSeconds(2), test.Now);
        Assert.Equal(LogLevel.Warning, level);
        Assert.Contains("its root supervisor app shut down by auto_shutdown (a significant child ended)", message);
        Assert.Equal(ExitCause.AutoShutdown, hosted.Host.LastExit!.Cause);
        await hosted.Host.StopAsync(CancellationToken.None);
    });

    [Fact]
    public Task A_tree_stopped_through_itself_is_not_an_end_on_its_own() => SupervisionTest.RunAsync(async test =>
    {
        // Checks: stopping the tree with its own StopAsync (not the host) applies no policy: no log 20, no stop request,
        // and the host reports it stopped.
        using var hosted = new VirtualHost(test, App(intensity: 1));
        await hosted.Host.StartAsync(CancellationToken.None);
        await hosted.Host.Tree.StopAsync();
        await test.DelayAsync(TimeSpan.FromSeconds(1));
        Assert.Empty(hosted.Logs.Messages(30));
        Assert.Equal(0, hosted.Lifetime.StopRequests);
        Assert.Equal(SupervisionTreeStatus.Stopped, hosted.Host.Status);
        Assert.Null(hosted.Host.LastExit);
    });

    [Fact]
    public void The_tree_restart_backoff_doubles_up_to_its_limit_and_the_window_slides()
    {
        // Checks: delay 1 s, limit 5 s: 1, 2, 4, 5, 5 s; at most 2 restarts within 10 s, the third is refused until the
        // first has left the window (at 10 s after it, not before).
        Assert.Equal(
            [1, 2, 4, 5, 5],
            Enumerable.Range(1, 5).Select(n => TreeRestartBudget.Backoff(n, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5)).TotalSeconds));
        Assert.Equal(TimeSpan.FromSeconds(5), TreeRestartBudget.Backoff(int.MaxValue, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5)));
        var budget = new TreeRestartBudget(2, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30));
        Assert.True(budget.TryTake(TimeSpan.FromSeconds(0), out var wait, out var n) && wait == TimeSpan.FromSeconds(1) && n == 1);
        Assert.True(budget.TryTake(TimeSpan.FromSeconds(3), out wait, out n) && wait == TimeSpan.FromSeconds(2) && n == 2);
        Assert.False(budget.TryTake(TimeSpan.FromSeconds(9.9), out _, out _));
        Assert.True(budget.TryTake(TimeSpan.FromSeconds(10), out wait, out n) && wait == TimeSpan.FromSeconds(2) && n == 2);
        Assert.Equal(3, budget.Total);
    }
}
