using Xunit;

namespace Supervision.Systematic.Tests;

/// <summary>
/// The real runtime under Coyote's TestingEngine: every work item is a Coyote-controlled task on its own
/// thread, and Coyote chooses the interleavings. The golden corpus must print the engine's trace in every
/// explored run; the race scenarios must keep the runtime invariants.
/// </summary>
public sealed class CoyoteCorpusTests(ITestOutputHelper output)
{
    public static TheoryData<string> Corpus() => ExplorationTests.Corpus();

    public static TheoryData<string> Races() => ExplorationTests.Races();

    [Theory]
    [MemberData(nameof(Corpus))]
    public void Coyote_finds_no_interleaving_of_a_golden_scenario_that_changes_the_engine_trace(string scenarioFile)
    {
        // Checks: 3 Coyote random and 3 prioritization iterations each print the engine's trace, with no
        // fault, deadlock, leftover work or invariant violation; then 1 random with asynchronous starts.
        var scenario = BugHunt.Load(scenarioFile);
        foreach (var (strategy, budget, asyncStarts) in new[] { ("random", 3, false), ("prioritization", 3, false), ("random", 1, true) })
        {
            var check = new CoyoteScenarioCheck(scenario, asyncStarts: asyncStarts);
            var outcome = CoyoteRun.Explore($"CoyoteCorpusTests {scenarioFile}", strategy, budget, CoyoteRun.Seed(17), check.RunOnce);
            output.WriteLine(outcome.ToString());
            Assert.False(outcome.Found, outcome.ToString());
        }
    }

    [Theory]
    [MemberData(nameof(Races))]
    public void Coyote_finds_no_race_that_breaks_the_runtime_invariants(string scenarioFile)
    {
        // Checks: same-instant steps applied concurrently; 25 random, 25 prioritization and 25 probabilistic
        // iterations, and 25 random with asynchronous starts: no two live incarnations, nothing running after
        // the stop, every call answered, no deadlock, no fault.
        var scenario = BugHunt.Load(scenarioFile);
        foreach (var (strategy, asyncStarts) in new[] { ("random", false), ("prioritization", false), ("probabilistic", false), ("random", true) })
        {
            var check = new CoyoteScenarioCheck(scenario, race: true, asyncStarts: asyncStarts);
            var outcome = CoyoteRun.Explore($"CoyoteCorpusTests {scenarioFile}", strategy, 25, CoyoteRun.Seed(5), check.RunOnce);
            output.WriteLine(outcome.ToString());
            Assert.False(outcome.Found, outcome.ToString());
        }
    }
}
