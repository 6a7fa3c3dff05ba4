using System.Globalization;
using Microsoft.Coyote;
using Microsoft.Coyote.Logging;
using Microsoft.Coyote.SystematicTesting;

namespace Supervision.Systematic.Tests;

/// <summary>What one Coyote exploration found.</summary>
/// <param name="Strategy">Coyote's strategy, as named by <see cref="CoyoteRun"/>.</param>
/// <param name="Seed">The seed of the run (Coyote adds one per iteration).</param>
/// <param name="Iterations">Iterations run (up to and including the first failing one).</param>
/// <param name="Bug">The first bug's report, or null.</param>
/// <param name="TraceFiles">Where the failing run's reproducible trace and readable log were written.</param>
/// <param name="Replay">The command that replays the failing run from its trace.</param>
internal sealed record CoyoteOutcome(string Strategy, uint Seed, int Iterations, string? Bug, IReadOnlyList<string> TraceFiles, string Replay)
{
    public bool Found => Bug is not null;

    /// <summary>One line for the test output and for failure messages: strategy, seed, iterations and, on a bug, the traces and how to replay.</summary>
    public override string ToString() => Found
        ? $"coyote {Strategy} seed {Seed}: bug at iteration {Iterations}: {Bug}\n  traces: {string.Join(", ", TraceFiles)}\n  replay: {Replay}"
        : $"coyote {Strategy} seed {Seed}: no bug in {Iterations} iterations";
}

/// <summary>
/// Runs a test body under Coyote's TestingEngine (the assemblies are rewritten by the build, see
/// Coyote.targets), stops at the first bug, and keeps Coyote's reproducible trace of it in
/// <c>coyote-traces/</c> under the test output folder.
/// </summary>
internal static class CoyoteRun
{
    /// <summary>Coyote's strategies compared with ours: random, prioritization (its PCT), probabilistic and delay bounding.</summary>
    public static readonly string[] Strategies = ["random", "prioritization", "probabilistic", "delay-bounding"];

    /// <summary>Where failing runs' traces go.</summary>
    public static string TraceFolder => Path.Combine(AppContext.BaseDirectory, "coyote-traces");

    /// <summary>Runs <paramref name="test"/> for up to <paramref name="iterations"/> iterations with <paramref name="strategy"/>.</summary>
    /// <param name="name">A file-name-safe name for the traces (and the replay command).</param>
    /// <param name="strategy">One of <see cref="Strategies"/>.</param>
    /// <param name="iterations">The budget.</param>
    /// <param name="seed">The seed (tests pass <see cref="Seed"/>: SUPERVISE_COYOTE_SEED when set, so other schedules can be explored).</param>
    /// <param name="test">One iteration: throws (or fails a Coyote assertion) on a bug.</param>
    public static CoyoteOutcome Explore(string name, string strategy, int iterations, uint seed, Action test)
    {
        var configuration = Configure(Configuration.Create(), strategy);
        if (ReplayedTrace(name, strategy) is { } replayed)
        {
            // SUPERVISE_COYOTE_TRACE names a trace this run wrote: replay exactly that schedule, once.
            configuration = configuration.WithReproducibleTrace(replayed);
            iterations = 1;
        }
        configuration = configuration
            .WithTestingIterations((uint)iterations)
            .WithRandomGeneratorSeed(seed)
            .WithPotentialDeadlocksReportedAsBugs(false)
            .WithVerbosityEnabled(VerbosityLevel.None);
        using var engine = TestingEngine.Create(configuration, test);
        var started = 0;
        engine.RegisterStartIterationCallBack(_ => started++);
        engine.Run();
        var report = engine.TestReport;
        if (report.NumOfFoundBugs == 0)
        {
            return new CoyoteOutcome(strategy, seed, started, null, [], string.Empty);
        }
        var folder = Path.Combine(TraceFolder, Safe(name));
        Directory.CreateDirectory(folder);
        var file = $"{Safe(strategy)}-seed{seed.ToString(CultureInfo.InvariantCulture)}";
        engine.TryEmitReports(folder, file, out var written);
        var files = written?.ToList() ?? [];
        var trace = files.FirstOrDefault(f => f.EndsWith(".trace", StringComparison.Ordinal)) ?? Path.Combine(folder, file + ".trace");
        var replay = $"SUPERVISE_COYOTE_TRACE={trace} dotnet test tests/Systematic --filter \"FullyQualifiedName~{name.Split(' ')[0]}\"";
        return new CoyoteOutcome(strategy, seed, started, report.BugReports.FirstOrDefault() ?? "bug", files, replay);
    }

    /// <summary>The seed: SUPERVISE_COYOTE_SEED when set, else <paramref name="fallback"/> (fixed, so every run explores the same schedules).</summary>
    public static uint Seed(uint fallback) =>
        uint.TryParse(Environment.GetEnvironmentVariable("SUPERVISE_COYOTE_SEED"), NumberStyles.None, CultureInfo.InvariantCulture, out var seed) ? seed : fallback;

    /// <summary>The trace to replay for this exploration: SUPERVISE_COYOTE_TRACE, if it is one this exploration wrote (same name and strategy).</summary>
    private static string? ReplayedTrace(string name, string strategy)
    {
        var path = Environment.GetEnvironmentVariable("SUPERVISE_COYOTE_TRACE");
        return path is not null
            && Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(path))) == Safe(name)
            && Path.GetFileName(path).StartsWith(Safe(strategy) + "-", StringComparison.Ordinal)
            ? File.ReadAllText(path)
            : null;
    }

    private static Configuration Configure(Configuration configuration, string strategy) => strategy switch
    {
        "random" => configuration.WithRandomStrategy(),
        "prioritization" => configuration.WithPrioritizationStrategy(isFair: false, priorityChangeBound: 2),
        "probabilistic" => configuration.WithProbabilisticStrategy(3),
        "delay-bounding" => configuration.WithDelayBoundingStrategy(isFair: false, delayBound: 2),
        _ => throw new ArgumentOutOfRangeException(nameof(strategy), strategy, "unknown Coyote strategy"),
    };

    private static string Safe(string text) => string.Concat(text.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' ? c : '_'));
}
