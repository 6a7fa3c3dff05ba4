namespace Supervision.Simulation.Generation;

/// <summary>
/// A small seeded pseudo-random source (Steele, Lea and Flood's SplitMix64 mixing function over a
/// Weyl sequence). Every choice the generator makes goes through one instance, so a seed alone
/// reproduces a whole scenario, on any machine and any .NET version (unlike <see cref="System.Random"/>,
/// whose algorithm is not a documented contract).
/// </summary>
public sealed class SplitMix64
{
    private const ulong Gamma = 0x9E3779B97F4A7C15UL;
    private ulong _state;

    /// <summary>Starts the sequence at <paramref name="seed"/>.</summary>
    /// <param name="seed">Any value; equal seeds give equal sequences.</param>
    public SplitMix64(ulong seed) => _state = seed;

    /// <summary>The next 64 uniformly distributed bits.</summary>
    public ulong NextUInt64()
    {
        _state += Gamma;
        var z = _state;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>A uniformly distributed integer in <c>[0, bound)</c>, without modulo bias.</summary>
    /// <param name="bound">The exclusive upper bound, at least 1.</param>
    public int Below(int bound)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bound, 1);
        var range = (ulong)bound;
        // Reject the top sliver of the 64-bit range that would favour small results.
        var limit = ulong.MaxValue - (ulong.MaxValue % range);
        ulong draw;
        do
        {
            draw = NextUInt64();
        }
        while (draw >= limit);
        return (int)(draw % range);
    }

    /// <summary>A uniformly distributed integer in <c>[min, max]</c> (both inclusive).</summary>
    /// <param name="min">The smallest result.</param>
    /// <param name="max">The largest result, at least <paramref name="min"/>.</param>
    public int Between(int min, int max)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, min);
        return min + Below(max - min + 1);
    }

    /// <summary>True with probability <paramref name="percent"/>/100.</summary>
    /// <param name="percent">0 gives always false, 100 always true.</param>
    public bool Chance(int percent) => Below(100) < percent;

    /// <summary>One element of <paramref name="items"/>, each equally likely.</summary>
    /// <param name="items">A non-empty list.</param>
    public T Pick<T>(IReadOnlyList<T> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        return items[Below(items.Count)];
    }

    /// <summary>An index into <paramref name="weights"/>, each chosen in proportion to its weight.</summary>
    /// <param name="weights">Non-negative weights, at least one positive.</param>
    public int Weighted(ReadOnlySpan<int> weights)
    {
        var total = 0;
        foreach (var weight in weights)
        {
            total += weight;
        }
        var draw = Below(total);
        for (var i = 0; i < weights.Length; i++)
        {
            if (draw < weights[i])
            {
                return i;
            }
            draw -= weights[i];
        }
        throw new InvalidOperationException("unreachable: the draw is below the total weight");
    }
}
