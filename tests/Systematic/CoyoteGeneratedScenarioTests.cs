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
            var check = new CoyoteScenarioCheck(scenario, race);
            var outcome = CoyoteRun.Explore(string.Create(CultureInfo.InvariantCulture, $"CoyoteGeneratedScenarioTests seed-{seed}"), strategy, 4, CoyoteRun.Seed(11), check.RunOnce);
            output.WriteLine(outcome.ToString());
            Assert.False(outcome.Found, string.Create(CultureInfo.InvariantCulture,
                $"scenario seed {seed} (faults {generated.Faults}){(race ? ", same-instant steps concurrent" : "")}: {outcome}\nregenerate: ScenarioGenerator.Generate({seed}UL)\nscenario:\n{generated.Json}"));
        }
    }
}
