using System.Runtime.CompilerServices;

namespace Supervision.Runtime.Scheduling;

/// <summary>
/// Awaits a task until it has ended, however it ended, without rethrowing its fault or cancellation; the
/// continuation runs on the captured context. This is what
/// <c>task.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing | ConfigureAwaitOptions.ContinueOnCapturedContext)</c>
/// does, in a form that Microsoft Coyote's binary rewriting (1.7.11) leaves intact: it knows only
/// <c>ConfigureAwait(bool)</c>, and a rewritten <c>ConfigureAwait(ConfigureAwaitOptions)</c> fails at run
/// time. The ended task is read afterwards (its status, exception or result).
/// </summary>
/// <param name="task">The task to wait for.</param>
internal readonly struct SettledAwaitable(Task task) : ICriticalNotifyCompletion
{
    /// <summary>The awaiter (this value).</summary>
    public SettledAwaitable GetAwaiter() => this;

    /// <summary>Whether the task has ended.</summary>
    public bool IsCompleted => task.IsCompleted;

    /// <summary>Nothing to return and nothing rethrown: the caller reads the ended task.</summary>
    public void GetResult()
    {
    }

    /// <inheritdoc />
    public void OnCompleted(Action continuation) => task.GetAwaiter().OnCompleted(continuation);

    /// <inheritdoc />
    public void UnsafeOnCompleted(Action continuation) => task.GetAwaiter().UnsafeOnCompleted(continuation);
}
