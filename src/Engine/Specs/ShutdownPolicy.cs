namespace Supervision.Engine;

/// <summary>How a supervisor terminates one child: <c>brutal_kill</c>, a timeout in milliseconds, or <c>infinity</c>.</summary>
public readonly record struct ShutdownPolicy
{
    private ShutdownPolicy(ShutdownKind kind, long timeoutMs)
    {
        Kind = kind;
        TimeoutMs = timeoutMs;
    }

    /// <summary>The kind of policy.</summary>
    public ShutdownKind Kind { get; }

    /// <summary>The grace period in milliseconds when <see cref="Kind"/> is <see cref="ShutdownKind.Timeout"/>; 0 otherwise.</summary>
    public long TimeoutMs { get; }

    /// <summary>Kill the child at once.</summary>
    public static ShutdownPolicy BrutalKill => new(ShutdownKind.BrutalKill, 0);

    /// <summary>Ask the child to stop and wait for it without limit (the default for supervisor children).</summary>
    public static ShutdownPolicy Infinity => new(ShutdownKind.Infinity, 0);

    /// <summary>The default for workers: ask, then kill after 5000 ms.</summary>
    public static ShutdownPolicy DefaultWorker => new(ShutdownKind.Timeout, 5000);

    /// <summary>Ask the child to stop, and kill it if it has not exited after <paramref name="timeoutMs"/> milliseconds.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The timeout is negative.</exception>
    public static ShutdownPolicy Timeout(long timeoutMs)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(timeoutMs);
        return new ShutdownPolicy(ShutdownKind.Timeout, timeoutMs);
    }

    /// <summary>The scenario-file token: <c>brutal_kill</c>, <c>infinity</c> or the milliseconds.</summary>
    public override string ToString() => Kind switch
    {
        ShutdownKind.BrutalKill => "brutal_kill",
        ShutdownKind.Infinity => "infinity",
        _ => TimeoutMs.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
