using System.Globalization;
using Supervision.Engine;

namespace Supervision.Simulation.Generation;

/// <summary>
/// Gives some generated supervisors an opt-in restart backoff. It draws from its own stream (derived from the
/// seed), so the tree and the schedule of a seed are the same whatever <see cref="GeneratorOptions.BackoffPercent"/>
/// is: with 0 a seed's scenario is exactly what it was before backoff existed.
/// </summary>
internal static class BackoffDrawer
{
    private const ulong StreamSalt = 0xBAC0FF5EED000001UL;
    private static readonly double[] Multipliers = [1, 1.5, 2, 3];
    private static readonly double[] Jitters = [0, 0.1, 0.5, 1];

    /// <summary>Gives each static supervisor of the tree a backoff with probability <paramref name="percent"/>.</summary>
    public static void Assign(GenNode root, ulong seed, int percent)
    {
        if (percent <= 0)
        {
            return;
        }
        var random = new SplitMix64(seed ^ StreamSalt);
        Visit(root, random, percent);
    }

    /// <summary>The backoff of a fixed tree's supervisor, written as the scenario's <c>backoff</c> object.</summary>
    public static string? Json(RestartBackoff? backoff) => backoff is null ? null : string.Create(CultureInfo.InvariantCulture,
        $"{{ \"initial_delay\": {backoff.InitialDelayMs}, \"max_delay\": {backoff.MaxDelayMs}, \"multiplier\": {Number(backoff.Multiplier)}, \"jitter\": {Number(backoff.Jitter)}, \"reset_after\": {backoff.ResetAfterMs}, \"seed\": {backoff.Seed} }}");

    private static void Visit(GenNode node, SplitMix64 random, int percent)
    {
        if (!node.IsSupervisor || node.IsDynamic)
        {
            return;
        }
        if (random.Chance(percent))
        {
            // Delays of the order of the schedule's gaps (tens to hundreds of ms), so restarts land between steps.
            var initial = random.Between(1, 300);
            node.BackoffJson = Json(new RestartBackoff
            {
                InitialDelayMs = initial,
                MaxDelayMs = initial + random.Between(0, 2000),
                Multiplier = random.Pick(Multipliers),
                Jitter = random.Pick(Jitters),
                ResetAfterMs = random.Between(1, 5000),
                Seed = random.Between(0, 1_000_000),
            });
        }
        foreach (var child in node.Children)
        {
            Visit(child, random, percent);
        }
    }

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
