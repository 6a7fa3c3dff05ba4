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

    private sealed class ThreadPoolScheduler : SupervisionScheduler
    {
        public override TimeProvider TimeProvider => TimeProvider.System;

        public override void Spawn(string name, Func<Task> work) =>
            ThreadPool.UnsafeQueueUserWorkItem(static state => _ = state(), work, preferLocal: false);
    }
}
