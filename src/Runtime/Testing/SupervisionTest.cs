using System.Globalization;
using System.Text;
using Supervision.Runtime.Scheduling;

namespace Supervision.Runtime.Testing;

/// <summary>
/// Runs a test of supervised code on a <see cref="DeterministicScheduler"/> and virtual time, where <c>await</c> just
/// works: the test body runs on the scheduler like the trees it starts, and this drives the scheduler until the body
/// has finished. Nothing sleeps, every run is the same, and a body awaiting something that can never happen fails at
/// once with a <see cref="SupervisionTestBlockedException"/> instead of hanging.
/// </summary>
/// <example>
/// <code>
/// [Fact]
/// public Task The_worker_is_restarted() => SupervisionTest.RunAsync(async test =>
/// {
///     var tree = await test.StartSupervisedAsync(MyApp.Tree());
///     var worker = tree.Child("app/pipeline/ingest");
///     var restarted = worker.WhenStartedAsync();
///     await worker.CrashAsync("boom");
///     await restarted;
///     Assert.Equal(2, worker.Incarnation);
/// });
/// </code>
/// </example>
public static class SupervisionTest
{
    /// <summary>
    /// Runs <paramref name="test"/> to completion on a new deterministic scheduler, then stops the trees it started
    /// with <see cref="SupervisionTestContext.StartSupervisedAsync"/>. The returned task is already complete: it
    /// carries the test's own exception, if any.
    /// </summary>
    /// <param name="test">The test body.</param>
    /// <param name="options">Bounds on virtual time and steps.</param>
    /// <exception cref="SupervisionTestBlockedException">The body (or a tree's stop) awaits something that can never complete.</exception>
    /// <exception cref="InvalidOperationException">Work left the scheduler (ran on another thread) or a work item threw.</exception>
    public static Task RunAsync(Func<SupervisionTestContext, Task> test, SupervisionTestOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(test);
        options ??= new SupervisionTestOptions();
        options.Validate();
        var scheduler = new DeterministicScheduler();
        var context = new SupervisionTestContext(scheduler);
        try
        {
            var body = Drive(context, options, "the test", () => test(context));
            // Like start_supervised: whatever the body left running is stopped, newest tree first, even when it failed.
            for (var i = context.Trees.Count - 1; i >= 0; i--)
            {
                var tree = context.Trees[i];
                if (!tree.Completion.IsCompleted)
                {
                    var stop = Drive(context, options, $"the stop of tree '{tree.Root.Path}' after the test", () => tree.StopAsync());
                    if (body.IsCompletedSuccessfully && stop.IsFaulted)
                    {
                        return stop;
                    }
                }
            }
            CheckNothingEscaped(scheduler);
            return body;
        }
        catch (Exception error) when (error is SupervisionTestBlockedException or InvalidOperationException)
        {
            return Task.FromException(error);
        }
    }

    /// <summary>Starts <paramref name="start"/> as an activity on the scheduler and runs the scheduler until its task completes.</summary>
    private static Task Drive(SupervisionTestContext context, SupervisionTestOptions options, string what, Func<Task> start)
    {
        var scheduler = context.Scheduler;
        Task? task = null;
        scheduler.Spawn("test", () =>
        {
            try
            {
                task = start();
            }
            catch (Exception error)
            {
                task = Task.FromException(error);
            }
            return task;
        });
        var limit = options.VirtualTimeLimit;
        while (true)
        {
            var stepsLeft = options.MaxSteps - scheduler.StepsRun;
            // Everything due at this instant, without moving the clock; then the clock moves to the next timer.
            if (stepsLeft <= 0 || !scheduler.RunUntilIdle(scheduler.Clock.Elapsed, stepsLeft))
            {
                throw Blocked(context, what, string.Create(CultureInfo.InvariantCulture, $"it ran {options.MaxSteps} work items without finishing (MaxSteps): a loop that never waits?"));
            }
            if (task is { IsCompleted: true })
            {
                return task;
            }
            if (!scheduler.Clock.TryGetNextDue(out var due))
            {
                throw Blocked(context, what, "nothing is left to run and no timer is pending, so what it awaits can never complete");
            }
            if (due > limit)
            {
                throw Blocked(context, what, string.Create(CultureInfo.InvariantCulture,
                    $"it did not finish within {limit} of virtual time (VirtualTimeLimit; the next timer is due at {due})"));
            }
            scheduler.Clock.AdvanceTo(due);
        }
    }

    private static SupervisionTestBlockedException Blocked(SupervisionTestContext context, string what, string why)
    {
        var scheduler = context.Scheduler;
        var message = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"{what} is blocked at virtual time {scheduler.Clock.Elapsed}: {why}.");
        foreach (var tree in context.Trees)
        {
            var state = tree.Completion.IsCompleted ? $"exited ({tree.Completion.Result})" : tree.Started.IsCompleted ? "running" : "starting";
            message.Append(CultureInfo.InvariantCulture, $"\n  tree '{tree.Root.Path}': {state}");
        }
        if (scheduler.EscapedWorkCount > 0)
        {
            message.Append(CultureInfo.InvariantCulture, $"\n  {scheduler.EscapedWorkCount} work item(s) arrived from another thread: ")
                .Append("something awaited outside the scheduler (Task.Run, ConfigureAwait(false), a real-time Task.Delay or timer). Use test.TimeProvider for time.");
        }
        message.Append("\nCommon causes: awaiting a TaskCompletionSource nobody completes; waiting for a start or an exit that the ")
            .Append("tree will not make (a child that is not running, a supervisor that gave up); a child that never stops under an infinity shutdown.");
        return new SupervisionTestBlockedException(message.ToString(), scheduler.Clock.Elapsed);
    }

    private static void CheckNothingEscaped(DeterministicScheduler scheduler)
    {
        if (scheduler.EscapedWorkCount > 0)
        {
            throw new InvalidOperationException(
                scheduler.EscapedWorkCount.ToString(CultureInfo.InvariantCulture) + " work item(s) arrived from another thread during the test: the run was not " +
                "deterministic (Task.Run, ConfigureAwait(false), or a real-time Task.Delay or timer; use test.TimeProvider for time).");
        }
        if (scheduler.Faults.Count > 0)
        {
            throw new InvalidOperationException("a work item threw during the test: " + scheduler.Faults[0], scheduler.Faults[0]);
        }
    }
}
