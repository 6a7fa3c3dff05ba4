using System.Globalization;
using Supervision.Simulation.Generation;
using Supervision.Simulation.Scenarios;
using Xunit;

namespace Supervision.Systematic.Tests;

/// <summary>
/// Generated scenarios (the property tests' generator, every fault kind) on the real runtime under Coyote:
/// with steps one at a time every explored run must print the engine's trace; with same-instant steps
/// applied concurrently every run must keep the runtime invariants.
/// </summary>
public sealed class CoyoteGeneratedScenarioTests(ITestOutputHelper output)
{
    /// <summary>
    /// A runtime discrepancy these tests found (on the deterministic scheduler too, so not an interleaving):
    /// a child killed (brutal_kill, or abandoned) after its start but before its body was first scheduled
    /// still runs its body, beside the incarnation that replaced it. OTP's killed process never runs again.
    /// Tolerated here and pinned by <see cref="Known_discrepancy_a_child_killed_before_its_body_ran_still_runs_it"/>:
    /// when the runtime is fixed, that test fails; then delete this and the test.
    /// </summary>
    private static bool KnownDiscrepancy(string violation) => violation.Contains("has two live incarnations", StringComparison.Ordinal);

    [Fact]
    public void Known_discrepancy_a_child_killed_before_its_body_ran_still_runs_it()
    {
        // Checks: seed 9706821842930215921 (one_for_all; c1 restarted, then killed at once when c2's restart
        // fails) still shows the two live incarnations on the deterministic scheduler, first in first out.
        var scenario = ScenarioReader.Parse(ScenarioGenerator.Generate(9706821842930215921UL).Json, "seed-9706821842930215921.json");
        var violations = Simulation.RuntimeReplay.RuntimeScenarioRunner.Run(scenario, includeReports: false).Violations;
        Assert.True(violations.Any(KnownDiscrepancy), "fixed: remove KnownDiscrepancy and this test");
    }

    /// <summary>Scenario seeds: fixed, so CI explores the same scenarios every run; SUPERVISE_COYOTE_SCENARIO_SEED picks another series.</summary>
    public static TheoryData<ulong> Seeds()
    {
        var series = ulong.TryParse(Environment.GetEnvironmentVariable("SUPERVISE_COYOTE_SCENARIO_SEED"), NumberStyles.None, CultureInfo.InvariantCulture, out var chosen) ? chosen : 20261204UL;
        var random = new SplitMix64(series);
        var data = new TheoryData<ulong>();
        for (var i = 0; i < 16; i++)
        {
            data.Add(random.NextUInt64());
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Coyote_runs_of_a_generated_scenario_print_the_engine_trace_and_keep_the_invariants(ulong seed)
    {
        // Checks: 4 Coyote random iterations match the engine's trace; 4 prioritization iterations with
        // concurrent same-instant steps keep the invariants. A failure names the seed and how to rerun it.
        var generated = ScenarioGenerator.Generate(seed);
        var scenario = ScenarioReader.Parse(generated.Json, string.Create(CultureInfo.InvariantCulture, $"seed-{seed}.json"));
        foreach (var (strategy, race) in new[] { ("random", false), ("prioritization", true) })
        {
            var check = new CoyoteScenarioCheck(scenario, race, tolerated: KnownDiscrepancy);
            var outcome = CoyoteRun.Explore(string.Create(CultureInfo.InvariantCulture, $"CoyoteGeneratedScenarioTests seed-{seed}"), strategy, 4, CoyoteRun.Seed(11), check.RunOnce);
            output.WriteLine(outcome.ToString());
            Assert.False(outcome.Found, string.Create(CultureInfo.InvariantCulture,
                $"scenario seed {seed} (faults {generated.Faults}){(race ? ", same-instant steps concurrent" : "")}: {outcome}\nregenerate: ScenarioGenerator.Generate({seed}UL)\nscenario:\n{generated.Json}"));
        }
    }
}
