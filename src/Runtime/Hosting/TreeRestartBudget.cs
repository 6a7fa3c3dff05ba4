namespace Supervision.Runtime.Hosting;

/// <summary>
/// The bound and backoff of <see cref="RootExitPolicy.RestartTree"/>: at most <c>max</c> restarts within
/// <c>period</c> (a sliding window, as a supervisor's intensity), the n-th in the window after
/// <c>delay</c> × 2^(n-1), at most <c>maxDelay</c>. Used by one host's watch loop only.
/// </summary>
internal sealed class TreeRestartBudget(int max, TimeSpan period, TimeSpan delay, TimeSpan maxDelay)
{
    private readonly Queue<TimeSpan> _restarts = new();

    /// <summary>Restarts made so far in all.</summary>
    public int Total { get; private set; }

    /// <summary>Takes one restart at <paramref name="now"/> if the window has room; false when the bound is reached (escalate).</summary>
    /// <param name="now">The time, on any clock that does not go back.</param>
    /// <param name="wait">How long to wait before this restart.</param>
    /// <param name="inWindow">This restart's number in the window (1 for the first).</param>
    public bool TryTake(TimeSpan now, out TimeSpan wait, out int inWindow)
    {
        while (_restarts.Count > 0 && now - _restarts.Peek() >= period)
        {
            _restarts.Dequeue();
        }
        if (_restarts.Count >= max)
        {
            wait = TimeSpan.Zero;
            inWindow = _restarts.Count;
            return false;
        }
        _restarts.Enqueue(now);
        Total++;
        inWindow = _restarts.Count;
        wait = Backoff(inWindow, delay, maxDelay);
        return true;
    }

    /// <summary><paramref name="delay"/> × 2^(n-1), at most <paramref name="maxDelay"/> (no overflow for any n).</summary>
    public static TimeSpan Backoff(int n, TimeSpan delay, TimeSpan maxDelay)
    {
        var wait = delay;
        for (var i = 1; i < n && wait < maxDelay; i++)
        {
            wait = wait > maxDelay / 2 ? maxDelay : wait * 2;
        }
        return wait < maxDelay ? wait : maxDelay;
    }
}
