namespace Supervision.Runtime.Tree;

/// <summary>
/// One-shot timers for any delay a user can configure. <see cref="TimeProvider.CreateTimer"/> refuses due
/// times beyond about 49.7 days (2^32 - 2 ms); a longer delay is reached in steps of at most that, and one
/// beyond what a <see cref="TimeSpan"/> holds never fires (it is infinity in practice).
/// </summary>
internal static class DeadlineTimer
{
    /// <summary>The longest due time a system timer takes, in milliseconds.</summary>
    internal const long MaxStepMs = uint.MaxValue - 1L;

    /// <summary>Longer than this, a timer would not fire before the TimeSpan range ends: none is made.</summary>
    private static readonly long NeverMs = (long)TimeSpan.MaxValue.TotalMilliseconds;

    /// <summary>Calls <paramref name="callback"/> once after <paramref name="dueMs"/> milliseconds (negative: now); null when it would never fire.</summary>
    public static ITimer? Start(TimeProvider time, TimerCallback callback, object? state, long dueMs)
    {
        if (dueMs >= NeverMs)
        {
            return null;
        }
        dueMs = Math.Max(0, dueMs);
        return dueMs <= MaxStepMs
            ? time.CreateTimer(callback, state, TimeSpan.FromMilliseconds(dueMs), Timeout.InfiniteTimeSpan)
            : new Stepped(time, callback, state, dueMs);
    }

    /// <summary>Calls <paramref name="callback"/> once after <paramref name="due"/>; null for an infinite (or effectively infinite) due time.</summary>
    public static ITimer? Start(TimeProvider time, TimerCallback callback, object? state, TimeSpan due) =>
        due == Timeout.InfiniteTimeSpan ? null : Start(time, callback, state, due >= TimeSpan.MaxValue ? NeverMs : (long)Math.Ceiling(due.TotalMilliseconds));

    /// <summary>A delay longer than one system timer can take, reached by re-arming one timer.</summary>
    private sealed class Stepped : ITimer
    {
        private readonly TimerCallback _callback;
        private readonly object? _state;
        private readonly ITimer _timer;
        private long _remainingMs;

        public Stepped(TimeProvider time, TimerCallback callback, object? state, long dueMs)
        {
            _callback = callback;
            _state = state;
            _remainingMs = dueMs - MaxStepMs;
            _timer = time.CreateTimer(static self => ((Stepped)self!).Elapsed(), this, TimeSpan.FromMilliseconds(MaxStepMs), Timeout.InfiniteTimeSpan);
        }

        private void Elapsed()
        {
            var remaining = Interlocked.Read(ref _remainingMs);
            if (remaining <= 0)
            {
                _callback(_state);
                return;
            }
            var step = Math.Min(remaining, MaxStepMs);
            Interlocked.Exchange(ref _remainingMs, remaining - step);
            _timer.Change(TimeSpan.FromMilliseconds(step), Timeout.InfiniteTimeSpan);
        }

        public bool Change(TimeSpan dueTime, TimeSpan period) => throw new NotSupportedException("a deadline timer is one-shot");

        public void Dispose() => _timer.Dispose();

        public ValueTask DisposeAsync() => _timer.DisposeAsync();
    }
}
