using Supervision.Runtime;
using Supervision.Runtime.Scheduling;
using Xunit;

namespace Supervision.Systematic.Tests;

/// <summary>
/// Tests that need real threads and the real clock to themselves: they run after every parallel test, one at a
/// time (a Coyote test that controls the rewritten runtime, or CsCheck's threads filling the pool, would otherwise
/// share the process with them and can hold their work back past any bound).
/// </summary>
[CollectionDefinition(nameof(RunsAlone), DisableParallelization = true)]
public sealed class RunsAlone;

/// <summary>The deterministic scheduler notices work that escapes it.</summary>
[Collection(nameof(RunsAlone))]
public sealed class EscapeDetectionTests
{
    [Fact]
    public void Work_that_escapes_to_the_thread_pool_is_detected()
    {
        // Checks: a child that uses a real timer and resumes on the thread pool (ConfigureAwait(false)) makes the scheduler count
        // uncontrolled work instead of silently tolerating it.
        using var escaped = new ManualResetEventSlim();
        var scheduler = new DeterministicScheduler();
        var tree = SupervisionTree.Create(new SupervisorDefinition("root", ChildDefinition.Worker("leaky", async context =>
        {
            // Deliberately real: this test checks that work escaping the scheduler (a real timer, a
            // thread-pool continuation) is detected; the wait below is bounded.
            await Task.Delay(1).ConfigureAwait(false);
            escaped.Set(); // ...and ending here reports the exit to the supervisor from the pool thread
        }) with { Restart = Engine.RestartType.Temporary }), new SupervisionTreeOptions { Scheduler = scheduler });
        scheduler.RunUntilIdle(TimeSpan.Zero);
        Assert.True(escaped.Wait(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken));
        SpinWait.SpinUntil(() => scheduler.EscapedWorkCount > 0 || tree.Completion.IsCompleted, TimeSpan.FromSeconds(30));
        Assert.True(scheduler.EscapedWorkCount > 0);
    }
}
