using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Supervision.Engine;
using Supervision.Runtime.Hosting;
using Xunit;

namespace Supervision.Runtime.Tests;

/// <summary>
/// The production configuration: the thread pool and the system clock. These tests use real threads
/// because that is their point (concurrent callers, hosting); they never sleep, and every wait has a
/// generous bound.
/// </summary>
public sealed class ThreadingAndHostingTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private static ChildDefinition Forever(string id) => ChildDefinition.Worker(id, context => Task.Delay(Timeout.Infinite, context.Stopping));

    [Fact]
    public async Task Concurrent_callers_on_many_threads_get_consistent_answers()
    {
        // Checks: 8 threads × 25 start/terminate pairs with unique ids all succeed; a shared id is started exactly once.
        await using var tree = await SupervisionTree.StartAsync(new SupervisorDefinition("root", Forever("base")));
        var root = tree.Root;
        var workers = Enumerable.Range(0, 8).Select(t => Task.Run(async () =>
        {
            var shared = await root.StartChildAsync(Forever("shared"));
            for (var i = 0; i < 25; i++)
            {
                var id = $"t{t}-{i}";
                Assert.Equal(StartChildStatus.Started, (await root.StartChildAsync(Forever(id))).Status);
                Assert.True((await root.TerminateChildAsync(id)).Succeeded);
                Assert.True((await root.DeleteChildAsync(id)).Succeeded);
            }
            return shared;
        })).ToList();
        var results = await Task.WhenAll(workers).WaitAsync(Bound, TestContext.Current.CancellationToken);
        Assert.Equal(1, results.Count(r => r.Status == StartChildStatus.Started));
        Assert.Equal(7, results.Count(r => r.Error == "already_started"));
        Assert.Equal(new ChildCounts(2, 2, 0, 2), await root.CountChildrenAsync().WaitAsync(Bound, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Killing_a_busy_child_supervisor_from_its_parent_never_overlaps_one_of_its_steps()
    {
        // Checks: a one_for_all child supervisor whose crashing workers make it restart its whole group without
        // pause (its loop always busy, starting long-lived siblings) is killed 300 times from its parent's loop
        // (exit/2 with kill on a supervisor), each time mid-restart on another thread. No supervisor faults (a
        // kill running inside one of the child's steps corrupts its tables), no long-lived worker is left
        // running by a kill (one started by a step that overlapped the kill would be missed by it: an
        // orphan), every kill is followed by a restart, and the tree stops with nothing left running.
        var logs = new RecordingLoggerProvider();
        using var factory = LoggerFactory.Create(builder => builder.AddProvider(logs).SetMinimumLevel(LogLevel.Warning));
        var live = 0;
        var workers = Enumerable.Range(0, 8).Select(i => i % 2 == 0
            ? ChildDefinition.Worker($"w{i}", async context =>
            {
                await Task.Yield();
                throw new InvalidOperationException("crash");
            })
            : ChildDefinition.Worker($"w{i}", _ => new SlowStartingWorker(() => Interlocked.Increment(ref live), () => Interlocked.Decrement(ref live)))).ToList();
        var inner = ChildDefinition.Supervisor(new SupervisorDefinition("inner", workers) { Strategy = RestartStrategy.OneForAll, Intensity = int.MaxValue, PeriodSeconds = 1 });
        var tree = await SupervisionTree.StartAsync(
            new SupervisorDefinition("root", inner) { Intensity = int.MaxValue, PeriodSeconds = 1 },
            new SupervisionTreeOptions { LoggerFactory = factory });
        var child = tree.Child("root/inner");
        for (var i = 0; i < 300; i++)
        {
            var restarted = child.WhenStartedAsync();
            Assert.True(await child.CrashAsync("killed").WaitAsync(Bound, TestContext.Current.CancellationToken));
            await restarted.WaitAsync(Bound, TestContext.Current.CancellationToken);
        }
        await tree.StopAsync().WaitAsync(Bound, TestContext.Current.CancellationToken);
        Assert.DoesNotContain(logs.Entries, entry => entry.Id.Id == 14);
        Assert.Equal(ExitReason.Shutdown, await tree.Completion);
        Assert.Equal(0, Volatile.Read(ref live));
        Assert.Empty(tree.RogueTasks);
    }

    [Fact]
    public async Task A_hosted_tree_starts_with_the_host_and_stops_newest_first_with_it()
    {
        // Checks: AddSupervisionTree runs the tree as a hosted service; host shutdown stops it in order.
        var stops = new List<string>();
        ChildDefinition Recorded(string id) => ChildDefinition.Worker(id, async context =>
        {
            try
            {
                await Task.Delay(Timeout.Infinite, context.Stopping);
            }
            finally
            {
                lock (stops)
                {
                    stops.Add(id);
                }
            }
        });
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSupervisionTree(new SupervisorDefinition("app", Recorded("db"), Recorded("cache"), Recorded("api")));
        using var host = builder.Build();
        await host.StartAsync(TestContext.Current.CancellationToken).WaitAsync(Bound, TestContext.Current.CancellationToken);
        var tree = host.Services.GetRequiredService<SupervisionTreeHost>().Tree;
        Assert.Equal(3, (await tree.Root.CountChildrenAsync()).Active);
        await host.StopAsync(TestContext.Current.CancellationToken).WaitAsync(Bound, TestContext.Current.CancellationToken);
        Assert.True(tree.Completion.IsCompletedSuccessfully);
        Assert.Equal(["api", "cache", "db"], stops);
    }

    [Fact]
    public void An_invalid_tree_is_refused_when_registered()
    {
        // Checks: registration validates the definition at once, listing the violation with its field.
        var services = new ServiceCollection();
        var error = Assert.Throws<ArgumentException>(() => services.AddSupervisionTree(new SupervisorDefinition("app", Forever("a"), Forever("a"))));
        Assert.Contains("duplicate child id 'a'", error.Message);
    }

    /// <summary>
    /// A long-lived worker whose start spins briefly on its supervisor's loop (a start is synchronous up to its
    /// first await), so that the supervisor's restart steps last long enough for a parent's kill to land in them.
    /// </summary>
    private sealed class SlowStartingWorker(Action started, Action ended) : ISupervisedChild
    {
        public ValueTask<ChildStartResult> StartAsync(ChildContext context)
        {
            Thread.SpinWait(2_000);
            return ValueTask.FromResult(ChildStartResult.Started);
        }

        public async Task RunAsync(ChildContext context)
        {
            started();
            try
            {
                await Task.Delay(Timeout.Infinite, context.Stopping);
            }
            finally
            {
                ended();
            }
        }
    }
}
