namespace Supervision.Cli;

/// <summary>One failing seed in a <see cref="CampaignSummary"/>.</summary>
/// <param name="Seed">The seed.</param>
/// <param name="Check">The invariant or check that failed.</param>
/// <param name="Message">How.</param>
/// <param name="Files">Files written for it, by role (scenario, shrunk, choices, ...).</param>
/// <param name="Commands">Commands that reproduce it, the most direct first.</param>
internal sealed record SummaryFailure(ulong Seed, string Check, string Message, IReadOnlyDictionary<string, string> Files, IReadOnlyList<string> Commands)
{
    /// <summary>A remark for people (for example how much shrinking removed), or null.</summary>
    public string? Note { get; init; }
}

/// <summary>
/// What <c>simulate</c> or <c>explore --generated</c> did, in a form that is printed for people, written as
/// JSON (<c>--json</c>), and combined over the shards of one campaign (<c>supervise merge</c>).
/// </summary>
internal sealed record CampaignSummary
{
    /// <summary>The command: <c>simulate</c> or <c>explore --generated</c>.</summary>
    public required string Command { get; init; }

    /// <summary>The campaign's first seed.</summary>
    public required ulong Seed { get; init; }

    /// <summary>The campaign's seed range size (all shards).</summary>
    public required int Runs { get; init; }

    /// <summary>How many shards the campaign is split into.</summary>
    public required int ShardCount { get; init; }

    /// <summary>The shards this summary covers (one, or several once merged), ascending.</summary>
    public required IReadOnlyList<int> Shards { get; init; }

    /// <summary>Everything else that must be equal for two shards to belong to one campaign (strategy, mode, tree...).</summary>
    public required IReadOnlyDictionary<string, string> Settings { get; init; }

    /// <summary>Scenarios checked.</summary>
    public required int Scenarios { get; init; }

    /// <summary>Scenarios the covered shards were to check (more than <see cref="Scenarios"/> when stopped early).</summary>
    public required int Planned { get; init; }

    /// <summary>Work counters (engine events; interleavings and distinct schedules).</summary>
    public required IReadOnlyDictionary<string, long> Counters { get; init; }

    /// <summary>What the scenarios exercised.</summary>
    public required IReadOnlyDictionary<string, long> Coverage { get; init; }

    /// <summary>Failing seeds, in seed order.</summary>
    public required IReadOnlyList<SummaryFailure> Failures { get; init; }

    /// <summary>Wall time: of the run, or of the slowest shard once merged.</summary>
    public required double ElapsedSeconds { get; init; }

    /// <summary>Wall time summed over the covered shards (equal to <see cref="ElapsedSeconds"/> for one shard).</summary>
    public required double BusySeconds { get; init; }

    /// <summary>Scenarios per second of one process.</summary>
    public double Rate => Scenarios / Math.Max(BusySeconds, 1e-9);

    /// <summary><c>K/N</c> for one shard, <c>K,L,.../N</c> for several.</summary>
    public string ShardText => $"{string.Join(',', Shards)}/{ShardCount}";

    /// <summary>The last seed of the campaign's range.</summary>
    public ulong LastSeed => unchecked(Seed + (ulong)Math.Max(Runs - 1, 0));
}
