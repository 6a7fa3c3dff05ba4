using Supervision.Runtime;
using Supervision.Runtime.Scheduling;
using Supervision.Simulation.Exploration;
using Xunit;

namespace Supervision.Systematic.Tests;

/// <summary>
/// The real runtime explored under the controlled scheduler: the whole golden corpus with every strategy
/// (the trace must always be the engine's), and the race scenarios (judged by the runtime invariants).
/// </summary>
public sealed class ExplorationTests(ITestOutputHelper output)
{
    private static int _interleavings;

    public static TheoryData<string> Corpus() => Files("Scenarios", "examples", "Regressions");

    public static TheoryData<string> Races() => Files("Races");

    private static TheoryData<string> Files(params string[] folders)
    {
        var data = new TheoryData<string>();
        foreach (var folder in folders)
        {
            foreach (var file in Directory.EnumerateFiles(Path.Combine(AppContext.BaseDirectory, folder), "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                data.Add(Path.GetRelativePath(AppContext.BaseDirectory, file));
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Corpus))]
    public void Every_interleaving_of_a_golden_scenario_prints_the_engine_trace(string scenarioFile)
    {
        // Checks: random (40), PCT (40) and bounded DFS (up to 40) runs all match the engine, with no
        // escape, fault, deadlock or leftover work; and 40 random runs with every start asynchronous (the
        // runtime's other start path: the outcome comes back as a message) match it too.
        var scenario = BugHunt.Load(scenarioFile);
        foreach (var (strategy, budget, asyncStarts) in new (SchedulingStrategy, int, bool)[]
        {
            (new RandomStrategy(11), 40, false), (new PctStrategy(11, 3), 40, false), (new BoundedDfsStrategy(2), 40, false), (new RandomStrategy(13), 40, true),
        })
        {
            var report = Explorer.Explore(scenario, strategy, budget, asyncStarts: asyncStarts);
            Interlocked.Add(ref _interleavings, report.Iterations);
            var flag = asyncStarts ? " --async-starts" : string.Empty;
            Assert.True(report.Failures.Count == 0, $"{strategy.Name}{(asyncStarts ? " with asynchronous starts" : "")}: {report.Failures.FirstOrDefault()}; replay the saved choices with `supervise explore {scenarioFile}{flag} --replay FILE`");
        }
    }

    [Theory]
    [MemberData(nameof(Races))]
    public void Races_never_break_the_runtime_invariants(string scenarioFile)
    {
        // Checks: same-instant steps applied concurrently, 300 random + 300 PCT interleavings each, and 300
        // random with asynchronous starts: no two live incarnations, nothing running after the stop, every
        // call answered, no deadlock, no escape, no unobserved fault.
        var scenario = BugHunt.Load(scenarioFile);
        foreach (var (strategy, asyncStarts) in new (SchedulingStrategy, bool)[] { (new RandomStrategy(5), false), (new PctStrategy(5, 3), false), (new RandomStrategy(6), true) })
        {
            var report = Explorer.Explore(scenario, strategy, 300, race: true, asyncStarts: asyncStarts);
            Interlocked.Add(ref _interleavings, report.Iterations);
            output.WriteLine($"{scenarioFile} {strategy.Name}{(asyncStarts ? " async starts" : "")}: {report.Iterations} runs, {report.DistinctSchedules} distinct, {report.IterationsPerSecond:0}/s");
            Assert.True(report.Failures.Count == 0, $"{strategy.Name}{(asyncStarts ? " with asynchronous starts" : "")}: {report.Failures.FirstOrDefault()}");
        }
        Assert.True(Explorer.Explore(scenario, new RandomStrategy(5), 300, race: true).DistinctSchedules > 5, "the race scenario offers the scheduler real choices");
    }

    [Fact]
    public void A_seeded_strategy_replays_the_same_schedules()
    {
        // Checks: the same (strategy, seed) explores the same choice sequences, so a seed reproduces a run.
        var scenario = BugHunt.Load("Races/many-concurrent-callers.json");
        var first = new List<string>();
        var second = new List<string>();
        foreach (var sink in new[] { first, second })
        {
            var strategy = new PctStrategy(99, 3);
            for (var i = 0; i < 20 && strategy.BeginIteration(i); i++)
            {
                var scheduler = new ControlledScheduler(strategy);
                Simulation.RuntimeReplay.RuntimeScenarioRunner.Run(scenario, scheduler, includeReports: true, raceSameInstantSteps: true);
                sink.Add(string.Join(',', scheduler.Choices));
            }
        }
        Assert.Equal(first, second);
        Assert.True(first.Distinct().Count() > 1);
    }

    [Fact]
    public void Dfs_exhausts_a_small_space_and_stops()
    {
        // Checks: bounded DFS enumerates distinct schedules and reports exhaustion before the budget.
        var scenario = BugHunt.Load("Races/terminate-races-own-exit.json");
        var report = Explorer.Explore(scenario, new BoundedDfsStrategy(2), 10_000, race: true);
        Assert.True(report.Iterations < 10_000);
        Assert.Equal(report.Iterations, report.DistinctSchedules);
        Assert.Empty(report.Failures);
    }
}
