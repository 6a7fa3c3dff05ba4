using System.CommandLine;
using System.Globalization;
using Supervision.Simulation.Checking;

namespace Supervision.Cli;

/// <summary><c>supervise explore --generated</c>: an <see cref="ExplorationCampaign"/> with a progress bar, a summary and replayable failure files.</summary>
internal static class ExploreGenerated
{
    public const string CommandName = "explore --generated";

    public static int Run(ExploreOptions options, ParseResult result, CliConsole console)
    {
        var campaign = new ExplorationCampaignOptions
        {
            Seed = result.GetValue(options.Seed) ?? SimulationOptions.SeedFromEnvironment() ?? 1,
            Runs = result.GetValue(options.Runs),
            Shard = result.GetValue(options.Shard),
            Strategy = result.GetValue(options.Strategy)!,
            Depth = result.GetValue(options.Depth),
            Iterations = result.GetValue(options.Iterations) ?? ExplorationCampaignOptions.DefaultIterations,
            Race = result.GetValue(options.Race),
            AsyncStarts = result.GetValue(options.AsyncStarts),
            FailureFolder = result.GetValue(options.Output) ?? FailureFiles.FolderFromEnvironment() ?? FailureFiles.DefaultFolderName,
            Shrink = !result.GetValue(options.NoShrink),
            StopAtFirstFailure = result.GetValue(options.StopAtFirstFailure),
        };
        ExplorationCampaignReport report;
        using (var bar = new ProgressBar(console, $"explore {campaign.Mode} {campaign.Strategy}", "scenarios"))
        {
            report = ExplorationCampaign.Run(campaign with { Progress = bar.Report });
        }
        var summary = Summarise(campaign, report);
        var code = SummaryOutput.Emit(summary, console, result.GetValue(options.Json));
        ExploreCommand.WarnIfFewSchedules(console, campaign.Strategy, report.Interleavings, report.DistinctSchedules);
        return code;
    }

    public static CampaignSummary Summarise(ExplorationCampaignOptions campaign, ExplorationCampaignReport report) => new()
    {
        Command = CommandName,
        Seed = campaign.Seed,
        Runs = campaign.Runs,
        ShardCount = campaign.Shard.Count,
        Shards = [campaign.Shard.Index],
        Settings = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["strategy"] = campaign.Strategy,
            ["depth"] = campaign.Depth.ToString(CultureInfo.InvariantCulture),
            ["iterations"] = campaign.Iterations.ToString(CultureInfo.InvariantCulture),
            ["mode"] = campaign.Mode,
        },
        Scenarios = report.Scenarios,
        Planned = report.Total,
        Counters = new SortedDictionary<string, long>(StringComparer.Ordinal)
        {
            ["interleavings"] = report.Interleavings,
            ["distinct schedules"] = report.DistinctSchedules,
        },
        Coverage = report.Coverage.ToDictionary(p => p.Key, p => (long)p.Value, StringComparer.Ordinal),
        Failures = [.. report.Failures.Select(f => new SummaryFailure(f.Seed, f.Check, f.Message, f.Files, f.Commands)
        {
            Note = f.Files.ContainsKey("shrunk") ? string.Create(CultureInfo.InvariantCulture, $"shrunk from size {f.Size} to {f.ShrunkSize} (steps + children)") : null,
        })],
        ElapsedSeconds = report.Elapsed.TotalSeconds,
        BusySeconds = report.Elapsed.TotalSeconds,
    };
}
