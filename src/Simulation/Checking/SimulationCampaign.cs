using System.Diagnostics;
using System.Globalization;
using Supervision.Engine;
using Supervision.Simulation.Generation;
using Supervision.Simulation.Invariants;
using Supervision.Simulation.Replay;
using Supervision.Simulation.Scenarios;

namespace Supervision.Simulation.Checking;

/// <summary>An extra invariant over a run: returns a message for each way the trace breaks it (nothing when it holds).</summary>
/// <param name="scenario">The scenario that ran.</param>
/// <param name="trace">Its trace.</param>
public delegate IEnumerable<string> TraceInvariant(Scenario scenario, IReadOnlyList<TraceLine> trace);

/// <summary>What a simulation campaign runs.</summary>
public sealed record SimulationOptions
{
    /// <summary>The first seed; run i uses seed + i. Default: <c>SUPERVISE_SEED</c> from the environment, else 1.</summary>
    public ulong Seed { get; init; } = SeedFromEnvironment() ?? 1;

    /// <summary>Scenarios to generate and check.</summary>
    public int Runs { get; init; } = 1000;

    /// <summary>A fixed tree to generate schedules over (with <see cref="RootId"/>); null: a new tree per seed.</summary>
    public SupervisorSpec? Tree { get; init; }

    /// <summary>The root's id when <see cref="Tree"/> is given.</summary>
    public string RootId { get; init; } = "root";

    /// <summary>Generator bounds.</summary>
    public GeneratorOptions Generator { get; init; } = GeneratorOptions.Default;

    /// <summary>Invariants to check besides the built-in reference model.</summary>
    public IReadOnlyList<TraceInvariant> ExtraInvariants { get; init; } = [];

    /// <summary>Shrink the first failure of each invariant to a minimal scenario.</summary>
    public bool Shrink { get; init; } = true;

    /// <summary>
    /// Where to write failing scenario files (as generated, and shrunk); null: the folder named by
    /// <c>SUPERVISE_FAILURES</c>, else <c>supervise-failures</c> in the current folder.
    /// </summary>
    public string? FailureFolder { get; init; }

    /// <summary>Stop at the first failing seed.</summary>
    public bool StopAtFirstFailure { get; init; }

    /// <summary>Called after each run with the number done (progress bars).</summary>
    public Action<int>? Progress { get; init; }

    /// <summary>The seed in <c>SUPERVISE_SEED</c>, if set.</summary>
    public static ulong? SeedFromEnvironment() =>
        ulong.TryParse(Environment.GetEnvironmentVariable("SUPERVISE_SEED"), out var seed) ? seed : null;
}

/// <summary>One failing seed.</summary>
/// <param name="Seed">The seed that generated it.</param>
/// <param name="Invariant">The invariant broken (<c>user</c> for one of the caller's own).</param>
/// <param name="Message">How.</param>
/// <param name="ScenarioJson">The scenario as generated.</param>
/// <param name="ShrunkJson">The smallest scenario that still breaks the invariant (same as generated if not shrunk).</param>
/// <param name="ShrunkFile">Where the shrunk scenario was written.</param>
public sealed record SimulationFailure(ulong Seed, string Invariant, string Message, string ScenarioJson, string ShrunkJson, string? ShrunkFile)
{
    /// <summary>Where the scenario as generated was written (null if it could not be).</summary>
    public string? ScenarioFile { get; init; }

    /// <summary>The campaign ran over a tree the caller gave (<c>simulate --tree</c>), not a new tree per seed.</summary>
    public bool FixedTree { get; init; }

    /// <summary>The campaign used the default generator options, so <c>supervise simulate</c> generates the same scenario.</summary>
    public bool DefaultGenerator { get; init; } = true;

    /// <summary>
    /// The <c>supervise</c> commands (the OtpSupervision.Tool package) that reproduce it: <c>simulate</c> for the
    /// same seed over the same tree (given as the saved scenario file), and <c>replay</c> of the saved files.
    /// </summary>
    public string ReplayCommands
    {
        get
        {
            var lines = new List<string>();
            if (DefaultGenerator && (!FixedTree || ScenarioFile is not null))
            {
                var tree = FixedTree ? " --tree " + FailureFiles.ShellQuote(ScenarioFile!) : string.Empty;
                var note = Invariant == "user" ? "   # the same scenario; your own invariants run only in your test" : string.Empty;
                lines.Add(string.Create(CultureInfo.InvariantCulture, $"supervise simulate --seed {Seed} --runs 1{tree}{note}"));
            }
            if (ScenarioFile is not null)
            {
                lines.Add("supervise replay " + FailureFiles.ShellQuote(ScenarioFile));
            }
            if (ShrunkFile is not null)
            {
                lines.Add("supervise replay " + FailureFiles.ShellQuote(ShrunkFile));
            }
            return string.Join("\n  ", lines);
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"seed {Seed}: [{Invariant}] {Message}\n  reproduce: {ReplayCommands}";
}

/// <summary>What a campaign did: throughput, coverage and failures.</summary>
public sealed record SimulationReport(int Scenarios, long EngineEvents, TimeSpan Elapsed, IReadOnlyDictionary<string, int> Coverage, IReadOnlyList<SimulationFailure> Failures)
{
    /// <summary>Scenarios per second.</summary>
    public double ScenariosPerSecond => Scenarios / Math.Max(Elapsed.TotalSeconds, 1e-9);

    /// <summary>Engine events per second (all supervisors together).</summary>
    public double EventsPerSecond => EngineEvents / Math.Max(Elapsed.TotalSeconds, 1e-9);
}

/// <summary>
/// Generates scenarios from consecutive seeds, replays each on the engine, checks the reference model's
/// invariants (and any extra ones) after every run, checks determinism (the same seed gives the same
/// trace, byte for byte), counts what was exercised, and shrinks failures.
/// </summary>
public static class SimulationCampaign
{
    /// <summary>Runs the campaign.</summary>
    public static SimulationReport Run(SimulationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        // Counted unsorted (a sorted dictionary costs a string comparison per level on every count), sorted once at the end.
        var coverage = new Dictionary<string, int>(StringComparer.Ordinal);
        var failures = new List<SimulationFailure>();
        var shrunkInvariants = new HashSet<string>(StringComparer.Ordinal);
        long events = 0;
        // Wall time only for the throughput in the report (scenarios/s, events/s); it never affects a run.
        var clock = Stopwatch.StartNew();
        var done = 0;
        for (; done < options.Runs; done++)
        {
            var seed = options.Seed + (ulong)done;
            var generated = Generate(options, seed);
            var scenario = ScenarioReader.Parse(generated.Json, $"seed-{seed}.json");
            (string Invariant, string Message)? violation;
            try
            {
                var result = ScenarioSimulator.Run(scenario);
                events += result.EngineEvents;
                Coverage.Count(coverage, scenario, result, generated.Faults);
                violation = FirstViolation(options, scenario, result);
            }
            catch (Exception error) when (error is InvalidOperationException or ArgumentException or KeyNotFoundException or IndexOutOfRangeException or NullReferenceException)
            {
                // The engine (or the driver) failed outright: a finding like any other, with its seed.
                violation = ("crash", $"{error.GetType().Name}: {error.Message}");
            }
            options.Progress?.Invoke(done + 1);
            if (violation is null)
            {
                continue;
            }
            var (invariant, message) = violation.Value;
            var shrunk = options.Shrink && shrunkInvariants.Add(invariant)
                ? ScenarioShrinker.Shrink(generated.Json, candidate => Breaks(options, candidate, invariant))
                : generated.Json;
            failures.Add(Failure(options, scenario.RootId, seed, invariant, message, generated.Json, shrunk));
            if (options.StopAtFirstFailure)
            {
                done++;
                break;
            }
        }
        return new SimulationReport(done, events, clock.Elapsed, new SortedDictionary<string, int>(coverage, StringComparer.Ordinal), failures);
    }

    private static GeneratedScenario Generate(SimulationOptions options, ulong seed) => options.Tree is null
        ? ScenarioGenerator.Generate(seed, options.Generator)
        : ScenarioGenerator.GenerateFor(options.Tree, options.RootId, seed, options.Generator);

    /// <summary>The first broken invariant of one run, or null.</summary>
    private static (string Invariant, string Message)? FirstViolation(SimulationOptions options, Scenario scenario, SimulationResult result)
    {
        var violations = TraceInvariantChecker.Check(scenario, result.Lines);
        if (violations.Count > 0)
        {
            return (violations[0].Invariant, violations[0].ToString());
        }
        foreach (var extra in options.ExtraInvariants)
        {
            foreach (var message in extra(scenario, result.Lines))
            {
                return ("user", message);
            }
        }
        // Determinism: replaying the same scenario again gives the same trace, line for line (so the same bytes).
        // The scenario object is the one the first run used: a replay that changed its input, or state kept
        // from one run to the next, shows here.
        var again = ScenarioSimulator.Run(scenario);
        if (!again.Lines.SequenceEqual(result.Lines))
        {
            return ("determinism", "the same scenario replayed to a different trace");
        }
        return null;
    }

    private static bool Breaks(SimulationOptions options, Scenario candidate, string invariant)
    {
        SimulationResult result;
        try
        {
            result = ScenarioSimulator.Run(candidate);
        }
        catch (Exception error) when (error is InvalidOperationException or ArgumentException or KeyNotFoundException or IndexOutOfRangeException or NullReferenceException)
        {
            return invariant == "crash";
        }
        if (invariant == "crash")
        {
            return false;
        }
        if (invariant == "user")
        {
            return options.ExtraInvariants.Any(extra => extra(candidate, result.Lines).Any());
        }
        if (invariant == "determinism")
        {
            return !ScenarioSimulator.Run(candidate).Lines.SequenceEqual(result.Lines);
        }
        return TraceInvariantChecker.Check(candidate, result.Lines).Any(v => v.Invariant == invariant);
    }

    private static SimulationFailure Failure(SimulationOptions options, string rootId, ulong seed, string invariant, string message, string json, string shrunk)
    {
        var folder = options.FailureFolder ?? FailureFiles.FolderFromEnvironment() ?? Path.Combine(Environment.CurrentDirectory, FailureFiles.DefaultFolderName);
        return new SimulationFailure(seed, invariant, message, json, shrunk, FailureFiles.Write(folder, rootId, seed, shrunk, "shrunk"))
        {
            ScenarioFile = FailureFiles.Write(folder, rootId, seed, json),
            FixedTree = options.Tree is not null,
            DefaultGenerator = options.Generator == GeneratorOptions.Default,
        };
    }
}
