namespace Supervision.Simulation.Timeline;

/// <summary>One change of a supervisor's restart count: an attempt, an attempt leaving the window, or a new incarnation.</summary>
/// <param name="AtMs">When (virtual ms).</param>
/// <param name="Count">Restart attempts in the window from then on.</param>
/// <param name="Event">The event it belongs to (the attempt's first mark or the give-up), or -1 for a change between events.</param>
internal readonly record struct BudgetPoint(long AtMs, int Count, int Event);

/// <summary>
/// A supervisor's intensity over time, as OTP counts it (docs/SCENARIO-FORMAT.md, "Time and intensity"): restart
/// attempts in the sliding window of <see cref="PeriodSeconds"/> whole seconds against <see cref="Intensity"/>.
/// </summary>
/// <param name="supervisor">The supervisor's path.</param>
/// <param name="intensity">Restarts allowed in the window.</param>
/// <param name="periodSeconds">The window, in seconds.</param>
internal sealed class IntensityBudget(string supervisor, int intensity, int periodSeconds)
{
    /// <summary>The supervisor's path.</summary>
    public string Supervisor { get; } = supervisor;

    /// <summary>Restarts allowed in the window.</summary>
    public int Intensity { get; } = intensity;

    /// <summary>The window, in seconds.</summary>
    public int PeriodSeconds { get; } = periodSeconds;

    /// <summary>The count's changes, in time order.</summary>
    public List<BudgetPoint> Points { get; } = [];

    /// <summary>The seconds of the attempts still in the window (the current incarnation's).</summary>
    internal List<long> WindowSeconds { get; } = [];

    /// <summary>The highest count reached.</summary>
    public int Peak { get; private set; }

    /// <summary>Restart attempts counted over the whole run.</summary>
    public int Attempts { get; private set; }

    /// <summary>The events where it gave up.</summary>
    public List<int> GiveUps { get; } = [];

    /// <summary>Counts an attempt at <paramref name="atMs"/> (after dropping what left the window) and returns the new count.</summary>
    public int AddAttempt(long atMs, int atEvent)
    {
        Expire(atMs);
        WindowSeconds.Add(atMs / 1000);
        Attempts++;
        Peak = Math.Max(Peak, WindowSeconds.Count);
        Points.Add(new BudgetPoint(atMs, WindowSeconds.Count, atEvent));
        return WindowSeconds.Count;
    }

    /// <summary>Drops the attempts that left the window by <paramref name="atMs"/>, recording when each left.</summary>
    public void Expire(long atMs)
    {
        // An attempt at second a still counts at second s while a >= s - period, so it leaves at second a + period + 1.
        while (WindowSeconds.Count > 0 && (WindowSeconds[0] + PeriodSeconds + 1) * 1000 <= atMs)
        {
            var leftAtMs = (WindowSeconds[0] + PeriodSeconds + 1) * 1000;
            WindowSeconds.RemoveAt(0);
            Points.Add(new BudgetPoint(leftAtMs, WindowSeconds.Count, -1));
        }
    }

    /// <summary>The supervisor ended: its next incarnation starts with an empty window.</summary>
    public void Reset(long atMs)
    {
        Expire(atMs);
        if (WindowSeconds.Count > 0)
        {
            WindowSeconds.Clear();
            Points.Add(new BudgetPoint(atMs, 0, -1));
        }
    }
}
