namespace Supervision.Runtime.Scheduling;

/// <summary>
/// Runs the runtime on one thread and on virtual time, reproducibly: every spawned activity, every
/// continuation (through its own <see cref="SynchronizationContext"/>) and every timer callback is a
/// work item in one queue. <see cref="RunUntilIdle"/> runs items in an order chosen by
/// <see cref="ChooseNext"/> (first in, first out by default); virtual time moves only when nothing is
/// ready, straight to the next timer. Work that escapes to another thread is detected and reported.
/// </summary>
public class DeterministicScheduler : SupervisionScheduler
{
    /// <summary>The activity (spawned child or supervisor loop) whose code is running; tags the work it queues.</summary>
    private static readonly AsyncLocal<string?> CurrentActivity = new();

    private readonly List<WorkItem> _ready = [];
    private readonly ManualTimeProvider _time;
    private readonly QueueContext _context;
    /// <summary>One synchronization context per activity, so that a continuation is tagged with the activity that awaited.</summary>
    private readonly Dictionary<string, QueueContext> _activities = new(StringComparer.Ordinal);
    private int _driverThread = -1;
    private long _sequence;

    /// <summary>Creates a scheduler with its own virtual clock.</summary>
    public DeterministicScheduler()
    {
        _time = new ManualTimeProvider();
        _context = new QueueContext(this);
        _time.CallbackRunner = callback => Post("timer", callback);
    }

    /// <inheritdoc />
    public override TimeProvider TimeProvider => _time;

    /// <summary>The virtual clock.</summary>
    public ManualTimeProvider Clock => _time;

    /// <summary>Work items that arrived from a thread other than the driver's: uncontrolled concurrency.</summary>
    public int EscapedWorkCount { get; private set; }

    /// <summary>Unhandled exceptions thrown by work items (they would be lost on the thread pool).</summary>
    public List<Exception> Faults { get; } = [];

    /// <summary>Items run so far.</summary>
    public long StepsRun { get; private set; }

    /// <summary>
    /// Timers due at the same instant fire together, so their work interleaves (a controlled scheduler then
    /// explores their races). Default false: they fire one at a time, in the order they were armed, each
    /// after everything the previous one caused has run, as the engine-only replay treats timed events.
    /// </summary>
    public bool SameInstantTimersRace { get; set; }

    /// <summary>Items ready to run now.</summary>
    public int ReadyCount => _ready.Count;

    /// <inheritdoc />
    public override void Spawn(string name, Func<Task> work) => Post(name, () =>
    {
        CurrentActivity.Value = name;
        _ = work();
    }, ContextOf(name));

    /// <inheritdoc />
    public override TResult RunInline<TState, TResult>(string name, Func<TState, TResult> work, TState state)
    {
        ArgumentNullException.ThrowIfNull(work);
        var previous = CurrentActivity.Value;
        var previousContext = SynchronizationContext.Current;
        CurrentActivity.Value = name;
        // Its awaits capture the activity's own context: their continuations are the activity's work.
        SynchronizationContext.SetSynchronizationContext(ContextOf(name));
        try
        {
            return work(state);
        }
        finally
        {
            CurrentActivity.Value = previous;
            SynchronizationContext.SetSynchronizationContext(previousContext);
        }
    }

    /// <summary>Queues <paramref name="action"/> as a work item.</summary>
    public void Post(string owner, Action action) => Post(owner, action, null);

    private QueueContext ContextOf(string name)
    {
        lock (_activities)
        {
            if (!_activities.TryGetValue(name, out var context))
            {
                _activities[name] = context = new QueueContext(this, name);
            }
            return context;
        }
    }

    private void Post(string owner, Action action, QueueContext? context)
    {
        if (_driverThread != -1 && Environment.CurrentManagedThreadId != _driverThread)
        {
            lock (_ready)
            {
                EscapedWorkCount++;
                if (Environment.GetEnvironmentVariable("SUPERVISION_DEBUG_ESCAPES") is not null)
                {
                    Console.Error.WriteLine($"escaped work from thread {Environment.CurrentManagedThreadId} ({owner}):\n{Environment.StackTrace}");
                }
            }
        }
        lock (_ready)
        {
            _ready.Add(new WorkItem(owner, action, ++_sequence) { Context = context });
        }
    }

    /// <summary>Runs ready work, advancing virtual time to the next timer when nothing is ready, until
    /// nothing is left or <paramref name="until"/> (virtual time since the start) would be passed.</summary>
    /// <returns>False when the step bound was hit.</returns>
    public bool RunUntilIdle(TimeSpan? until = null, long maxSteps = 10_000_000)
    {
        var previous = SynchronizationContext.Current;
        _driverThread = Environment.CurrentManagedThreadId;
        SynchronizationContext.SetSynchronizationContext(_context);
        try
        {
            while (true)
            {
                if (!RunReady(ref maxSteps))
                {
                    return false;
                }
                if (!_time.TryGetNextDue(out var due) || (until is { } limit && due > limit))
                {
                    if (until is { } end && end > _time.Elapsed)
                    {
                        _time.AdvanceTo(end);
                        continue;
                    }
                    return true;
                }
                if (SameInstantTimersRace)
                {
                    _time.AdvanceTo(due);
                }
                else
                {
                    _time.FireNext(due);
                }
            }
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(previous);
        }
    }

    private bool RunReady(ref long maxSteps)
    {
        while (true)
        {
            WorkItem item;
            lock (_ready)
            {
                if (_ready.Count == 0)
                {
                    return true;
                }
                // The bound is checked before an item is taken: hitting it loses nothing, a later call resumes.
                if (--maxSteps < 0)
                {
                    return false;
                }
                var index = ChooseNext(_ready);
                item = _ready[index];
                _ready.RemoveAt(index);
            }
            StepsRun++;
            // The item runs under its activity's context (or the shared one), so its own awaits stay tagged.
            SynchronizationContext.SetSynchronizationContext(item.Context ?? _context);
            try
            {
                item.Action();
            }
            catch (Exception fault)
            {
                Faults.Add(fault);
            }
            finally
            {
                SynchronizationContext.SetSynchronizationContext(_context);
            }
        }
    }

    /// <summary>Picks the index of the next item to run among <paramref name="ready"/> (in arrival order). Default: 0, first in first out.</summary>
    protected virtual int ChooseNext(IReadOnlyList<WorkItem> ready) => 0;

    /// <summary>One unit of work: a continuation, a spawned activity's first step, or a timer callback.</summary>
    /// <param name="Owner">Who queued it (an activity's name, or "timer").</param>
    /// <param name="Action">What to run.</param>
    /// <param name="Sequence">Arrival order.</param>
    public sealed record WorkItem(string Owner, Action Action, long Sequence)
    {
        /// <summary>The synchronization context the item runs under (its activity's), or null for the shared one.</summary>
        internal SynchronizationContext? Context { get; init; }
    }

    /// <summary>
    /// The scheduler's synchronization context: the shared one tags a continuation with the activity running
    /// when it was posted; an activity's own one (<paramref name="activity"/>) tags it with that activity,
    /// whoever completed what it awaited.
    /// </summary>
    private sealed class QueueContext(DeterministicScheduler owner, string? activity = null) : SynchronizationContext
    {
        public override void Post(SendOrPostCallback d, object? state) =>
            owner.Post(activity ?? CurrentActivity.Value ?? "continuation", () => d(state), activity is null ? null : this);

        public override void Send(SendOrPostCallback d, object? state) =>
            throw new NotSupportedException("synchronous Send would block the only driver thread");

        public override SynchronizationContext CreateCopy() => this;
    }
}
