using Supervision.Simulation.Invariants;
using Supervision.Simulation.Replay;
using Supervision.Simulation.Scenarios;
using Xunit;

namespace Supervision.Properties.Tests;

/// <summary>
/// Minimal hand-made reproductions of the discrepancies the generated properties found (see the skip
/// reasons in <see cref="InvariantProperties"/>): each scenario in Discrepancies/ should replay with no
/// violation; each is skipped until the engine or the replay driver is fixed (the checker's detection of
/// these invariants is shown on hand-written traces in <see cref="CheckerExamples"/>). Replay one with
/// <c>dotnet run --project src/Cli -- replay tests/Properties/Discrepancies/&lt;file&gt;</c>.
/// </summary>
public sealed class DiscrepancyTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("1-root-gave-up-then-stop.json", InvariantNames.GiveUpEndsWithExit)]
    [InlineData("2-child-gave-up-then-group-restart.json", InvariantNames.GiveUpEndsWithExit)]
    public void GiveUpEndsWithExit(string file, string invariant) => AssertKeeps(file, invariant);

    [Theory]
    [InlineData("3-count-children-live-check.json", InvariantNames.CountChildrenLiveCheck)]
    public void CountChildrenIsALiveCheck(string file, string invariant) => AssertKeeps(file, invariant);

    /// <summary>Fixed in the replay driver (commit 6945aa2): kept as a regression test.</summary>
    [Theory]
    [InlineData("4-s1o1-supervisor-instance-numbering.json", InvariantNames.InstanceNaming)]
    public void InstancesAreNumberedInOrderOfSuccessfulStart(string file, string invariant) => AssertKeeps(file, invariant);

    private void AssertKeeps(string file, string invariant)
    {
        var violations = Run(file);
        foreach (var violation in violations)
        {
            output.WriteLine(violation.ToString());
        }
        Assert.DoesNotContain(violations, v => v.Invariant == invariant);
    }

    private static IReadOnlyList<InvariantViolation> Run(string file)
    {
        var scenario = ScenarioReader.Load(Path.Combine(AppContext.BaseDirectory, "Discrepancies", file));
        return TraceInvariantChecker.Check(scenario, ScenarioSimulator.Run(scenario).Lines);
    }
}
