using Supervision.Engine;
using Supervision.Runtime;
using Supervision.Simulation.Generation;

namespace Supervision.Simulation.Checking;

/// <summary>
/// One call for a user's own CI: generate crash schedules over their tree, replay each deterministically,
/// check OTP's invariants (and their own), and throw a <see cref="SupervisionCheckException"/> carrying
/// the seed, the shrunk scenario and the commands that replay it.
/// </summary>
/// <example>
/// <code>
/// [Fact]
/// public void My_tree_keeps_OTP_semantics() =>
///     SupervisionCheck.Run(MyApp.Tree(), runs: 2_000, extraInvariants: [NoRestartOfTheDatabaseWithin1s]);
/// </code>
/// </example>
public static class SupervisionCheck
{
    /// <summary>Checks a runtime tree definition (its specs; no user code runs).</summary>
    /// <param name="tree">The tree to check.</param>
    /// <param name="runs">Scenarios to generate and check.</param>
    /// <param name="seed">The first seed (run i uses seed + i). <c>SUPERVISE_SEED</c>, when set, replaces it, so that the printed command reproduces a failure.</param>
    /// <param name="extraInvariants">Your own invariants over each trace.</param>
    /// <param name="generator">Generator bounds (default: <see cref="GeneratorOptions.Default"/>).</param>
    /// <param name="failureFolder">Where failing scenarios are written; default: <c>SUPERVISE_FAILURES</c>, else <c>supervise-failures</c> in the test's output folder.</param>
    /// <exception cref="SupervisionCheckException">An invariant failed; the message has the seed, the shrunk scenario and how to replay it.</exception>
    public static SimulationReport Run(SupervisorDefinition tree, int runs = 1000, ulong? seed = null, IReadOnlyList<TraceInvariant>? extraInvariants = null, GeneratorOptions? generator = null, string? failureFolder = null)
    {
        ArgumentNullException.ThrowIfNull(tree);
        return Run(tree.ToSpec(), tree.Id, runs, seed, extraInvariants, generator, failureFolder);
    }

    /// <summary>Checks an engine spec tree whose root is named <paramref name="rootId"/>.</summary>
    /// <param name="tree">The tree to check.</param>
    /// <param name="rootId">The root's id: the first segment of every path in traces.</param>
    /// <param name="runs">Scenarios to generate and check.</param>
    /// <param name="seed">The first seed (run i uses seed + i). <c>SUPERVISE_SEED</c>, when set, replaces it.</param>
    /// <param name="extraInvariants">Your own invariants over each trace.</param>
    /// <param name="generator">Generator bounds (default: <see cref="GeneratorOptions.Default"/>).</param>
    /// <param name="failureFolder">Where failing scenarios are written; default: <c>SUPERVISE_FAILURES</c>, else <c>supervise-failures</c> in the test's output folder.</param>
    /// <exception cref="SupervisionCheckException">An invariant failed.</exception>
    public static SimulationReport Run(SupervisorSpec tree, string rootId = "root", int runs = 1000, ulong? seed = null, IReadOnlyList<TraceInvariant>? extraInvariants = null, GeneratorOptions? generator = null, string? failureFolder = null)
    {
        ArgumentNullException.ThrowIfNull(tree);
        return Run(new SimulationOptions
        {
            Tree = tree,
            RootId = rootId,
            Runs = runs,
            Seed = seed ?? 1,
            ExtraInvariants = extraInvariants ?? [],
            Generator = generator ?? GeneratorOptions.Default,
            FailureFolder = failureFolder,
            StopAtFirstFailure = true,
        });
    }

    /// <summary>
    /// Runs a campaign with full options and throws on its first failure. <c>SUPERVISE_SEED</c>, when set, replaces
    /// <see cref="SimulationOptions.Seed"/>; a null <see cref="SimulationOptions.FailureFolder"/> means
    /// <c>SUPERVISE_FAILURES</c>, else <c>supervise-failures</c> in the test's output folder.
    /// </summary>
    /// <exception cref="SupervisionCheckException">An invariant failed.</exception>
    public static SimulationReport Run(SimulationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var report = SimulationCampaign.Run(options with
        {
            Seed = SimulationOptions.SeedFromEnvironment() ?? options.Seed,
            FailureFolder = options.FailureFolder ?? FailureFiles.FolderFromEnvironment() ?? DefaultFailureFolder,
        });
        if (report.Failures.Count > 0)
        {
            throw new SupervisionCheckException(report.Failures[0], TestNameFinder.CallingTest());
        }
        return report;
    }

    /// <summary>The default folder for failing scenarios: <c>supervise-failures</c> beside the test assembly.</summary>
    public static string DefaultFailureFolder => Path.Combine(AppContext.BaseDirectory, FailureFiles.DefaultFolderName);
}

/// <summary>A generated scenario broke an invariant. The message is everything needed to reproduce it.</summary>
public sealed class SupervisionCheckException : Exception
{
    /// <summary>Creates the exception for <paramref name="failure"/>.</summary>
    public SupervisionCheckException(SimulationFailure failure)
        : this(failure, null)
    {
    }

    /// <summary>Creates the exception for <paramref name="failure"/>, found by the test method <paramref name="testName"/> (<c>Class.Method</c>).</summary>
    public SupervisionCheckException(SimulationFailure failure, string? testName)
        : base(Describe(failure, testName)) => Failure = failure;

    /// <summary>The failure: seed, invariant, scenario, shrunk scenario and its file.</summary>
    public SimulationFailure Failure { get; }

    private static string Describe(SimulationFailure failure, string? testName)
    {
        ArgumentNullException.ThrowIfNull(failure);
        var filter = testName is null ? string.Empty : $" --filter \"FullyQualifiedName~{testName}\"";
        return $"supervision invariant '{failure.Invariant}' failed for seed {failure.Seed}: {failure.Message}\n" +
            "reproduce:\n" +
            $"  SUPERVISE_SEED={failure.Seed} dotnet test{filter}\n" +
            $"  {failure.ReplayCommands}\n" +
            "  (supervise: dotnet tool install --global OtpSupervision.Tool)\n" +
            $"shrunk scenario:\n{failure.ShrunkJson}";
    }
}
