namespace Supervision.Runtime;

/// <summary>
/// A child that can say whether it is healthy (opt-in, with <see cref="ChildDefinition.HealthProbe"/>).
/// A child whose probe fails <see cref="HealthProbeOptions.FailureThreshold"/> times in a row exits with
/// the reason <c>health_probe_failed</c>, and its supervisor handles that exit by the normal rules
/// (restart type, strategy, intensity).
/// </summary>
public interface IHealthProbe
{
    /// <summary>
    /// True when healthy. A false, an exception, or a probe that outlives
    /// <see cref="HealthProbeOptions.Timeout"/> (its token is then cancelled) is a failed probe.
    /// </summary>
    ValueTask<bool> ProbeAsync(ChildContext context, CancellationToken cancellationToken);
}

/// <summary>
/// How a child is probed: every <see cref="Interval"/> (on the tree's clock) from its start, each probe
/// bounded by <see cref="Timeout"/>; <see cref="FailureThreshold"/> failures in a row end the child with
/// <c>health_probe_failed</c>. Probing stops when the incarnation ends.
/// </summary>
public sealed record HealthProbeOptions
{
    private readonly TimeSpan _interval = TimeSpan.FromSeconds(10);
    private readonly TimeSpan _timeout = TimeSpan.FromSeconds(5);
    private readonly int _failureThreshold = 3;

    /// <summary>The exit reason of a child whose probe failed <see cref="FailureThreshold"/> times in a row.</summary>
    public const string FailedReason = "health_probe_failed";

    /// <summary>Time between the end of one probe and the start of the next (the first comes one interval after the start). Default 10 s.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not positive, or longer than a timer takes (about 49.7 days).</exception>
    public TimeSpan Interval
    {
        get => _interval;
        init => _interval = Positive(value, nameof(Interval));
    }

    /// <summary>How long one probe may take before it counts as failed. Default 5 s.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not positive, or longer than a timer takes (about 49.7 days).</exception>
    public TimeSpan Timeout
    {
        get => _timeout;
        init => _timeout = Positive(value, nameof(Timeout));
    }

    /// <summary>Failed probes in a row that end the child. Default 3.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Less than 1.</exception>
    public int FailureThreshold
    {
        get => _failureThreshold;
        init => _failureThreshold = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(FailureThreshold), value, $"{nameof(FailureThreshold)} must be 1 or more; got {value}");
    }

    /// <summary>
    /// The probe, for children that do not implement <see cref="IHealthProbe"/> themselves (a delegate
    /// child). Null: the child object's own <see cref="IHealthProbe"/> is used; a child with neither runs
    /// unprobed and an error is logged (event 19, <c>health_probe_missing</c>) at each of its starts.
    /// </summary>
    public Func<ChildContext, CancellationToken, ValueTask<bool>>? Probe { get; init; }

    private static TimeSpan Positive(TimeSpan value, string name) =>
        value > TimeSpan.Zero && value.TotalMilliseconds <= uint.MaxValue - 1
            ? value
            : throw new ArgumentOutOfRangeException(name, value, $"{name} must be more than zero and at most {uint.MaxValue - 1} ms; got {value}");
}
