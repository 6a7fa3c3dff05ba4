namespace Supervision.Runtime.Scheduling;

/// <summary>
/// The runtime's one seam for time and scheduling. Every supervisor loop and every child body is
/// started through <see cref="Spawn"/>, and every wait, timer and timestamp goes through
/// <see cref="TimeProvider"/>. The default runs on the thread pool and the system clock; the
/// deterministic and controlled schedulers run the same runtime code on virtual time, one step at a
/// time, in an order they choose.
/// </summary>
public abstract class SupervisionScheduler
{
    /// <summary>The thread pool and the system clock.</summary>
    public static SupervisionScheduler Default { get; } = new ThreadPoolScheduler();

    /// <summary>The clock and timers the runtime uses.</summary>
    public abstract TimeProvider TimeProvider { get; }

    /// <summary>Starts <paramref name="work"/> as a concurrent activity named <paramref name="name"/> (a supervisor loop or a child).</summary>
    /// <param name="name">A name for diagnostics and for grouping in controlled schedulers (for example the child's path).</param>
    /// <param name="work">The activity. It must not throw; the runtime wraps every body it spawns.</param>
    public abstract void Spawn(string name, Func<Task> work);

    /// <summary>
    /// Runs <paramref name="work"/> now, on the calling thread, as part of the activity named
    /// <paramref name="name"/>: whatever it queues for later (its continuations) belongs to that activity.
    /// The runtime runs a child's start phase this way, on its supervisor's loop up to the first incomplete
    /// await, as OTP's supervisor waits in a child's start function. The default simply calls it.
    /// </summary>
    /// <param name="name">The activity the work belongs to (the child's path).</param>
    /// <param name="work">The work; what it returns is returned.</param>
    /// <param name="state">Passed to <paramref name="work"/>.</param>
    public virtual TResult RunInline<TState, TResult>(string name, Func<TState, TResult> work, TState state)
    {
        ArgumentNullException.ThrowIfNull(work);
        return work(state);
    }

    private sealed class ThreadPoolScheduler : SupervisionScheduler
    {
        public override TimeProvider TimeProvider => TimeProvider.System;

        public override void Spawn(string name, Func<Task> work) =>
            // The global queue: a new activity goes to whichever thread is free, while the spawning loop's own
            // local queue keeps the continuations that are on the restart path (measured: steadier restarts).
            ThreadPool.UnsafeQueueUserWorkItem(static state => _ = state(), work, preferLocal: false);
    }
}
