using System.Globalization;

namespace Supervision.Engine;

/// <summary>
/// Opt-in exponential backoff with jitter between a child's exit and its restart (not an OTP feature; off by
/// default, and with it off the supervisor behaves exactly as OTP's). The engine decides the delay and arms its
/// timer; it reads no clock and no random source: the jitter is a pure function of
/// (<see cref="Seed"/>, child id, instance, attempt).
/// </summary>
/// <remarks>
/// Attempt <c>n</c> of a child (1, 2, ...) waits <c>base(n) = min(MaxDelayMs, InitialDelayMs * Multiplier^(n-1))</c>
/// less a jitter of up to <c>Jitter * base(n)</c>: a delay in <c>[base(n) * (1 - Jitter), base(n)]</c>. The attempt
/// number goes back to 1 when the child had been running for at least <see cref="ResetAfterMs"/> before it exited.
/// </remarks>
public sealed record RestartBackoff
{
    /// <summary>The longest delay (and reset time) accepted: 2^32 - 2 ms, the longest single .NET timer.</summary>
    public const long MaxSupportedMs = 4_294_967_294;

    /// <summary>The largest <see cref="Multiplier"/> accepted.</summary>
    public const double MaxMultiplier = 1000;

    /// <summary>The delay of the first attempt, in milliseconds (1 ... <see cref="MaxSupportedMs"/>). Default 100.</summary>
    public long InitialDelayMs { get; init; } = 100;

    /// <summary>The cap on the delay, in milliseconds (<see cref="InitialDelayMs"/> ... <see cref="MaxSupportedMs"/>). Default 30 000.</summary>
    public long MaxDelayMs { get; init; } = 30_000;

    /// <summary>The factor from one attempt's base delay to the next (1 ... <see cref="MaxMultiplier"/>; 1 keeps it constant). Default 2.</summary>
    public double Multiplier { get; init; } = 2;

    /// <summary>The fraction of the base delay that jitter may take off (0 ... 1; 0 for none). Default 0.2.</summary>
    public double Jitter { get; init; } = 0.2;

    /// <summary>A child that ran at least this long before exiting starts again at attempt 1, in milliseconds (1 ... <see cref="MaxSupportedMs"/>). Default 30 000.</summary>
    public long ResetAfterMs { get; init; } = 30_000;

    /// <summary>The seed of the jitter: the same seed gives the same delays.</summary>
    public long Seed { get; init; }

    /// <summary>The delay before jitter of attempt <paramref name="attempt"/> (1, 2, ...), in milliseconds.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The attempt is below 1.</exception>
    public long BaseDelayMs(int attempt)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(attempt, 1);
        var delay = InitialDelayMs * Math.Pow(Multiplier, attempt - 1);
        return delay >= MaxDelayMs ? MaxDelayMs : (long)delay;
    }

    /// <summary>
    /// The delay of attempt <paramref name="attempt"/> of child <paramref name="childId"/> (instance
    /// <paramref name="instance"/>, 0 for a static child): the base delay less its jitter, a pure function of the arguments.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The attempt is below 1.</exception>
    public long DelayMs(string childId, long instance, int attempt)
    {
        ArgumentNullException.ThrowIfNull(childId);
        var baseDelay = BaseDelayMs(attempt);
        if (Jitter <= 0)
        {
            return baseDelay;
        }
        // A uniform fraction in [0, 1) from a 53-bit slice of the hash; never more than the base is taken off.
        var fraction = (JitterHash(childId, instance, attempt) >> 11) * (1.0 / (1UL << 53));
        var cut = (long)Math.Floor(baseDelay * Jitter * fraction);
        return baseDelay - Math.Clamp(cut, 0, baseDelay);
    }

    /// <summary>Every field out of its bounds, named as <c>path.backoff.field</c>.</summary>
    internal void CheckFields(string path, List<SpecViolation> violations)
    {
        var at = path + ".backoff.";
        if (InitialDelayMs is < 1 or > MaxSupportedMs)
        {
            violations.Add(new(at + "initial_delay", Bounds("an integer of milliseconds in 1 ... " + MaxSupportedMs, InitialDelayMs), "invalid_backoff"));
        }
        if (MaxDelayMs < InitialDelayMs || MaxDelayMs > MaxSupportedMs)
        {
            violations.Add(new(at + "max_delay", Bounds($"milliseconds in initial_delay ({InitialDelayMs}) ... {MaxSupportedMs}", MaxDelayMs), "invalid_backoff"));
        }
        if (!double.IsFinite(Multiplier) || Multiplier is < 1 or > MaxMultiplier)
        {
            violations.Add(new(at + "multiplier", Bounds("a number in 1 ... " + MaxMultiplier, Multiplier), "invalid_backoff"));
        }
        if (!double.IsFinite(Jitter) || Jitter is < 0 or > 1)
        {
            violations.Add(new(at + "jitter", Bounds("a fraction in 0 ... 1", Jitter), "invalid_backoff"));
        }
        if (ResetAfterMs is < 1 or > MaxSupportedMs)
        {
            violations.Add(new(at + "reset_after", Bounds("an integer of milliseconds in 1 ... " + MaxSupportedMs, ResetAfterMs), "invalid_backoff"));
        }
    }

    private static string Bounds(string expected, IFormattable got) =>
        "must be " + expected + ", got " + got.ToString(null, CultureInfo.InvariantCulture);

    /// <summary>SplitMix64's finaliser over (seed, FNV-1a of the id, instance, attempt): no state, so no order dependence.</summary>
    private ulong JitterHash(string childId, long instance, int attempt)
    {
        var h = 14695981039346656037UL;
        foreach (var c in childId)
        {
            h = (h ^ c) * 1099511628211UL;
        }
        h = Mix(h ^ (ulong)Seed);
        h = Mix(h ^ (ulong)instance);
        return Mix(h ^ (ulong)attempt);
    }

    private static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
