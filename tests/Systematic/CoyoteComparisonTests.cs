using System.Diagnostics;
using System.Globalization;
using System.Text;
using Supervision.Simulation.Exploration;
using Xunit;

namespace Supervision.Systematic.Tests;

/// <summary>
/// The table of iterations to the first failure, per broken piece, for our strategies (random, PCT,
/// bounded DFS on the controlled scheduler) and Coyote's (random, prioritization, probabilistic, delay
/// bounding, on the thread-pool scheduler), with the same budgets and seeds in the same run. Explicit
/// (minutes): regenerate it with
/// <c>dotnet test tests/Systematic --filter "FullyQualifiedName~CoyoteComparisonTests" -- xUnit.Explicit=only</c>;
/// it is written to <c>coyote-comparison.md</c> in the test output folder.
/// </summary>
public sealed class CoyoteComparisonTests(ITestOutputHelper output)
{
    private static readonly string[] Ours = ["random", "pct", "dfs"];

    [Fact(Explicit = true)]
    public void Coyote_and_the_explorer_compared_on_the_broken_pieces()
    {
        // Checks: every broken piece is found within its budget by at least one of our strategies and by at
        // least one of Coyote's (the table itself is the deliverable).
        var table = new StringBuilder()
            .AppendLine($"| broken piece | scenario | budget | {string.Join(" | ", Ours.Select(s => $"ours {s}"))} | {string.Join(" | ", CoyoteRun.Strategies.Select(s => $"coyote {s}"))} |")
            .AppendLine($"|{string.Concat(Enumerable.Repeat(" --- |", 3 + Ours.Length + CoyoteRun.Strategies.Length))}");
        var misses = new List<string>();
        foreach (var row in BugFindingTests.Hunts())
        {
            var (bug, scenarioFile, race, asyncStarts, budget) = row.Data;
            var scenario = BugHunt.Load(scenarioFile);
            var ours = Ours.Select(name => OurCell(Explorer.Explore(scenario, BugHunt.Strategy(name, seed: 7), budget, configure: BugHunt.Plug(bug), race: race, asyncStarts: asyncStarts))).ToList();
            var check = new CoyoteScenarioCheck(scenario, race, asyncStarts, BugHunt.Plug(bug));
            var coyote = CoyoteRun.Strategies.Select(name => CoyoteCell(name, budget, check)).ToList();
            table.AppendLine(CultureInfo.InvariantCulture, $"| {bug} | {Path.GetFileName(scenarioFile)} | {budget} | {string.Join(" | ", ours.Select(c => c.Text))} | {string.Join(" | ", coyote.Select(c => c.Text))} |");
            if (!ours.Any(c => c.Found) || !coyote.Any(c => c.Found))
            {
                misses.Add($"{bug} on {scenarioFile}");
            }
        }
        table.AppendLine().AppendLine("Cells: iterations to the first failing run (and iterations per second); `-` = not found within the budget. Seed 7 everywhere.");
        File.WriteAllText(Path.Combine(AppContext.BaseDirectory, "coyote-comparison.md"), table.ToString());
        output.WriteLine(table.ToString());
        Assert.True(misses.Count == 0, $"missed by one side entirely: {string.Join("; ", misses)}");
    }

    private static (bool Found, string Text) OurCell(ExplorationReport report) =>
        report.Failures.FirstOrDefault() is { } first
            ? (true, $"{first.Iteration + 1} ({report.IterationsPerSecond:0}/s)")
            : (false, $"- ({report.IterationsPerSecond:0}/s)");

    private static (bool Found, string Text) CoyoteCell(string strategy, int budget, CoyoteScenarioCheck check)
    {
        // Wall time only for the iterations per second printed in the table; every run is on virtual time.
        var clock = Stopwatch.StartNew();
        var outcome = CoyoteRun.Explore($"CoyoteComparisonTests {strategy}", strategy, budget, 7, check.RunOnce);
        var rate = outcome.Iterations / Math.Max(clock.Elapsed.TotalSeconds, 1e-9);
        return outcome.Found ? (true, $"{outcome.Iterations} ({rate:0}/s)") : (false, $"- ({rate:0}/s)");
    }
}
