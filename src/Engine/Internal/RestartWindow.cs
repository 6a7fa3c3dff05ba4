namespace Supervision.Engine.Internal;

/// <summary>
/// OTP's restart intensity bookkeeping. OTP keeps an attempt while its whole second
/// <c>t &gt;= now - period</c> (inclusive edge) and gives up when the count, including the current
/// attempt, exceeds the intensity.
/// <para>
/// Counting is exact and needs only per-second counts: one bucket per whole second that saw an attempt
/// (its second, how many, and the first attempt's millisecond), oldest first in a ring. A restart
/// touches only the newest bucket; a whole second expires at once. While the supervisor lives the count
/// never exceeds the intensity and the buckets cover at most period + 1 seconds, so the ring never has
/// more than min(intensity + 1, period + 1) buckets of 16 bytes, whatever the restart rate: an intensity
/// of 1,000,000 over 3,600 s holds at most 3,601 buckets (58 KB), not a million attempts. The ring starts
/// small and grows only when that many distinct seconds are really in the window.
/// </para>
/// <para>
/// What the give-up report lists (time, child and reason of each attempt) is kept only for the newest
/// <see cref="RestartWindowReport.ItemisedLimit"/> attempts, in a fixed ring that the restart path only
/// writes; older attempts are counted, not itemised. The attempts in the window are always the newest
/// ones, so the itemised part of the window is the tail of that ring.
/// </para>
/// </summary>
internal sealed class RestartWindow
{
    private Bucket[] _buckets;
    private Attempt[] _recent;
    private readonly long _limit;
    /// <summary>The most buckets the window can need: min(intensity + 1, period + 1).</summary>
    private readonly int _maxBuckets;
    private readonly int _intensity;
    private readonly int _periodSeconds;
    private int _oldestBucket;
    private int _bucketCount;
    private int _count;
    /// <summary>Where the next attempt is written in <see cref="_recent"/>.</summary>
    private int _recentNext;
    /// <summary>How many slots of <see cref="_recent"/> hold an attempt (the ring fills once, then wraps).</summary>
    private int _recentCount;

    public RestartWindow(int intensity, int periodSeconds)
    {
        // A long: intensity may be int.MaxValue.
        _limit = intensity + 1L;
        _intensity = intensity;
        _periodSeconds = periodSeconds;
        _maxBuckets = (int)Math.Min(_limit, periodSeconds + 1L);
        _buckets = new Bucket[Math.Min(_maxBuckets, 4)];
        _recent = new Attempt[(int)Math.Min(_limit, 8)];
    }

    /// <summary>Attempts counted in the window.</summary>
    public int Count => _count;

    /// <summary>The largest size the itemised ring reaches: never more than the window can hold.</summary>
    private int RecentCapacity => (int)Math.Min(_limit, RestartWindowReport.ItemisedLimit);

    /// <summary>Counts one attempt at <paramref name="timeMs"/>; false when the intensity is now exceeded.</summary>
    public bool TryAdd(long timeMs, string childId, long instance, ExitReason reason)
    {
        var second = FloorSeconds(timeMs);
        var oldestKept = second - _periodSeconds;
        while (_bucketCount > 0 && _buckets[_oldestBucket].Second < oldestKept)
        {
            _count -= _buckets[_oldestBucket].Count;
            _oldestBucket = Wrap(_oldestBucket + 1, _buckets.Length);
            _bucketCount--;
        }
        CountInBucket(second, (int)(timeMs - second * 1000));
        Remember(new Attempt(timeMs, childId, instance, reason));
        _count++;
        return _count < _limit;
    }

    /// <summary>The window for the give-up report: every attempt counted, the newest itemised, oldest first (allocates).</summary>
    public RestartWindowReport Snapshot()
    {
        var itemised = Math.Min(_count, _recentCount);
        var items = new RestartAttempt[itemised];
        // The newest `itemised` entries end just before _recentNext.
        var start = _recentNext - itemised;
        if (start < 0)
        {
            start += _recent.Length;
        }
        for (var i = 0; i < itemised; i++)
        {
            ref readonly var attempt = ref _recent[Wrap(start + i, _recent.Length)];
            items[i] = new RestartAttempt(attempt.TimeMs, FloorSeconds(attempt.TimeMs), attempt.ChildId, attempt.Instance, attempt.Reason);
        }
        var firstTimeMs = _bucketCount == 0 ? 0 : _buckets[_oldestBucket].Second * 1000 + _buckets[_oldestBucket].FirstMsInSecond;
        return new RestartWindowReport(items, _count, _intensity, _periodSeconds, firstTimeMs);
    }

    /// <summary>Time never goes back, so the attempt belongs to the newest bucket or to a new one after it.</summary>
    private void CountInBucket(long second, int msInSecond)
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
        _buckets[Wrap(_oldestBucket + _bucketCount, _buckets.Length)] = new Bucket { Second = second, Count = 1, FirstMsInSecond = msInSecond };
        _bucketCount++;
    }

    /// <summary>Writes the attempt over the oldest itemised one once the ring is full (it grows up to <see cref="RecentCapacity"/> first).</summary>
    private void Remember(in Attempt attempt)
    {
        if (_recentCount == _recent.Length && _recent.Length < RecentCapacity)
        {
            GrowRecent();
        }
        _recent[_recentNext] = attempt;
        _recentNext = _recentNext + 1 == _recent.Length ? 0 : _recentNext + 1;
        if (_recentCount < _recent.Length)
        {
            _recentCount++;
        }
    }

    private void GrowRecent()
    {
        // Only while the ring has never wrapped: it is full and _recentNext is back at 0, so the order is kept.
        var larger = new Attempt[Math.Min(RecentCapacity, _recent.Length * 2)];
        Array.Copy(_recent, larger, _recentCount);
        _recentNext = _recentCount;
        _recent = larger;
    }

    private void GrowBuckets()
    {
        var larger = new Bucket[(int)Math.Min(_maxBuckets, _buckets.Length * 2L)];
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

    /// <summary>How many attempts of the window were counted in one whole second, and when in it the first was.</summary>
    private struct Bucket
    {
        public long Second;
        public int Count;
        public int FirstMsInSecond;
    }

    /// <summary>What the give-up report needs of one attempt.</summary>
    private readonly record struct Attempt(long TimeMs, string ChildId, long Instance, ExitReason Reason);
}
