using System.Diagnostics;
using System.Globalization;
using Supervision.Simulation.Exploration;
using Supervision.Simulation.Generation;
using Supervision.Simulation.Replay;
using Supervision.Simulation.Scenarios;

namespace Supervision.Simulation.Checking;

/// <summary>
/// Generates scenarios from a seed range (the simulator's swarm generator, as <c>simulate</c> uses it) and
/// explores each through the real runtime under a controlled scheduler, with a per-scenario budget of
/// interleavings: the runtime must print the engine's trace (or, in race mode, keep the runtime
/// invariants), never deadlock, and leave nothing running after the tree stops. Each failing scenario is
/// saved with the choices that replay it, shrunk within a bound, and reported with its seed and commands.
/// </summary>
public static class ExplorationCampaign
{
    /// <summary>Runs the campaign (its shard of the seed range).</summary>
    /// <exception cref="ArgumentException">The options are out of range.</exception>
    public static ExplorationCampaignReport Run(ExplorationCampaignOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var total = options.Shard.RunsOf(options.Runs);
        var coverage = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var failures = new List<ExplorationCampaignFailure>();
        long interleavings = 0;
        long distinct = 0;
        // Wall time only for the report's rates and the shrink bound; every run itself is on virtual time.
        var clock = Stopwatch.StartNew();
        var done = 0;
        foreach (var run in options.Shard.RunsIn(options.Runs))
        {
            var seed = unchecked(options.Seed + (ulong)run);
            var generated = ScenarioGenerator.Generate(seed, options.Generator);
            var scenario = ScenarioReader.Parse(generated.Json, $"seed-{seed}.json");
            var (failure, report) = ExploreOne(options, scenario, seed, coverage, generated.Faults);
            done++;
            interleavings += report?.Iterations ?? 0;
            distinct += report?.DistinctSchedules ?? 0;
            if (failure is not null)
            {
                failures.Add(Record(options, generated, failure));
            }
            options.Progress?.Invoke(new CampaignProgress(done, total, failures.Count));
            if (failure is not null && options.StopAtFirstFailure)
            {
                break;
            }
        }
        return new ExplorationCampaignReport(done, total, interleavings, distinct, clock.Elapsed, coverage, failures);
    }

    /// <summary>Explores one scenario; counts its coverage when <paramref name="coverage"/> is given.</summary>
    private static (ExplorationFailure? Failure, ExplorationReport? Report) ExploreOne(
        ExplorationCampaignOptions options, Scenario scenario, ulong seed, IDictionary<string, int>? coverage, FaultKinds faults)
    {
        try
        {
            var engine = ScenarioSimulator.Run(scenario);
            if (coverage is not null)
            {
                Coverage.Count(coverage, scenario, engine, faults);
            }
        }
        catch (Exception error) when (error is InvalidOperationException or ArgumentException or KeyNotFoundException or IndexOutOfRangeException or NullReferenceException)
        {
            // The engine itself failed on this scenario (simulate's territory): a finding all the same.
            return (new ExplorationFailure(0, "crash", $"the engine failed: {error.GetType().Name}: {error.Message}", [], string.Empty), null);
        }
        var strategy = ExplorationStrategies.Create(options.Strategy, seed, options.Depth);
        var report = Explorer.Explore(scenario, strategy, options.Iterations, stopAtFirstFailure: true, options.Configure, race: options.Race, asyncStarts: options.AsyncStarts);
        if (coverage is not null && report.DistinctSchedules > 1)
        {
            Add(coverage, "exploration: scenario with several distinct schedules");
        }
        return (report.Failures.Count > 0 ? report.Failures[0] : null, report);
    }

    /// <summary>Saves the failing scenario and its choices, shrinks it, and names the commands that replay it.</summary>
    private static ExplorationCampaignFailure Record(ExplorationCampaignOptions options, GeneratedScenario generated, ExplorationFailure failure)
    {
        var seed = generated.Seed;
        var mode = options.Race || options.AsyncStarts ? "-" + options.Mode.Replace('+', '-') : string.Empty;
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        Directory.CreateDirectory(options.FailureFolder);
        var scenarioFile = Path.Combine(options.FailureFolder, $"seed-{seed}.json");
        File.WriteAllText(scenarioFile, generated.Json);
        files["scenario"] = scenarioFile;
        var choicesFile = Path.Combine(options.FailureFolder, $"seed-{seed}{mode}.choices");
        ChoicesFile.Write(choicesFile, failure.Choices);
        files["choices"] = choicesFile;
        var size = ScenarioShrinker.Size(generated.Json);
        var shrunkSize = size;
        var commands = new List<string>();
        if (options.Shrink && Shrink(options, generated.Json, seed, failure.Check) is { } shrunk && ScenarioShrinker.Size(shrunk.Json) < size)
        {
            shrunkSize = ScenarioShrinker.Size(shrunk.Json);
            files["shrunk"] = Path.Combine(options.FailureFolder, $"seed-{seed}{mode}-shrunk.json");
            File.WriteAllText(files["shrunk"], shrunk.Json);
            files["shrunk-choices"] = Path.Combine(options.FailureFolder, $"seed-{seed}{mode}-shrunk.choices");
            ChoicesFile.Write(files["shrunk-choices"], shrunk.Failure.Choices);
            commands.Add(ReplayCommand(options, files["shrunk"], files["shrunk-choices"]));
        }
        commands.Add(ReplayCommand(options, scenarioFile, choicesFile));
        commands.Add(SuperviseCommandLine.Of(
            [
                "explore", "--generated", "--seed", Invariant(seed), "--runs", "1", "--strategy", options.Strategy,
                "--depth", Invariant(options.Depth), "--iterations", Invariant(options.Iterations),
                .. SuperviseCommandLine.ModeFlags(options.Race, options.AsyncStarts),
            ]));
        // The failing run as a picture: the runtime under the saved schedule of the shrunk scenario when there is one.
        commands.Add(files.TryGetValue("shrunk", out var shrunkFile)
            ? SuperviseCommandLine.Timeline(shrunkFile, files["shrunk-choices"], options.Race, options.AsyncStarts)
            : SuperviseCommandLine.Timeline(scenarioFile, choicesFile, options.Race, options.AsyncStarts));
        return new ExplorationCampaignFailure(seed, failure.Check, failure.Message, failure.Iteration, files, commands, size, shrunkSize);
    }

    /// <summary>
    /// The smallest scenario that still fails the same check under the same exploration (strategy seeded
    /// with the original seed, same budget and mode), within the time and attempt bounds; null if none.
    /// </summary>
    private static (string Json, ExplorationFailure Failure)? Shrink(ExplorationCampaignOptions options, string json, ulong seed, string check)
    {
        // Wall time bounds only how long shrinking may go on (each candidate is a whole exploration): a slower
        // machine may stop at a larger scenario, but whatever is returned was checked to fail, is saved with its
        // choices, and replays the same everywhere; ShrinkAttempts is the deterministic bound.
        var clock = Stopwatch.StartNew();
        ExplorationFailure? last = null;
        var shrunk = ScenarioShrinker.Shrink(json, candidate =>
        {
            if (clock.Elapsed > options.ShrinkTime)
            {
                return false;
            }
            var (failure, _) = ExploreOne(options, candidate, seed, coverage: null, FaultKinds.None);
            if (failure is null || failure.Check != check)
            {
                return false;
            }
            last = failure;
            return true;
        }, options.ShrinkAttempts);
        return last is null ? null : (shrunk, last);
    }

    private static string ReplayCommand(ExplorationCampaignOptions options, string scenarioFile, string choicesFile) =>
        SuperviseCommandLine.Of(["explore", scenarioFile, "--replay", choicesFile, .. SuperviseCommandLine.ModeFlags(options.Race, options.AsyncStarts)]);

    private static string Invariant(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Invariant(ulong value) => value.ToString(CultureInfo.InvariantCulture);

    private static void Add(IDictionary<string, int> counts, string key) => counts[key] = counts.TryGetValue(key, out var n) ? n + 1 : 1;
}
