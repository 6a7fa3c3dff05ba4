using Supervision.Engine;
using Supervision.Runtime;

namespace Supervision.Simulation.RuntimeReplay;

/// <summary>
/// A real runtime child whose behaviour the scenario scripts: its start consults the start plans, it
/// runs until the scenario makes it exit or its supervisor asks it to stop, and then it takes the
/// scenario's stop delay (or ignores the request, for <c>"never"</c>). A kill (its context's
/// <see cref="ChildContext.Killed"/>) ends it at once, as a killed Erlang process: the runtime waits for
/// that end before the child's next incarnation starts, and the driver checks that it does.
/// </summary>
/// <remarks>
/// Every wait is a direct <c>await</c> of one task completed asynchronously, never <c>Task.WhenAny</c>:
/// WhenAny's internal continuation would complete on the thread pool and escape the scheduler.
/// </remarks>
internal sealed class ScriptedWorker(RuntimeScenarioRunner driver) : ISupervisedChild
{
    private readonly TaskCompletionSource<ExitReason?> _signal = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<ExitReason> _exit = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _delay = new();

    public string TracePath { get; private set; } = string.Empty;

    /// <summary>The trace's view: the child is running (cleared when the trace says it ended).</summary>
    public bool Alive { get; set; }

    /// <summary>Its task is in its start phase or its body (cleared only when that code has returned).</summary>
    public bool TaskActive { get; private set; }

    public void Exit(ExitReason reason)
    {
        _exit.TrySetResult(reason);
        _signal.TrySetResult(reason);
        _delay.Cancel();
    }

    public ValueTask<ChildStartResult> StartAsync(ChildContext context)
    {
        driver.TrackWorker(this);
        if (!driver.AsyncStarts)
        {
            return ValueTask.FromResult(Start(context));
        }
        TaskActive = true;
        return StartAfterYieldAsync(context);
    }

    /// <summary>Waits once before deciding, so that the runtime takes its asynchronous start path.</summary>
    private async ValueTask<ChildStartResult> StartAfterYieldAsync(ChildContext context)
    {
        try
        {
            await Task.Yield();
            return Start(context);
        }
        finally
        {
            TaskActive = false;
        }
    }

    private ChildStartResult Start(ChildContext context)
    {
        TracePath = driver.TracePathForStart(context);
        var result = driver.TakeStartResult(context, TracePath);
        TracePath = driver.TracePathForStart(context);
        driver.CheckSingleIncarnation(TracePath, this);
        return result;
    }

    public async Task RunAsync(ChildContext context)
    {
        if (context.Killed.IsCancellationRequested)
        {
            driver.Violation($"{TracePath} ran its body after it was killed");
        }
        Alive = true;
        driver.RegisterLive(TracePath, this);
        TaskActive = true;
        try
        {
            await RunScriptAsync(context);
        }
        finally
        {
            TaskActive = false;
        }
    }

    private async Task RunScriptAsync(ChildContext context)
    {
        await using var registration = context.Stopping.Register(() => _signal.TrySetResult(null));
        await using var killed = context.Killed.Register(() => Exit(ExitReason.Killed));
        // Ends by recording the reason and returning (EndWith), not by throwing: exploration runs this a lot.
        if (await _signal.Task is { } reason)
        {
            context.EndWith(reason);
            return;
        }
        var delay = driver.StopDelay(TracePath);
        if (delay is null)
        {
            context.EndWith(await _exit.Task); // "never": only an exit step or a kill ends it.
            return;
        }
        if (delay > 0)
        {
            // On the scenario's virtual clock (context.TimeProvider is the deterministic scheduler's), not real time.
            var waited = Task.Delay(TimeSpan.FromMilliseconds(delay.Value), context.TimeProvider, _delay.Token);
            await waited.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.FromCurrentSynchronizationContext());
            if (_exit.Task.IsCompleted)
            {
                context.EndWith(await _exit.Task);
                return;
            }
        }
        context.EndWith(ExitReason.Shutdown);
    }
}
