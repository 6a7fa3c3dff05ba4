using Microsoft.Extensions.Diagnostics.HealthChecks;
using Supervision.Runtime.Hosting;
using Supervision.Runtime.Testing;
using Xunit;

namespace Supervision.Runtime.Tests.Hosting;

/// <summary>
/// A hosted tree's health check on virtual time: healthy, degraded while restarts are close to the intensity limit,
/// unhealthy once it gave up. (HealthCheckService runs each check on the thread pool, so it is seen from a generic
/// host in <see cref="GenericHostTests"/>; here the check is called as the service calls it.)
/// </summary>
[Collection(ExitCodeCollection.Name)]
public sealed class HealthCheckTests : IDisposable
{
    private readonly int _exitCodeBefore = Environment.ExitCode;

    public void Dispose() => Environment.ExitCode = _exitCodeBefore;

    private static ChildDefinition Forever(string id) => ChildDefinition.Worker(id, context => Task.Delay(Timeout.InfiniteTimeSpan, context.TimeProvider, context.Stopping));

    private static async Task<HealthCheckResult> CheckAsync(SupervisionTreeHost host, HealthStatus failureStatus = HealthStatus.Unhealthy)
    {
        var check = new SupervisionTreeHealthCheck(host);
        var context = new HealthCheckContext { Registration = new HealthCheckRegistration(SupervisionTreeHealthCheck.NameFor(host.Name), check, failureStatus, null) };
        return await check.CheckHealthAsync(context);
    }

    [Fact]
    public Task Healthy_then_degraded_near_the_intensity_then_healthy_as_the_window_slides_then_unhealthy_once_it_gave_up() => SupervisionTest.RunAsync(async test =>
    {
        // Checks: root of intensity 4 in 10 s (degraded from 2 restarts, half of 4): 1 restart is healthy, the 2nd at
        // 1 s is degraded and names the root's load, 11 s later both restarts left the window: healthy again; then 5
        // crashes in a row make it give up: unhealthy (the registration's failure status), saying it gave up.
        using var hosted = new VirtualHost(test, new SupervisorDefinition("app", Forever("db"), Forever("w")) { Intensity = 4, PeriodSeconds = 10 },
            options => options.RootExit = RootExitPolicy.KeepRunning);
        await hosted.Host.StartAsync(CancellationToken.None);
        Assert.Equal(HealthStatus.Healthy, (await CheckAsync(hosted.Host)).Status);
        var worker = hosted.Host.Tree.Child("app/w");
        Assert.True(await worker.CrashAsync("boom"));
        var one = await CheckAsync(hosted.Host);
        Assert.Equal(HealthStatus.Healthy, one.Status);
        Assert.Equal("app has 1 of 4 restart(s) in its 10 s window", one.Data["app"]);
        await test.DelayAsync(TimeSpan.FromSeconds(1));
        Assert.True(await worker.CrashAsync("boom"));
        var two = await CheckAsync(hosted.Host);
        Assert.Equal(HealthStatus.Degraded, two.Status);
        Assert.Equal("supervision tree 't' is running, but 1 supervisor(s) are close to giving up: app has 2 of 4 restart(s) in its 10 s window", two.Description);
        await test.DelayAsync(TimeSpan.FromSeconds(11));
        var slid = await CheckAsync(hosted.Host);
        Assert.Equal(HealthStatus.Healthy, slid.Status);
        Assert.Empty(slid.Data);
        var ended = hosted.Logs.Next(30);
        for (var i = 0; i < 5; i++)
        {
            Assert.True(await worker.CrashAsync("boom"));
        }
        await ended;
        var gaveUp = await CheckAsync(hosted.Host, HealthStatus.Degraded);
        Assert.Equal(HealthStatus.Degraded, gaveUp.Status);
        Assert.Equal("supervision tree 't' ended on its own: its root gave up (reached its maximum restart intensity)", gaveUp.Description);
        Assert.Equal(HealthStatus.Unhealthy, (await CheckAsync(hosted.Host)).Status);
    });

    [Fact]
    public Task A_nested_supervisor_close_to_its_limit_degrades_the_tree() => SupervisionTest.RunAsync(async test =>
    {
        // Checks: the load of every supervisor counts, not only the root's: a child supervisor of intensity 1 that
        // restarted once is close (1 of 1) while the root has no restart; the data names it by path.
        var inner = ChildDefinition.Supervisor(new SupervisorDefinition("inner", Forever("x")) { Intensity = 1, PeriodSeconds = 60 });
        using var hosted = new VirtualHost(test, new SupervisorDefinition("app", Forever("db"), inner) { Intensity = 3, PeriodSeconds = 60 });
        await hosted.Host.StartAsync(CancellationToken.None);
        Assert.True(await hosted.Host.Tree.Child("app/inner/x").CrashAsync("boom"));
        var result = await CheckAsync(hosted.Host);
        Assert.Equal(HealthStatus.Degraded, result.Status);
        Assert.Equal(["app/inner"], result.Data.Keys);
        await hosted.Host.StopAsync(CancellationToken.None);
    });

    [Fact]
    public Task Not_started_waiting_for_a_tree_restart_and_stopped_are_unhealthy() => SupervisionTest.RunAsync(async test =>
    {
        // Checks: before the host starts the tree, while a RestartTree backoff runs, and after the host stopped it, the
        // check reports the failure status, each with its own description.
        using var hosted = new VirtualHost(test, new SupervisorDefinition("app", Forever("w")) { Intensity = 0 }, options =>
        {
            options.RootExit = RootExitPolicy.RestartTree;
            options.TreeRestartDelay = TimeSpan.FromSeconds(10);
        });
        var before = await CheckAsync(hosted.Host);
        Assert.Equal((HealthStatus.Unhealthy, "supervision tree 't' has not been started"), (before.Status, before.Description));
        await hosted.Host.StartAsync(CancellationToken.None);
        var ended = hosted.Logs.Next(30);
        Assert.True(await hosted.Host.Tree.Child("app/w").CrashAsync("boom"));
        await ended;
        var pending = await CheckAsync(hosted.Host);
        Assert.Equal(HealthStatus.Unhealthy, pending.Status);
        Assert.Equal("supervision tree 't' ended on its own (its root gave up (reached its maximum restart intensity)) and waits to be restarted", pending.Description);
        await hosted.Host.StopAsync(CancellationToken.None);
        Assert.StartsWith("supervision tree 't' is stopped", (await CheckAsync(hosted.Host)).Description);
    });

    [Fact]
    public void Close_means_the_ratio_of_the_intensity_rounded_up_and_never_for_intensity_zero()
    {
        // Checks: ratio 0.5: 1 of 1, 2 of 3 and 3 of 5 are close, 1 of 3 and 2 of 5 are not; intensity 0 never is.
        static bool Close(int restarts, int intensity) => SupervisionTreeHealthCheck.IsClose(new Tree.RestartLoad("s", restarts, intensity, 5), 0.5);
        Assert.True(Close(1, 1));
        Assert.True(Close(2, 3));
        Assert.True(Close(3, 5));
        Assert.False(Close(1, 3));
        Assert.False(Close(2, 5));
        Assert.False(Close(1, 0));
    }
}
