namespace Supervision.Simulation.Invariants;

/// <summary>
/// The names of the invariants of opt-in restart backoff (docs/BACKOFF.md) that
/// <see cref="TraceInvariantChecker"/> checks on supervisors whose spec has a <c>backoff</c>.
/// </summary>
public static class BackoffInvariantNames
{
    /// <summary>
    /// The delay of a <c>restart_delayed</c> report lies in <c>[base(n) * (1 - jitter), base(n)]</c>, where
    /// <c>base(n) = min(max_delay, initial_delay * multiplier^(n-1))</c> and the attempt <c>n</c> is counted by the
    /// checker: 1 after an exit of a child that had run at least <c>reset_after</c>, one more otherwise.
    /// </summary>
    public const string DelayBounds = "backoff-delay-bounds";

    /// <summary>
    /// No start attempt that a delayed restart covers (its child; under rest_for_one the newer siblings too;
    /// under one_for_all every child) comes before the delay has passed, unless an operator call starts it.
    /// </summary>
    public const string NotEarly = "backoff-not-early";

    /// <summary>
    /// A delayed restart is not forgotten: a reply to a call made after the delay had passed comes after the
    /// restart's start attempt (the restart was queued first), unless something ended the wait.
    /// </summary>
    public const string Due = "backoff-due";

    /// <summary>A <c>restart_delayed</c> report comes only from a supervisor with a backoff, for a child it restarts.</summary>
    public const string Configured = "backoff-configured";
}
