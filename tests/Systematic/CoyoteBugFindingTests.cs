using Xunit;

namespace Supervision.Systematic.Tests;

/// <summary>
/// Coyote must find the deliberately broken runtime pieces (BrokenPieces.cs) within the explorer's
/// budgets, on the same scenarios; the failing run's seed, trace files and replay command are printed.
/// </summary>
public sealed class CoyoteBugFindingTests(ITestOutputHelper output)
{
    public static TheoryData<string, string, bool, bool, int> Hunts() => BugFindingTests.Hunts();

    [Theory]
    [MemberData(nameof(Hunts))]
    public void Coyote_finds_the_broken_piece_within_the_explorers_budget(string bug, string scenarioFile, bool race, bool asyncStarts, int budget)
    {
        // Checks: Coyote's prioritization strategy (its PCT), then its random strategy if that missed, finds a failing
        // run within the budget (fixed seed: the same iteration every run); the bug's trace files exist.
        var check = new CoyoteScenarioCheck(BugHunt.Load(scenarioFile), race, asyncStarts, BugHunt.Plug(bug));
        CoyoteOutcome? found = null;
        foreach (var strategy in new[] { "prioritization", "random" })
        {
            var outcome = CoyoteRun.Explore($"CoyoteBugFindingTests {bug} {Path.GetFileNameWithoutExtension(scenarioFile)}", strategy, budget, CoyoteRun.Seed(7), check.RunOnce);
            output.WriteLine(outcome.ToString());
            if (outcome.Found)
            {
                found = outcome;
                break;
            }
        }
        Assert.True(found is not null, $"Coyote missed {bug} on {scenarioFile} within {budget} iterations");
        Assert.Contains(found.TraceFiles, f => f.EndsWith(".trace", StringComparison.Ordinal) && File.Exists(f));
    }
}
