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
    /// <exception cref="SupervisionCheckException">An invariant failed; the message has the seed, the shrunk scenario and how to replay it.</exception>
    public static SimulationReport Run(SupervisorDefinition tree, int runs = 1000, ulong? seed = null, IReadOnlyList<TraceInvariant>? extraInvariants = null, GeneratorOptions? generator = null)
    {
        ArgumentNullException.ThrowIfNull(tree);
        return Run(tree.ToSpec(), tree.Id, runs, seed, extraInvariants, generator);
    }

    /// <summary>Checks an engine spec tree whose root is named <paramref name="rootId"/>.</summary>
    /// <exception cref="SupervisionCheckException">An invariant failed.</exception>
    public static SimulationReport Run(SupervisorSpec tree, string rootId = "root", int runs = 1000, ulong? seed = null, IReadOnlyList<TraceInvariant>? extraInvariants = null, GeneratorOptions? generator = null)
    {
        ArgumentNullException.ThrowIfNull(tree);
        return Run(new SimulationOptions
        {
            Tree = tree,
            RootId = rootId,
            Runs = runs,
            Seed = seed ?? SimulationOptions.SeedFromEnvironment() ?? 1,
            ExtraInvariants = extraInvariants ?? [],
            Generator = generator ?? GeneratorOptions.Default,
            StopAtFirstFailure = true,
        });
    }

    /// <summary>Runs a campaign with full options and throws on its first failure.</summary>
    /// <exception cref="SupervisionCheckException">An invariant failed.</exception>
    public static SimulationReport Run(SimulationOptions options)
    {
        var report = SimulationCampaign.Run(options);
        if (report.Failures.Count > 0)
        {
            throw new SupervisionCheckException(report.Failures[0]);
        }
        return report;
    }
}

/// <summary>A generated scenario broke an invariant. The message is everything needed to reproduce it.</summary>
public sealed class SupervisionCheckException : Exception
{
    /// <summary>Creates the exception for <paramref name="failure"/>.</summary>
    public SupervisionCheckException(SimulationFailure failure)
        : base(Describe(failure)) => Failure = failure;

    /// <summary>The failure: seed, invariant, scenario, shrunk scenario and its file.</summary>
    public SimulationFailure Failure { get; }

    private static string Describe(SimulationFailure failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        return $"supervision invariant '{failure.Invariant}' failed for seed {failure.Seed}: {failure.Message}\n" +
            $"reproduce with SUPERVISE_SEED={failure.Seed} (this run), or:\n  {failure.ReplayCommands}\n" +
            $"shrunk scenario:\n{failure.ShrunkJson}";
    }
}
