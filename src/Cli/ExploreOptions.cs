using System.CommandLine;
using System.Globalization;
using Supervision.Simulation.Checking;

namespace Supervision.Cli;

/// <summary>The options of <c>supervise explore</c>, and the rules on which go together.</summary>
internal sealed class ExploreOptions
{
    public Argument<string> File { get; } = CliOptions.File("A scenario file (omit with --generated).", optional: true);

    public Option<bool> Generated { get; } = new("--generated") { Description = "Explore generated scenarios (the simulator's swarm generator) instead of one file: --runs scenarios from --seed, each under the strategy with --iterations interleavings." };

    public Option<int> Runs { get; } = CliOptions.AtLeast("--runs", 1, 1000, "With --generated: scenarios to generate and explore (seeds S .. S+runs-1, all shards together).");

    public Option<string> Strategy { get; } = CliOptions.OneOf("--strategy", ExplorationStrategies.Names, "pct", "random, pct or dfs.");

    public Option<int?> Iterations { get; } = CliOptions.OptionalAtLeast("--iterations", 1, string.Create(CultureInfo.InvariantCulture,
        $"Interleavings per scenario (default 1000; with --generated {ExplorationCampaignOptions.DefaultIterations}). A failing scenario stops at its first failing interleaving."));

    public Option<ulong?> Seed { get; } = CliOptions.Seed("The strategy's seed (default 1); with --generated the first scenario's seed (default SUPERVISE_SEED, else 1), each scenario's strategy seeded with its own seed.");

    public Option<int> Depth { get; } = CliOptions.AtLeast("--depth", 1, 3, "PCT bug depth (change points + 1); DFS preemption bound.", ExplorationStrategies.MaxDepth);

    public Option<string?> Replay { get; } = new("--replay") { Description = "A saved choices file: rerun that one schedule exactly and print its trace.", HelpName = "CHOICES" };

    public Option<bool> Race { get; } = new("--race") { Description = "Apply steps that share an instant concurrently (explores their races; judged by invariants)." };

    public Option<bool> AsyncStarts { get; } = new("--async-starts") { Description = "Every child's start waits once, so the runtime's asynchronous start path is explored (starts otherwise complete on the supervisor's loop)." };

    public Option<string?> Output { get; } = new("--out") { Description = "Folder for the files of failures (default: '.' for a file, SUPERVISE_FAILURES, else 'supervise-failures', with --generated).", HelpName = "FOLDER" };

    public Option<CampaignShard> Shard { get; } = CliOptions.Shard();

    public Option<string?> Json { get; } = CliOptions.Json();

    public Option<bool> StopAtFirstFailure { get; } = new("--stop-at-first-failure") { Description = "With --generated: stop at the first failing scenario." };

    public Option<bool> NoShrink { get; } = new("--no-shrink") { Description = "With --generated: do not shrink failing scenarios (shrinking is bounded to 30 s per failure)." };

    public void AddTo(Command command)
    {
        command.Arguments.Add(File);
        foreach (Option option in new Option[] { Generated, Runs, Strategy, Iterations, Seed, Depth, Replay, Output, Race, AsyncStarts, Shard, Json, StopAtFirstFailure, NoShrink })
        {
            command.Options.Add(option);
        }
    }

    /// <summary>What is wrong with the combination of options given, or null.</summary>
    public string? Check(ParseResult result)
    {
        var generated = result.GetValue(Generated);
        var file = result.GetValue(File);
        if (generated && file is not null)
        {
            return $"explore: give a scenario file or --generated, not both (got '{file}')";
        }
        if (!generated && file is null)
        {
            return "explore: give a scenario file, or --generated to explore generated scenarios (see 'supervise explore --help')";
        }
        Option[] campaignOnly = [Runs, Shard, Json, StopAtFirstFailure, NoShrink];
        if (!generated && campaignOnly.FirstOrDefault(o => result.GetResult(o) is { Implicit: false }) is { } misplaced)
        {
            return $"explore: {misplaced.Name} goes with --generated";
        }
        if (generated && result.GetResult(Replay) is not null)
        {
            return "explore: --replay replays a saved file: give the scenario file it belongs to instead of --generated";
        }
        return null;
    }
}
