namespace Supervision.Runtime.Testing;

/// <summary>Bounds for <see cref="SupervisionTest.RunAsync"/>: when a test that cannot finish is stopped and reported.</summary>
public sealed record SupervisionTestOptions
{
    /// <summary>
    /// The most virtual time the test may span (default one hour). A tree with periodic work (a ticker) never
    /// runs out of timers, so a test awaiting something that never happens is stopped here, not left spinning.
    /// </summary>
    public TimeSpan VirtualTimeLimit { get; init; } = TimeSpan.FromHours(1);

    /// <summary>The most work items (continuations, timer callbacks, spawned activities) the test may run (default 10 million).</summary>
    public long MaxSteps { get; init; } = 10_000_000;

    /// <summary>Checks the bounds.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A bound is not positive.</exception>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(VirtualTimeLimit, TimeSpan.Zero, nameof(VirtualTimeLimit));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(MaxSteps, 0, nameof(MaxSteps));
    }
}
