using Supervision.Simulation.Checking;
using Supervision.Simulation.Invariants;
using Supervision.Simulation.Replay;
using Xunit;

namespace Supervision.Properties.Tests;

/// <summary>
/// The situations the suites were once blind to are produced by the generator, show in the coverage table, and
/// are judged by the reference model: each invariant that guards one is shown on a correct trace and on the trace
/// a broken engine would print.
/// </summary>
public sealed class SituationTests(ITestOutputHelper output)
{
    private const int Seeds = 1_000;

    /// <summary>Each situation in at least this many runs of the fixed batch (about 1 in 12 seeds aims at each).</summary>
    private const int AtLeast = 25;

    [Fact]
    public void EachSituationIsProducedInAFixedSeedBatchAndTheReferenceModelAcceptsIt()
    {
        var hits = SituationCoverage.Names.ToDictionary(name => name, _ => 0, StringComparer.Ordinal);
        for (ulong seed = 1; seed <= Seeds; seed++)
        {
            var generated = SeedProperty.Generate(seed);
            var scenario = ScenarioRuns.Parse(generated);
            var result = ScenarioSimulator.Run(scenario);
            foreach (var seen in SituationCoverage.Seen(scenario, result.Lines))
            {
                hits[seen]++;
            }
            var violations = TraceInvariantChecker.Check(scenario, result.Lines);
            Assert.True(violations.Count == 0, ScenarioRuns.Explain(generated, string.Join("\n", violations), result));
        }
        foreach (var (name, count) in hits)
        {
            output.WriteLine($"{name}: {count} of {Seeds} seeds");
        }
        Assert.All(hits, hit => Assert.True(hit.Value >= AtLeast, $"\"{hit.Key}\" produced in only {hit.Value} of {Seeds} seeds (seeds 1..{Seeds})"));
    }

    [Fact]
    public void TheCoverageTableListsEachSituation()
    {
        var report = SimulationCampaign.Run(new SimulationOptions { Seed = 1, Runs = 300, Shrink = false, FailureFolder = Path.GetTempPath() });
        Assert.Empty(report.Failures);
        Assert.All(SituationCoverage.Names, name => Assert.True(report.Coverage.GetValueOrDefault("situation: " + name) >= 5, $"the table shows \"situation: {name}\" {report.Coverage.GetValueOrDefault("situation: " + name)} times"));
    }

    private const string Significant = """
        { "tree": { "id": "root", "strategy": "rest_for_one", "intensity": 10, "auto_shutdown": "all_significant", "children": [
          { "id": "s2", "restart": "temporary", "significant": true }, { "id": "s1", "restart": "transient", "significant": true }, { "id": "w" } ] },
          "steps": [ { "at": 1, "exit": "root/s1", "reason": "boom" }, { "at": 2, "exit": "root/s2", "reason": "normal" } ] }
        """;

    private const string Starts = "0 start root/s2\n0 start root/s1\n0 start root/w\n0 start root\n";

    private const string UpToTheFailedRestart = Starts + "1 exit root/s1 boom\n# report root child_terminated root/s1 boom\n2 exit root/s2 normal\n"
        + "600 stop root/w shutdown\n600 start_error root/s1 nope\n# report root start_error root/s1 nope\n";

    [Fact]
    public void AnAllSignificantSupervisorDoesNotShutDownWhileASignificantChildWaitsForItsRestart()
    {
        Assert.Empty(Check(Significant, UpToTheFailedRestart + "600 start root/s1\n600 start root/w\n700 stop root/w shutdown\n700 stop root/s1 shutdown\n700 stop root shutdown\n"));
        // What an engine that counted only running children would print: s1 (restarting) is skipped, and the root ends.
        var broken = Check(Significant, UpToTheFailedRestart + "600 exit root shutdown\n");
        Assert.Contains(broken, v => v.Invariant == InvariantNames.SupervisorExitExplained && v.Message.Contains("\"s1\"", StringComparison.Ordinal));
    }

    private const string Dynamic = """
        { "tree": { "id": "root", "strategy": "one_for_one", "children": [ { "id": "k" } ] },
          "steps": [ { "at": 1, "call": "start_child", "sup": "root", "spec": { "id": "d", "restart": "RESTART" } },
                     { "at": 2, "call": "start_child", "sup": "root", "spec": { "id": "d", "restart": "RESTART" } },
                     { "at": 3, "call": "which_children", "sup": "root" },
                     { "at": 4, "call": "delete_child", "sup": "root", "child": "d" } ] }
        """;

    private const string Ignored = "0 start root/k\n0 start root\n1 ignore root/d\n1 reply start_child root ok:undefined\n";

    [Fact]
    public void AnIgnoredStartChildKeepsAPermanentSpecAndForgetsATemporaryOne()
    {
        var permanent = Dynamic.Replace("RESTART", "permanent", StringComparison.Ordinal);
        var temporary = Dynamic.Replace("RESTART", "temporary", StringComparison.Ordinal);
        const string keptReplies = "2 reply start_child root error:already_present\n3 reply which_children root [d:undefined,k:running]\n4 reply delete_child root ok\n";
        const string forgotten = "2 start root/d\n2 reply start_child root ok:root/d\n3 reply which_children root [d:running,k:running]\n4 reply delete_child root error:running\n";
        const string end = "9 stop root/k shutdown\n9 stop root shutdown\n";
        Assert.Empty(Check(permanent, Ignored + keptReplies + end));
        Assert.Empty(Check(temporary, Ignored + forgotten + "9 stop root/d shutdown\n" + end));
        // A temporary spec kept after all (the engine forgot the temporary rule) answers as the permanent one.
        AssertOnly(InvariantNames.IgnoredStartSpec, Check(temporary, Ignored + keptReplies + end));
        // A permanent spec dropped: the second start_child starts it.
        AssertOnly(InvariantNames.IgnoredStartSpec, Check(permanent, Ignored + forgotten + "9 stop root/d shutdown\n" + end));
        // A permanent spec dropped, seen by which_children and delete_child alone.
        AssertOnly(InvariantNames.IgnoredStartSpec, Check(permanent, Ignored + "2 reply start_child root error:already_present\n3 reply which_children root [k:running]\n4 reply delete_child root error:not_found\n" + end));
    }

    private static void AssertOnly(string invariant, IReadOnlyList<InvariantViolation> violations)
    {
        Assert.NotEmpty(violations);
        Assert.All(violations, v => Assert.Equal(invariant, v.Invariant));
    }

    private static IReadOnlyList<InvariantViolation> Check(string scenarioJson, string trace) =>
        TraceInvariantChecker.Check(Simulation.Scenarios.ScenarioReader.Parse(scenarioJson, "example.json"), CheckerExamples.ParseTrace(trace));
}
