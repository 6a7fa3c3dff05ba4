namespace Supervision.Runtime.Scheduling;

/// <summary>
/// A virtual <see cref="TimeProvider"/>: time stands still until <see cref="Advance"/> (or a scheduler
/// that owns it) moves it; timers fire in due order as it moves. <c>Task.Delay(d, provider)</c>,
/// <c>new CancellationTokenSource(d, provider)</c> and the supervision runtime all run on it, so a test
/// never sleeps. Timer callbacks run through <see cref="CallbackRunner"/> (inline by default; a
/// deterministic scheduler posts them to its run queue instead).
/// </summary>
public sealed class ManualTimeProvider : TimeProvider
{
    private readonly object _gate = new();
    private readonly List<ManualTimer> _timers = [];
    private readonly DateTimeOffset _epoch;
    private long _elapsedTicks;
    private long _timerSequence;

    /// <summary>Creates a provider whose clock starts at <paramref name="start"/> (default: 2000-01-01 UTC).</summary>
    public ManualTimeProvider(DateTimeOffset? start = null) => _epoch = start ?? new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>How timer callbacks are run; the default runs them inline on the thread that advances time.</summary>
    public Action<Action> CallbackRunner { get; set; } = static callback => callback();

    /// <summary>Virtual time elapsed since the start.</summary>
    public TimeSpan Elapsed => TimeSpan.FromTicks(Interlocked.Read(ref _elapsedTicks));

    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow() => _epoch + Elapsed;

    /// <inheritdoc />
    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    /// <inheritdoc />
    public override long GetTimestamp() => Interlocked.Read(ref _elapsedTicks);

    /// <summary>The due time of the earliest armed timer, if any.</summary>
    public bool TryGetNextDue(out TimeSpan due)
    {
        lock (_gate)
        {
            var best = long.MaxValue;
            foreach (var timer in _timers)
            {
                best = Math.Min(best, timer.DueTicks);
            }
            due = TimeSpan.FromTicks(best);
            return best != long.MaxValue;
        }
    }

    /// <summary>Moves time forward by <paramref name="delta"/>, firing every timer that falls due, in order.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The delta is negative.</exception>
    public void Advance(TimeSpan delta)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delta, TimeSpan.Zero);
        AdvanceTo(Elapsed + delta);
    }

    /// <summary>Moves time forward to <paramref name="target"/> (since the start), firing due timers in order.</summary>
    public void AdvanceTo(TimeSpan target)
    {
        while (TryTakeDue(target.Ticks, out var timer))
        {
            CallbackRunner(timer.Fire);
        }
        lock (_gate)
        {
            if (target.Ticks > _elapsedTicks)
            {
                Interlocked.Exchange(ref _elapsedTicks, target.Ticks);
            }
        }
    }

    /// <summary>
    /// Fires only the earliest timer due at or before <paramref name="limit"/> (moving time to its due time),
    /// so that a scheduler can run everything it causes before the next one fires, even at the same instant.
    /// </summary>
    /// <returns>False when no timer is due by <paramref name="limit"/>.</returns>
    public bool FireNext(TimeSpan limit)
    {
        if (!TryTakeDue(limit.Ticks, out var timer))
        {
            return false;
        }
        CallbackRunner(timer.Fire);
        return true;
    }

    private bool TryTakeDue(long limitTicks, out ManualTimer due)
    {
        lock (_gate)
        {
            due = null!;
            foreach (var timer in _timers)
            {
                if (timer.DueTicks <= limitTicks && (due is null || (timer.DueTicks, timer.Sequence).CompareTo((due.DueTicks, due.Sequence)) < 0))
                {
                    due = timer;
                }
            }
            if (due is null)
            {
                return false;
            }
            if (due.DueTicks > _elapsedTicks)
            {
                Interlocked.Exchange(ref _elapsedTicks, due.DueTicks);
            }
            due.Rearm();
            return true;
        }
    }

    /// <summary>The longest due time or period the system's timers take (2^32 - 2 ms), enforced here too.</summary>
    private static readonly TimeSpan MaxTimerDelay = TimeSpan.FromMilliseconds(uint.MaxValue - 1);

    /// <inheritdoc />
    /// <exception cref="ArgumentOutOfRangeException">
    /// A due time or period that <see cref="TimeProvider.System"/> refuses (negative other than infinite, or
    /// over 2^32 - 2 ms): the virtual clock keeps the real one's contract, so code tested on it works on it.
    /// </exception>
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        CheckTimerDelay(dueTime, nameof(dueTime));
        CheckTimerDelay(period, nameof(period));
        var timer = new ManualTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    private static void CheckTimerDelay(TimeSpan delay, string name)
    {
        if (delay != Timeout.InfiniteTimeSpan && (delay < TimeSpan.Zero || delay > MaxTimerDelay))
        {
            throw new ArgumentOutOfRangeException(name, delay, $"a timer's {name} must be between 0 and {MaxTimerDelay.TotalMilliseconds} ms, or infinite (as for the system clock)");
        }
    }

    private sealed class ManualTimer(ManualTimeProvider owner, TimerCallback callback, object? state) : ITimer
    {
        private long _periodTicks;

        public long DueTicks { get; private set; } = long.MaxValue;

        public long Sequence { get; private set; }

        public void Fire() => callback(state);

        /// <summary>Called under the owner's lock when the timer fires: re-arm a periodic timer, drop a one-shot.</summary>
        public void Rearm()
        {
            if (_periodTicks > 0)
            {
                DueTicks += _periodTicks;
                Sequence = ++owner._timerSequence;
            }
            else
            {
                DueTicks = long.MaxValue;
                owner._timers.Remove(this);
            }
        }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            CheckTimerDelay(dueTime, nameof(dueTime));
            CheckTimerDelay(period, nameof(period));
            lock (owner._gate)
            {
                owner._timers.Remove(this);
                _periodTicks = period == Timeout.InfiniteTimeSpan || period <= TimeSpan.Zero ? 0 : period.Ticks;
                if (dueTime == Timeout.InfiniteTimeSpan)
                {
                    DueTicks = long.MaxValue;
                    return true;
                }
                // Saturated: a due time beyond the clock's range never comes (rather than wrapping into the past).
                var delay = Math.Max(0, dueTime.Ticks);
                DueTicks = delay >= long.MaxValue - 1 - owner._elapsedTicks ? long.MaxValue - 1 : owner._elapsedTicks + delay;
                Sequence = ++owner._timerSequence;
                owner._timers.Add(this);
                return true;
            }
        }

        public void Dispose()
        {
            lock (owner._gate)
            {
                owner._timers.Remove(this);
                DueTicks = long.MaxValue;
            }
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
