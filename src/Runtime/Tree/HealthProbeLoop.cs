using Supervision.Runtime.Scheduling;
namespace Supervision.Runtime.Tree;

/// <summary>
/// Probes one started incarnation on the tree's clock, and asks its supervisor to end it once
/// <see cref="HealthProbeOptions.FailureThreshold"/> probes in a row have failed. It stops when the
/// incarnation ends (or is asked to stop), and it is one of the tree's tasks while it runs.
/// </summary>
internal static class HealthProbeLoop
{
    /// <summary>Starts probing <paramref name="run"/> as an activity of its own.</summary>
    public static void Start(ChildRun run, HealthProbeOptions options, Func<ChildContext, CancellationToken, ValueTask<bool>> probe)
    {
        var tree = run.Owner.Tree;
        tree.TaskStarted();
        tree.Scheduler.Spawn($"{run.Path}#probe", () => RunAsync(run, options, probe));
    }

    private static async Task RunAsync(ChildRun run, HealthProbeOptions options, Func<ChildContext, CancellationToken, ValueTask<bool>> probe)
    {
        var tree = run.Owner.Tree;
        var ended = run.ProbeStop!.Token;
        try
        {
            var failures = 0;
            while (!ended.IsCancellationRequested)
            {
                // Not ConfigureAwait(ConfigureAwaitOptions): Coyote's rewriting breaks it (see SettledAwaitable).
                await new SettledAwaitable(Task.Delay(options.Interval, tree.TimeProvider, ended));
                if (ended.IsCancellationRequested)
                {
                    return;
                }
                failures = await ProbeOnceAsync(run, options, probe, ended) ? 0 : failures + 1;
                if (failures >= options.FailureThreshold && !ended.IsCancellationRequested)
                {
                    tree.Log.HealthProbeFailed(run.Path, failures);
                    run.Owner.Post(new Message(MessageKind.HealthProbeFailed, run.Reference, default, default, 0, run));
                    return;
                }
            }
        }
        finally
        {
            tree.TaskEnded();
        }
    }

    /// <summary>One probe: true when it answered true within the timeout.</summary>
    private static async Task<bool> ProbeOnceAsync(ChildRun run, HealthProbeOptions options, Func<ChildContext, CancellationToken, ValueTask<bool>> probe, CancellationToken ended)
    {
        using var timeout = new CancellationTokenSource(options.Timeout, run.Owner.Tree.TimeProvider);
        using var link = ended.Register(static state => ((CancellationTokenSource)state!).Cancel(), timeout);
        // Whichever comes first, the answer or the timeout (not Task.WhenAny: its continuation could leave a
        // controlled scheduler). A probe still running after its timeout is not waited for: it counts as failed.
        var verdict = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var expired = timeout.Token.Register(static state => ((TaskCompletionSource<bool>)state!).TrySetResult(false), verdict);
        _ = RelayAsync(run, probe, timeout.Token, verdict);
        return await verdict.Task;
    }

    private static async Task RelayAsync(ChildRun run, Func<ChildContext, CancellationToken, ValueTask<bool>> probe, CancellationToken token, TaskCompletionSource<bool> verdict)
    {
        try
        {
            verdict.TrySetResult(await probe(run.Context, token));
        }
        catch (Exception error)
        {
            if (!token.IsCancellationRequested)
            {
                run.Owner.Tree.Log.HealthProbeThrew(run.Path, error);
            }
            verdict.TrySetResult(false);
        }
    }
}
