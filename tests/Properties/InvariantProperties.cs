using Supervision.Simulation.Generation;
using Supervision.Simulation.Invariants;
using Supervision.Simulation.Replay;
using Xunit;

namespace Supervision.Properties.Tests;

/// <summary>
/// Generated scenarios, run on the engine-backed simulator, checked by the independent invariant checker
/// (src/Simulation/Invariants). A failure prints the seed, the replay command and the numbered trace.
/// </summary>
public sealed class InvariantProperties
{
    private readonly ITestOutputHelper output;

    public InvariantProperties(ITestOutputHelper output)
    {
        this.output = output;
        output.WriteLine(SeedPropertyAttribute.Describe());
    }

    /// <summary>
    /// Invariants the engine or replay driver are known to break: none. (The properties found two, a
    /// give-up ending with stop instead of exit and count_children's liveness check; both were fixed and
    /// their seeds are regression tests below.)
    /// </summary>
    private static readonly string[] KnownDiscrepancies = [];

    /// <summary>Every invariant holds on every line of the trace of a generated scenario, with every fault kind allowed.</summary>
    [SeedProperty(MaxTest = 8_000)]
    public void TracesKeepEveryInvariant(ScenarioSeed seed) => SeedProperty.Holds(CheckAllButKnown(SeedProperty.Generate(seed)));

    /// <summary>The same, with only crashes, bursts, second boundaries and stop delays: restart logic and intensity without the noise of calls.</summary>
    [SeedProperty(MaxTest = 2_000)]
    public void CrashOnlyTracesKeepEveryInvariant(ScenarioSeed seed) => SeedProperty.Holds(
        CheckAllButKnown(SeedProperty.Generate(seed, new GeneratorOptions { AllowedFaults = FaultKinds.Exits | FaultKinds.Bursts | FaultKinds.SecondBoundaries | FaultKinds.StopDelays })));

    /// <summary>count_children's active count is a live check, as in OTP 25.</summary>
    [SeedProperty(MaxTest = 20_000)]
    public void CountChildrenCountsOnlyLiveChildren(ScenarioSeed seed) => SeedProperty.Holds(
        Check(SeedProperty.Generate(seed), v => v.Invariant == InvariantNames.CountChildrenLiveCheck));

    /// <summary>Regression: the seed that showed the count_children discrepancy, replayed exactly.</summary>
    [Fact]
    public void KnownCountChildrenSeedCountsOnlyLiveChildren()
    {
        var failure = Check(SeedProperty.Generate(526686343039394372UL), _ => true);
        if (failure is not null)
        {
            output.WriteLine(failure);
        }
        Assert.Null(failure);
    }

    /// <summary>A supervisor that gave up ends with an <c>exit</c> line, whatever arrives while it shuts down.</summary>
    [SeedProperty(MaxTest = 8_000)]
    public void SupervisorsThatGiveUpEndWithExit(ScenarioSeed seed) => SeedProperty.Holds(
        Check(SeedProperty.Generate(seed), v => v.Invariant == InvariantNames.GiveUpEndsWithExit));

    /// <summary>Regression: the seeds that showed the give-up discrepancy, replayed exactly.</summary>
    [Theory]
    [InlineData(3111053439186743836UL)]
    [InlineData(3018358573447417551UL)]
    [InlineData(565281151879473350UL)]
    public void KnownGiveUpSeedsEndWithExit(ulong seed)
    {
        var failure = Check(SeedProperty.Generate(seed), _ => true);
        if (failure is not null)
        {
            output.WriteLine(failure);
        }
        Assert.Null(failure);
    }

    /// <summary>
    /// simple_one_for_one instances are named in order of successful start, and start_child names the instance
    /// that started. Regression: seed 12014926257982602756 (a supervisor template whose first instance failed its
    /// init) printed root/t#2 while replying ok:root/t#1, until the replay driver was fixed (commit 6945aa2).
    /// </summary>
    [Fact]
    public void InstanceNamingRegressionSeedKeepsEveryInvariant()
    {
        var failure = CheckAllButKnown(SeedProperty.Generate(12014926257982602756UL));
        if (failure is not null)
        {
            output.WriteLine(failure);
        }
        Assert.Null(failure);
    }

    /// <summary>Running the same scenario twice gives byte-identical traces.</summary>
    [SeedProperty(MaxTest = 1_500)]
    public void ReplayIsDeterministic(ScenarioSeed seed) => SeedProperty.Holds(Explain(seed));

    private static string? Explain(ScenarioSeed seed)
    {
        var generated = SeedProperty.Generate(seed);
        var first = ScenarioSimulator.Run(ScenarioRuns.Parse(generated));
        var second = ScenarioSimulator.Run(ScenarioRuns.Parse(generated));
        return first.TraceText() == second.TraceText()
            ? null
            : ScenarioRuns.Explain(generated, "two runs gave different traces; the second:\n" + second.TraceText(), first);
    }

    /// <summary>Every invariant but the known discrepancies.</summary>
    private static string? CheckAllButKnown(GeneratedScenario generated)
    {
        var (result, violations) = ScenarioRuns.RunAndCheck(generated);
        var relevant = violations.Where(v => !KnownDiscrepancies.Contains(v.Invariant)).ToList();
        return relevant.Count == 0 ? null : ScenarioRuns.Explain(generated, string.Join("\n", relevant), result);
    }

    private static string? Check(GeneratedScenario generated, Func<InvariantViolation, bool> counted)
    {
        var (result, violations) = ScenarioRuns.RunAndCheck(generated);
        var relevant = violations.Where(counted).ToList();
        return relevant.Count == 0
            ? null
            : ScenarioRuns.Explain(generated, string.Join("\n", relevant), result);
    }
}
