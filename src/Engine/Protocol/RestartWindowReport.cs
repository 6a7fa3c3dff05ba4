using System.Collections;

namespace Supervision.Engine;

/// <summary>
/// The restart window when a supervisor gives up (<see cref="Decision.RestartWindow"/>): how many attempts
/// it counted, over which time, and the newest of them itemised (time, child, reason), oldest first. As a
/// list it holds the itemised attempts only: every attempt when the window held at most
/// <see cref="ItemisedLimit"/>, else the newest <see cref="ItemisedLimit"/>, with the older ones in
/// <see cref="AttemptCount"/> but not listed (<see cref="OmittedCount"/>). The bound keeps a supervisor with
/// a huge intensity from holding (or reporting) every attempt.
/// </summary>
public sealed class RestartWindowReport : IReadOnlyList<RestartAttempt>
{
    /// <summary>The most attempts a report itemises.</summary>
    public const int ItemisedLimit = 32;

    private readonly RestartAttempt[] _itemised;

    internal RestartWindowReport(RestartAttempt[] itemised, int attemptCount, int intensity, int periodSeconds, long firstTimeMs)
    {
        _itemised = itemised;
        AttemptCount = attemptCount;
        Intensity = intensity;
        PeriodSeconds = periodSeconds;
        FirstTimeMs = firstTimeMs;
    }

    /// <summary>Every attempt counted in the window, the one that exceeded the intensity included (so intensity + 1 at a give-up).</summary>
    public int AttemptCount { get; }

    /// <summary>Attempts counted but not itemised (the oldest ones).</summary>
    public int OmittedCount => AttemptCount - _itemised.Length;

    /// <summary>The supervisor's intensity.</summary>
    public int Intensity { get; }

    /// <summary>The supervisor's period, in seconds.</summary>
    public int PeriodSeconds { get; }

    /// <summary>When the oldest attempt in the window was counted (itemised or not).</summary>
    public long FirstTimeMs { get; }

    /// <summary>When the newest attempt was counted (the one that exceeded the intensity at a give-up).</summary>
    public long LastTimeMs => _itemised.Length == 0 ? FirstTimeMs : _itemised[^1].TimeMs;

    /// <summary>Itemised attempts (not <see cref="AttemptCount"/>).</summary>
    public int Count => _itemised.Length;

    /// <summary>The itemised attempt at <paramref name="index"/>, oldest first.</summary>
    public RestartAttempt this[int index] => _itemised[index];

    /// <inheritdoc />
    public IEnumerator<RestartAttempt> GetEnumerator() => ((IEnumerable<RestartAttempt>)_itemised).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
