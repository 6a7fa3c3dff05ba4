using System.Collections.Concurrent;
using Microsoft.Coyote.Specifications;
using Supervision.Engine;
using Supervision.Runtime;
using Supervision.Runtime.Scheduling;
using Xunit;

namespace Supervision.Systematic.Tests;

/// <summary>
/// What the README's "Testing your own supervised service under Coyote" shows, as a test: a small service
/// (a cache worker that registers its incarnation in a shared registry while it runs, and unregisters after
/// a flush that does not hold up its stop, beside an API worker) runs under Coyote's TestingEngine on
/// <see cref="ThreadPoolVirtualTimeScheduler"/>; the test crashes the cache while a start_child call is in
/// flight and checks the service's own invariant. Coyote finds the race in the variant whose late
/// unregistration removes the entry whatever incarnation it names (the restarted cache's), and none in the
/// correct one. (The supervisor itself cannot prevent it: the old incarnation's task has ended by then.)
/// </summary>
public sealed class CoyoteUserServiceTests(ITestOutputHelper output)
{
    [Fact]
    public void Coyote_finds_no_interleaving_that_breaks_the_correct_service()
    {
        // Checks: 100 prioritization and 100 random iterations keep the registry pointing at the live cache.
        foreach (var strategy in new[] { "prioritization", "random" })
        {
            var outcome = CoyoteRun.Explore("CoyoteUserServiceTests correct", strategy, 100, CoyoteRun.Seed(3), () => CrashTheCacheDuringAStart(carelessCleanup: false));
            output.WriteLine(outcome.ToString());
            Assert.False(outcome.Found, outcome.ToString());
        }
    }

    [Fact]
    public void Coyote_finds_the_service_that_unregisters_a_newer_incarnation()
    {
        // Checks: the careless cleanup (remove the entry whatever incarnation it names, after the flush) is
        // found within 100 prioritization iterations, with a replayable trace.
        var outcome = CoyoteRun.Explore("CoyoteUserServiceTests careless", "prioritization", 100, CoyoteRun.Seed(3), () => CrashTheCacheDuringAStart(carelessCleanup: true));
        output.WriteLine(outcome.ToString());
        Assert.True(outcome.Found, outcome.ToString());
        Assert.Contains("registry", outcome.Bug, StringComparison.Ordinal);
    }

    /// <summary>One Coyote iteration, written as a user would: build the tree on the scheduler, act, run it to quiescence, check.</summary>
    private static void CrashTheCacheDuringAStart(bool carelessCleanup)
    {
        var registry = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        var scheduler = new ThreadPoolVirtualTimeScheduler();
        var tree = SupervisionTree.Create(Service(registry, carelessCleanup), new SupervisionTreeOptions { Scheduler = scheduler });
        scheduler.RunUntilIdle();

        // Both start when the scheduler next runs, concurrently; Coyote chooses how they interleave. The audit worker
        // waits on the tree's clock (the scheduler's virtual one), never on real time, until it is asked to stop.
        var started = tree.Root.StartChildAsync(ChildDefinition.Worker("audit", context => Task.Delay(Timeout.InfiniteTimeSpan, context.TimeProvider, context.Stopping)));
        var crashed = tree.Child("app/cache").CrashAsync("boom");
        scheduler.RunUntilIdle();

        Specification.Assert(started.IsCompletedSuccessfully && crashed.IsCompletedSuccessfully, "a call was not answered");
        var live = tree.Child("app/cache").Incarnation;
        Specification.Assert(registry.TryGetValue("cache", out var registered) && registered == live,
            $"the registry names incarnation {(registry.TryGetValue("cache", out var r) ? r : -1)} of the cache, but incarnation {live} runs");

        _ = tree.StopAsync();
        scheduler.RunUntilIdle();
        Specification.Assert(tree.Completion.IsCompleted && registry.IsEmpty, "the service did not stop cleanly");
    }

    /// <summary>The service under test: an API worker and a cache that registers itself while it runs. The workers wait on the
    /// tree's clock (virtual here: the scheduler's), never on real time, and end only when asked to stop.</summary>
    private static SupervisorDefinition Service(ConcurrentDictionary<string, int> registry, bool carelessCleanup) => new("app",
        ChildDefinition.Worker("api", context => Task.Delay(Timeout.InfiniteTimeSpan, context.TimeProvider, context.Stopping)),
        ChildDefinition.Worker("cache", async context =>
        {
            registry["cache"] = context.Incarnation;
            try
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, context.TimeProvider, context.Stopping);
            }
            finally
            {
                // Fire and forget: the flush must not hold up the stop.
                _ = FlushThenUnregisterAsync(registry, context.Incarnation, carelessCleanup);
            }
        }))
    {
        Strategy = RestartStrategy.OneForOne,
        Intensity = 5,
    };

    private static async Task FlushThenUnregisterAsync(ConcurrentDictionary<string, int> registry, int incarnation, bool careless)
    {
        await Task.Yield(); // the flush
        if (careless)
        {
            registry.TryRemove("cache", out _);
        }
        else
        {
            registry.TryRemove(new KeyValuePair<string, int>("cache", incarnation));
        }
    }
}
