using System.CommandLine;
using System.Globalization;
using Supervision.Simulation.Checking;

namespace Supervision.Cli;

/// <summary><c>supervise simulate [--seed S] [--runs N] [--tree FILE] [--shard K/N] [--json FILE]</c>: generated crash schedules checked against OTP's invariants.</summary>
internal static class SimulateCommand
{
    public const string CommandName = "simulate";

    public static Command Create(CliConsole console)
    {
        var seed = CliOptions.Seed("First seed (run i uses seed + i). Default: SUPERVISE_SEED, else 1.");
        var runs = CliOptions.AtLeast("--runs", 1, 1000, "Scenarios to generate and check (all shards together).");
        var tree = new Option<string?>("--tree") { Description = "A scenario file whose tree to use (its steps are ignored); default: a new tree per seed.", HelpName = "FILE" };
        var output = new Option<string?>("--out") { Description = "Folder for failing scenarios, as generated and shrunk (default: SUPERVISE_FAILURES, else supervise-failures).", HelpName = "FOLDER" };
        var first = new Option<bool>("--stop-at-first-failure") { Description = "Stop at the first failing seed." };
        var shard = CliOptions.Shard();
        var json = CliOptions.Json();
        var command = new Command("simulate", "Generate crash schedules from seeds, replay them, and check OTP's invariants after every event.")
        {
            seed, runs, tree, output, first, shard, json,
        };
        command.SetAction(result =>
        {
            var options = new SimulationOptions
            {
                Seed = result.GetValue(seed) ?? SimulationOptions.SeedFromEnvironment() ?? 1,
                Runs = result.GetValue(runs),
                FailureFolder = result.GetValue(output) ?? FailureFiles.FolderFromEnvironment() ?? FailureFiles.DefaultFolderName,
                StopAtFirstFailure = result.GetValue(first),
            };
            var treeFile = result.GetValue(tree);
            if (treeFile is not null)
            {
                if (!ReplayCommand.TryLoad(treeFile, console, out var scenario))
                {
                    return Program.BadInput;
                }
                if (scenario.Tree.Children.Count == 0)
                {
                    console.Error($"{treeFile}: the root '{scenario.RootId}' has no children, so there is nothing to crash; give a tree with at least one child");
                    return Program.BadInput;
                }
                options = options with { Tree = scenario.Tree, RootId = scenario.RootId };
            }
            return Run(options, result.GetValue(shard), treeFile, result.GetValue(json), console);
        });
        return command;
    }

    private static int Run(SimulationOptions options, CampaignShard shard, string? treeFile, string? json, CliConsole console)
    {
        SimulationReport report;
        using (var bar = new ProgressBar(console, $"simulate from seed {options.Seed}", "scenarios"))
        {
            report = ShardedSimulation.Run(options, shard, bar.Report);
        }
        var summary = new CampaignSummary
        {
            Command = CommandName,
            Seed = options.Seed,
            Runs = options.Runs,
            ShardCount = shard.Count,
            Shards = [shard.Index],
            Settings = treeFile is null
                ? new SortedDictionary<string, string>(StringComparer.Ordinal)
                : new SortedDictionary<string, string>(StringComparer.Ordinal) { ["tree"] = treeFile },
            Scenarios = report.Scenarios,
            Planned = shard.RunsOf(options.Runs),
            Counters = new SortedDictionary<string, long>(StringComparer.Ordinal) { ["engine events"] = report.EngineEvents },
            Coverage = report.Coverage.ToDictionary(p => p.Key, p => (long)p.Value, StringComparer.Ordinal),
            Failures = [.. report.Failures.Select(f => Describe(f, options, treeFile))],
            ElapsedSeconds = report.Elapsed.TotalSeconds,
            BusySeconds = report.Elapsed.TotalSeconds,
        };
        return SummaryOutput.Emit(summary, console, json);
    }

    /// <summary>A failure with the generated scenario saved next to the shrunk one, and commands that work outside this repository.</summary>
    internal static SummaryFailure Describe(SimulationFailure failure, SimulationOptions options, string? treeFile)
    {
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var commands = new List<string>();
        var generated = Path.Combine(options.FailureFolder!, $"seed-{failure.Seed}.json");
        try
        {
            File.WriteAllText(generated, failure.ScenarioJson);
            files["scenario"] = generated;
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            // The summary still names the seed and the command that regenerates it.
        }
        if (failure.ShrunkFile is not null)
        {
            files["shrunk"] = failure.ShrunkFile;
            commands.Add(SuperviseCommandLine.Of("replay", failure.ShrunkFile));
        }
        var seed = failure.Seed.ToString(CultureInfo.InvariantCulture);
        commands.Add(SuperviseCommandLine.Of(treeFile is null
            ? ["simulate", "--seed", seed, "--runs", "1"]
            : ["simulate", "--seed", seed, "--runs", "1", "--tree", treeFile]));
        var note = failure.ShrunkJson == failure.ScenarioJson
            ? null
            : string.Create(CultureInfo.InvariantCulture, $"shrunk from size {ScenarioShrinker.Size(failure.ScenarioJson)} to {ScenarioShrinker.Size(failure.ShrunkJson)} (steps + children)");
        // The picture of the failing run: the shrunk scenario when there is one (smallest to read), else the generated one.
        if ((failure.ShrunkFile ?? files.GetValueOrDefault("scenario")) is { } drawn)
        {
            commands.Add(SuperviseCommandLine.Timeline(drawn));
        }
        return new SummaryFailure(failure.Seed, failure.Invariant, failure.Message, files, commands) { Note = note };
    }
}
