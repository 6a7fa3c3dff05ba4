using System.Globalization;

namespace Supervision.Simulation.Checking;

/// <summary>
/// One shard of a campaign, so a CI matrix or any job runner spreads one seed range over machines:
/// run <c>i</c> of the range (seed <c>first + i</c>) belongs to shard <c>(i mod Count) + 1</c>. Every run
/// belongs to exactly one shard, whatever the range, and the split depends on nothing but the numbers.
/// </summary>
public readonly record struct CampaignShard
{
    /// <summary>Creates shard <paramref name="index"/> of <paramref name="count"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not 1 ≤ index ≤ count.</exception>
    public CampaignShard(int index, int count)
    {
        if (count < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, "a campaign has at least 1 shard");
        }
        if (index < 1 || index > count)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, $"the shard index must be 1 to {count}");
        }
        Index = index;
        Count = count;
    }

    /// <summary>The whole campaign: shard 1 of 1.</summary>
    public static CampaignShard Whole { get; } = new(1, 1);

    /// <summary>The shard's number, from 1.</summary>
    public int Index { get; }

    /// <summary>How many shards the campaign is split into.</summary>
    public int Count { get; }

    /// <summary>The runs (0-based indexes into the range <c>0 .. runs-1</c>) that belong to this shard, ascending.</summary>
    public IEnumerable<int> RunsIn(int runs)
    {
        var count = Math.Max(Count, 1);
        for (var run = Math.Max(Index, 1) - 1; run < runs; run += count)
        {
            yield return run;
        }
    }

    /// <summary>How many of the runs <c>0 .. runs-1</c> belong to this shard.</summary>
    public int RunsOf(int runs)
    {
        var first = Math.Max(Index, 1) - 1;
        return runs <= first ? 0 : (runs - first + Math.Max(Count, 1) - 1) / Math.Max(Count, 1);
    }

    /// <summary>Parses <c>K/N</c> (1 ≤ K ≤ N).</summary>
    /// <exception cref="FormatException">Not of that form, with the reason.</exception>
    public static CampaignShard Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0
            || !int.TryParse(text.AsSpan(0, slash), NumberStyles.None, CultureInfo.InvariantCulture, out var index)
            || !int.TryParse(text.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var count))
        {
            throw new FormatException("expected K/N with whole numbers, for example 2/8");
        }
        if (count < 1 || index < 1 || index > count)
        {
            throw new FormatException($"K must be 1 to N and N at least 1 (got {index}/{count})");
        }
        return new CampaignShard(index, count);
    }

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Math.Max(Index, 1)}/{Math.Max(Count, 1)}");
}
