using Supervision.Simulation.Exploration;

namespace Supervision.Simulation.Checking;

/// <summary>The scheduling strategies by the names the CLI accepts: <c>random</c>, <c>pct</c> and <c>dfs</c>.</summary>
public static class ExplorationStrategies
{
    /// <summary>The accepted names.</summary>
    public static IReadOnlyList<string> Names { get; } = ["random", "pct", "dfs"];

    /// <summary>The largest depth accepted (PCT's priorities stay far from overflow; DFS beyond it never ends anyway).</summary>
    public const int MaxDepth = 1000;

    /// <summary>A new strategy <paramref name="name"/> seeded with <paramref name="seed"/>.</summary>
    /// <param name="name">random, pct or dfs.</param>
    /// <param name="seed">The seed of its randomness (unused by dfs).</param>
    /// <param name="depth">PCT's bug depth; DFS's preemption bound (1 to <see cref="MaxDepth"/>).</param>
    /// <exception cref="ArgumentException">Unknown name or depth out of range.</exception>
    public static SchedulingStrategy Create(string name, ulong seed, int depth)
    {
        if (depth is < 1 or > MaxDepth)
        {
            throw new ArgumentOutOfRangeException(nameof(depth), depth, $"the depth must be 1 to {MaxDepth}");
        }
        return name switch
        {
            "random" => new RandomStrategy(seed),
            "pct" => new PctStrategy(seed, depth),
            "dfs" => new BoundedDfsStrategy(depth),
            _ => throw new ArgumentException($"unknown strategy '{name}' (random, pct or dfs)", nameof(name)),
        };
    }
}
