namespace Supervision.Runtime.Scheduling;

/// <summary>
/// Waiting for a task until a token is cancelled, with every continuation on the caller's synchronization context.
/// <see cref="Task.WaitAsync(CancellationToken)"/> completes from an internal continuation, which a task completed with
/// <see cref="TaskCreationOptions.RunContinuationsAsynchronously"/> (the runtime's replies) queues to the thread pool:
/// that would leave a deterministic scheduler. Here the task is awaited (so on the captured context) and forwarded.
/// </summary>
internal static class CancellableWait
{
    /// <summary><paramref name="task"/>'s result, or <see cref="OperationCanceledException"/> as soon as the token is cancelled.</summary>
    public static Task<T> WaitAsync<T>(Task<T> task, CancellationToken cancellationToken)
    {
        if (!cancellationToken.CanBeCanceled || task.IsCompleted)
        {
            return task;
        }
        var outcome = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        var registration = cancellationToken.Register(static state =>
        {
            var (waiting, token) = ((TaskCompletionSource<T>, CancellationToken))state!;
            waiting.TrySetCanceled(token);
        }, (outcome, cancellationToken));
        _ = ForwardAsync(task, outcome, registration);
        return outcome.Task;
    }

    /// <summary>Completes when <paramref name="task"/> does (with its fault), or as soon as the token is cancelled.</summary>
    public static Task WaitAsync(Task task, CancellationToken cancellationToken) =>
        cancellationToken.CanBeCanceled && !task.IsCompleted ? WaitAsync(AsResult(task), cancellationToken) : task;

    private static async Task<bool> AsResult(Task task)
    {
        await task;
        return true;
    }

    private static async Task ForwardAsync<T>(Task<T> task, TaskCompletionSource<T> outcome, CancellationTokenRegistration registration)
    {
        try
        {
            outcome.TrySetResult(await task);
        }
        catch (OperationCanceledException error)
        {
            outcome.TrySetCanceled(error.CancellationToken);
        }
        catch (Exception error)
        {
            outcome.TrySetException(error);
        }
        finally
        {
            await registration.DisposeAsync();
        }
    }
}
