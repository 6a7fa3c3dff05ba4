namespace Supervision.Engine.Internal;

/// <summary>
/// OTP's restart intensity bookkeeping: the timestamps (whole seconds) of the restart attempts still
/// inside the window. OTP keeps an entry while <c>t &gt;= now - period</c> (inclusive edge) and gives up
/// when the count, including the current attempt, exceeds the intensity. While the supervisor lives the
/// count never exceeds the intensity, so a ring of at most intensity + 1 entries holds everything: O(1)
/// amortised. The ring starts small and grows only when the window really holds more attempts, so a
/// huge intensity costs nothing until it is used, and a steady restart rate allocates nothing.
/// </summary>
internal sealed class RestartWindow
{
    private RestartAttempt[] _ring;
    private readonly int _limit;
    private readonly int _periodSeconds;
    private int _oldest;
    private int _count;

    public RestartWindow(int intensity, int periodSeconds)
    {
        _limit = intensity + 1;
        _ring = new RestartAttempt[Math.Min(_limit, 16)];
        _periodSeconds = periodSeconds;
    }

    public int Count => _count;

    /// <summary>Counts one attempt at <paramref name="timeMs"/>; false when the intensity is now exceeded.</summary>
    public bool TryAdd(long timeMs, string childId, long instance, ExitReason reason)
    {
        var second = FloorSeconds(timeMs);
        while (_count > 0 && _ring[_oldest].Second < second - _periodSeconds)
        {
            _ring[_oldest] = default;
            _oldest = (_oldest + 1) % _ring.Length;
            _count--;
        }
        // _count <= intensity here; the ring may still need to grow towards intensity + 1.
        if (_count == _ring.Length)
        {
            Grow();
        }
        _ring[(_oldest + _count) % _ring.Length] = new RestartAttempt(timeMs, second, childId, instance, reason);
        _count++;
        return _count < _limit;
    }

    /// <summary>The attempts in the window, oldest first (allocates; used for the give-up report).</summary>
    public RestartAttempt[] Snapshot()
    {
        var copy = new RestartAttempt[_count];
        for (var i = 0; i < _count; i++)
        {
            copy[i] = _ring[(_oldest + i) % _ring.Length];
        }
        return copy;
    }

    private void Grow()
    {
        var larger = new RestartAttempt[(int)Math.Min(_limit, (long)_ring.Length * 2)];
        for (var i = 0; i < _count; i++)
        {
            larger[i] = _ring[(_oldest + i) % _ring.Length];
        }
        _ring = larger;
        _oldest = 0;
    }

    /// <summary>OTP's <c>monotonic_time(second)</c>: the floor of the time in seconds, also for negative times.</summary>
    public static long FloorSeconds(long timeMs) => timeMs >= 0 ? timeMs / 1000 : -((-timeMs + 999) / 1000);
}
