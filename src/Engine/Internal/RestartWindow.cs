namespace Supervision.Engine.Internal;

/// <summary>
/// OTP's restart intensity bookkeeping: the restart attempts still inside the window. OTP keeps an
/// attempt while its whole second <c>t &gt;= now - period</c> (inclusive edge) and gives up when the
/// count, including the current attempt, exceeds the intensity. While the supervisor lives the count
/// never exceeds the intensity, so rings of at most intensity + 1 entries hold everything: O(1)
/// amortised. The rings start small and grow only when the window really holds more attempts, so a
/// huge intensity costs nothing until it is used, and a steady restart rate allocates nothing.
/// <para>
/// Expiry works on whole seconds, so the attempts are counted per second in a small ring of buckets
/// (one per second that saw an attempt): a restart touches only the newest bucket, and a whole second
/// of attempts expires at once. The attempts themselves (time, child, reason), which only the give-up
/// report reads, sit in a parallel ring that the restart path only writes. Expired attempts are not
/// cleared: they are overwritten when the ring wraps, so at most one ring's worth of old reasons stays
/// referenced.
/// </para>
/// </summary>
internal sealed class RestartWindow
{
    private Bucket[] _buckets;
    private Attempt[] _attempts;
    private readonly long _limit;
    private readonly int _periodSeconds;
    private int _oldestBucket;
    private int _bucketCount;
    private int _oldest;
    private int _count;

    public RestartWindow(int intensity, int periodSeconds)
    {
        // A long: intensity may be int.MaxValue.
        _limit = intensity + 1L;
        var capacity = (int)Math.Min(_limit, 16);
        _buckets = new Bucket[capacity];
        _attempts = new Attempt[capacity];
        _periodSeconds = periodSeconds;
    }

    public int Count => _count;

    /// <summary>Counts one attempt at <paramref name="timeMs"/>; false when the intensity is now exceeded.</summary>
    public bool TryAdd(long timeMs, string childId, long instance, ExitReason reason)
    {
        var second = FloorSeconds(timeMs);
        var oldestKept = second - _periodSeconds;
        while (_bucketCount > 0 && _buckets[_oldestBucket].Second < oldestKept)
        {
            _oldest = Wrap(_oldest + _buckets[_oldestBucket].Count, _attempts.Length);
            _count -= _buckets[_oldestBucket].Count;
            _oldestBucket = Wrap(_oldestBucket + 1, _buckets.Length);
            _bucketCount--;
        }
        CountInBucket(second);
        // _count <= intensity here; the ring may still need to grow towards intensity + 1.
        if (_count == _attempts.Length)
        {
            GrowAttempts();
        }
        _attempts[Wrap(_oldest + _count, _attempts.Length)] = new Attempt(timeMs, childId, instance, reason);
        _count++;
        return _count < _limit;
    }

    /// <summary>The attempts in the window, oldest first (allocates; used for the give-up report).</summary>
    public RestartAttempt[] Snapshot()
    {
        var copy = new RestartAttempt[_count];
        for (var i = 0; i < _count; i++)
        {
            ref readonly var attempt = ref _attempts[Wrap(_oldest + i, _attempts.Length)];
            copy[i] = new RestartAttempt(attempt.TimeMs, FloorSeconds(attempt.TimeMs), attempt.ChildId, attempt.Instance, attempt.Reason);
        }
        return copy;
    }

    /// <summary>
    /// The attempts that would still count at <paramref name="timeMs"/> (by the rule of <see cref="TryAdd"/>:
    /// their whole second is within the period), without counting a new one. Reads only: for health reports.
    /// </summary>
    public int CountAt(long timeMs)
    {
        var oldestKept = FloorSeconds(timeMs) - _periodSeconds;
        var kept = 0;
        for (var i = _bucketCount - 1; i >= 0 && _buckets[Wrap(_oldestBucket + i, _buckets.Length)].Second >= oldestKept; i--)
        {
            kept += _buckets[Wrap(_oldestBucket + i, _buckets.Length)].Count;
        }
        return kept;
    }

    /// <summary>Time never goes back, so the attempt belongs to the newest bucket or to a new one after it.</summary>
    private void CountInBucket(long second)
    {
        if (_bucketCount > 0)
        {
            ref var newest = ref _buckets[Wrap(_oldestBucket + _bucketCount - 1, _buckets.Length)];
            if (newest.Second == second)
            {
                newest.Count++;
                return;
            }
        }
        if (_bucketCount == _buckets.Length)
        {
            GrowBuckets();
        }
        _buckets[Wrap(_oldestBucket + _bucketCount, _buckets.Length)] = new Bucket { Second = second, Count = 1 };
        _bucketCount++;
    }

    private void GrowAttempts()
    {
        var larger = new Attempt[(int)Math.Min(_limit, (long)_attempts.Length * 2)];
        for (var i = 0; i < _count; i++)
        {
            larger[i] = _attempts[Wrap(_oldest + i, _attempts.Length)];
        }
        _attempts = larger;
        _oldest = 0;
    }

    private void GrowBuckets()
    {
        var larger = new Bucket[_buckets.Length * 2];
        for (var i = 0; i < _bucketCount; i++)
        {
            larger[i] = _buckets[Wrap(_oldestBucket + i, _buckets.Length)];
        }
        _buckets = larger;
        _oldestBucket = 0;
    }

    /// <summary>An index in [0, 2 * length) brought back into the ring without a division (the length need not be a power of two).</summary>
    private static int Wrap(int index, int length) => index >= length ? index - length : index;

    /// <summary>OTP's <c>monotonic_time(second)</c>: the floor of the time in seconds, also for negative times.</summary>
    public static long FloorSeconds(long timeMs) => timeMs >= 0 ? timeMs / 1000 : -((-timeMs + 999) / 1000);

    /// <summary>How many attempts of the window were counted in one whole second.</summary>
    private struct Bucket
    {
        public long Second;
        public int Count;
    }

    /// <summary>What the give-up report needs of one attempt.</summary>
    private readonly record struct Attempt(long TimeMs, string ChildId, long Instance, ExitReason Reason);
}
