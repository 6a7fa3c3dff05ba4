using Supervision.Simulation.Generation;

namespace Supervision.Simulation.Checking;

/// <summary>What an exploration campaign runs: generated scenarios, each explored through the real runtime.</summary>
public sealed record ExplorationCampaignOptions
{
    /// <summary>The first seed of the range; run i generates the scenario of seed <c>Seed + i</c>.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>The size of the seed range (all shards together).</summary>
    public int Runs { get; init; } = 1000;

    /// <summary>Which runs of the range this campaign checks.</summary>
    public CampaignShard Shard { get; init; } = CampaignShard.Whole;

    /// <summary>The scheduling strategy (<see cref="ExplorationStrategies.Names"/>); each scenario's strategy is seeded with the scenario's seed.</summary>
    public string Strategy { get; init; } = "pct";

    /// <summary>PCT's depth, or DFS's preemption bound.</summary>
    public int Depth { get; init; } = 3;

    /// <summary>Interleavings explored per scenario (the first failing one ends that scenario).</summary>
    public int Iterations { get; init; } = DefaultIterations;

    /// <summary>The default per-scenario budget: a few dozen interleavings, so that thousands of scenarios fit in minutes.</summary>
    public const int DefaultIterations = 30;

    /// <summary>Apply same-instant steps concurrently (runs judged by the runtime invariants, not the engine's trace).</summary>
    public bool Race { get; init; }

    /// <summary>Every child's start waits once (the runtime's asynchronous start path).</summary>
    public bool AsyncStarts { get; init; }

    /// <summary>Generator bounds.</summary>
    public GeneratorOptions Generator { get; init; } = GeneratorOptions.Default;

    /// <summary>Where the files of failing scenarios go (created on the first failure).</summary>
    public string FailureFolder { get; init; } = "supervise-failures";

    /// <summary>Shrink each failing scenario (bounded by <see cref="ShrinkTime"/> and <see cref="ShrinkAttempts"/>).</summary>
    public bool Shrink { get; init; } = true;

    /// <summary>Wall time allowed for shrinking one failure; when it runs out, the smallest failing scenario so far is kept.</summary>
    public TimeSpan ShrinkTime { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Candidates tried when shrinking one failure.</summary>
    public int ShrinkAttempts { get; init; } = 300;

    /// <summary>Stop at the first failing scenario.</summary>
    public bool StopAtFirstFailure { get; init; }

    /// <summary>Adjusts the runtime's options for every run (tests plug deliberately broken runtime pieces in here).</summary>
    public Func<Runtime.SupervisionTreeOptions, Runtime.SupervisionTreeOptions>? Configure { get; init; }

    /// <summary>Called after each scenario.</summary>
    public Action<CampaignProgress>? Progress { get; init; }

    /// <summary>A short name of the mode: <c>sequential</c>, <c>race</c>, <c>async-starts</c> or <c>race+async-starts</c>.</summary>
    public string Mode => (Race, AsyncStarts) switch
    {
        (false, false) => "sequential",
        (true, false) => "race",
        (false, true) => "async-starts",
        _ => "race+async-starts",
    };

    /// <summary>Checks the options; one exception lists every problem.</summary>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public void Validate()
    {
        var problems = new List<string>();
        if (Runs < 1)
        {
            problems.Add($"Runs must be at least 1, got {Runs}");
        }
        if (Iterations < 1)
        {
            problems.Add($"Iterations must be at least 1, got {Iterations}");
        }
        if (!ExplorationStrategies.Names.Contains(Strategy))
        {
            problems.Add($"Strategy must be one of {string.Join(", ", ExplorationStrategies.Names)}, got '{Strategy}'");
        }
        if (Depth is < 1 or > ExplorationStrategies.MaxDepth)
        {
            problems.Add($"Depth must be 1 to {ExplorationStrategies.MaxDepth}, got {Depth}");
        }
        if (ShrinkAttempts < 0 || ShrinkTime < TimeSpan.Zero)
        {
            problems.Add("ShrinkAttempts and ShrinkTime must not be negative");
        }
        if (problems.Count > 0)
        {
            throw new ArgumentException("invalid exploration campaign options: " + string.Join("; ", problems), nameof(ExplorationCampaignOptions));
        }
        Generator.Validate();
    }
}
