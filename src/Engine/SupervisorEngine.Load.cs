namespace Supervision.Engine;

/// <summary>How close the supervisor is to giving up, as of a given time (health reports).</summary>
public sealed partial class SupervisorEngine
{
    /// <summary>
    /// The restart attempts that would still count against the intensity at <paramref name="nowMs"/>: those of
    /// <see cref="RestartsInWindow"/> whose second has not yet left the period. A supervisor gives up when an
    /// attempt finds this count already at <see cref="SupervisorSpec.Intensity"/>. Reads only.
    /// </summary>
    /// <param name="nowMs">The time to look at, on the engine's clock (not before <see cref="NowMs"/>).</param>
    public int RestartsInWindowAt(long nowMs) => _window.CountAt(Math.Max(nowMs, _now));
}
