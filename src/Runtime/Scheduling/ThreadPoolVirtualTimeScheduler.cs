namespace Supervision.Runtime.Scheduling;

/// <summary>
/// Runs every activity, every continuation and every timer callback as its own task on the thread pool
/// (<see cref="Task.Run(Action)"/>), so they really run concurrently, while time is virtual as in
/// <see cref="DeterministicScheduler"/>: <see cref="DeterministicScheduler.RunUntilIdle"/> waits until no
/// pool work is pending before it moves the clock to the next timer.
/// </summary>
/// <remarks>
/// <para>
/// This is the scheduler for systematic concurrency testers that control <see cref="Task.Run(Action)"/>,
/// such as Microsoft Coyote after binary rewriting: every work item becomes an operation whose order
/// the tester chooses, and the virtual clock keeps timeouts out of its way (a real timer would be
/// uncontrolled). Outside such a tester it runs on real threads, with real races.
/// </para>
/// <para>
/// Drive it from one thread, as the deterministic scheduler: create the tree, act on it and call
/// <see cref="DeterministicScheduler.RunUntilIdle"/> there. What the driver starts between runs waits
/// for its next <see cref="DeterministicScheduler.RunUntilIdle"/> (so it can finish setting up first, as
/// with the deterministic scheduler); work that a pool item queues starts when the item ends, so no new
/// task is created inside the runtime's locks (a tester could otherwise stop the creator there, holding one).
/// </para>
/// </remarks>
public class ThreadPoolVirtualTimeScheduler : DeterministicScheduler
{
    /// <summary>The work queued by the item running on this thread, started when it ends.</summary>
    [ThreadStatic]
    private static List<Action>? _queuedByCurrentItem;

    private readonly object _gate = new();
    private readonly List<Action> _heldForDriver = [];
    private readonly PoolContext _context;
    private int _pending;
    private TaskCompletionSource? _idle;

    /// <summary>Creates a scheduler with its own virtual clock whose timers fire on the pool.</summary>
    public ThreadPoolVirtualTimeScheduler()
    {
        _context = new PoolContext(this);
        Clock.CallbackRunner = Queue;
    }

    /// <summary>Work items not yet finished: held for the driver, queued on the pool or running.</summary>
    public int PendingWorkCount
    {
        get
        {
            lock (_gate)
            {
                return _pending;
            }
        }
    }

    /// <inheritdoc />
    public override void Spawn(string name, Func<Task> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        Queue(() => _ = work());
    }

    /// <summary>The start phase runs where it is called (on its supervisor's pool item), under the pool's context.</summary>
    public override TResult RunInline<TState, TResult>(string name, Func<TState, TResult> work, TState state)
    {
        ArgumentNullException.ThrowIfNull(work);
        return work(state);
    }

    /// <summary>
    /// Items the driver runs itself (steps it applies concurrently, waits for the pool) run under the pool's
    /// synchronization context, so that whatever they start, and whatever they await, continues on the pool
    /// and is waited for: the chosen item is given that context, which the run loop installs before running it.
    /// </summary>
    protected override int ChooseNext(IReadOnlyList<WorkItem> ready) => RunOnPool(ready, 0);

    /// <summary>Gives the item at <paramref name="index"/> the pool's context and returns the index (for subclasses that choose another item).</summary>
    /// <param name="ready">The ready items, as the run loop passes them (its own list, which it reads back after the choice).</param>
    /// <param name="index">The chosen item.</param>
    protected int RunOnPool(IReadOnlyList<WorkItem> ready, int index)
    {
        ArgumentNullException.ThrowIfNull(ready);
        if (ready is List<WorkItem> items && items[index].Context != _context)
        {
            items[index] = items[index] with { Context = _context };
        }
        return index;
    }

    /// <summary>
    /// Queues <paramref name="action"/>. Work queued by a pool item starts when that item ends; work queued
    /// by the driver while it runs the scheduler (a step it applies, a timer it fires) starts at once, racing
    /// the pool; work the driver queues between runs is held until it next runs the scheduler.
    /// </summary>
    private void Queue(Action action)
    {
        if (_queuedByCurrentItem is { } later)
        {
            lock (_gate)
            {
                _pending++;
            }
            later.Add(action);
            return;
        }
        var running = SynchronizationContext.Current == _context;
        TaskCompletionSource? busy = null;
        lock (_gate)
        {
            if (_pending++ == 0)
            {
                busy = _idle = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
            if (!running)
            {
                _heldForDriver.Add(action);
            }
        }
        if (busy is not null)
        {
            // A new busy period, begun by the driver: its run loop starts the held work and waits for the pool
            // before it moves time (pool items keep the count above zero until what they queued has started).
            Post("pool", () =>
            {
                StartHeldWork();
                busy.Task.Wait();
            });
        }
        if (running)
        {
            Start(action);
        }
    }

    private void StartHeldWork()
    {
        List<Action> held;
        lock (_gate)
        {
            held = [.. _heldForDriver];
            _heldForDriver.Clear();
        }
        foreach (var action in held)
        {
            Start(action);
        }
    }

    private void Start(Action action) => Task.Run(() => RunItem(action));

    private void RunItem(Action action)
    {
        var previous = SynchronizationContext.Current;
        var queued = _queuedByCurrentItem = [];
        SynchronizationContext.SetSynchronizationContext(_context);
        try
        {
            action();
        }
        catch (Exception fault)
        {
            lock (Faults)
            {
                Faults.Add(fault);
            }
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(previous);
            _queuedByCurrentItem = null;
            foreach (var next in queued)
            {
                Start(next);
            }
            Done();
        }
    }

    private void Done()
    {
        TaskCompletionSource? idle = null;
        lock (_gate)
        {
            if (--_pending == 0)
            {
                idle = _idle;
            }
        }
        idle?.TrySetResult();
    }

    private sealed class PoolContext(ThreadPoolVirtualTimeScheduler owner) : SynchronizationContext
    {
        public override void Post(SendOrPostCallback d, object? state) => owner.Queue(() => d(state));

        public override void Send(SendOrPostCallback d, object? state) =>
            throw new NotSupportedException("synchronous Send would block a pool item");

        public override SynchronizationContext CreateCopy() => this;
    }
}
