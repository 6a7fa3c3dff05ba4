using Supervision.Engine;
using Supervision.Simulation.Checking;
using Supervision.Simulation.Replay;
using Supervision.Simulation.Scenarios;
using Xunit;

namespace Supervision.Properties.Tests;

/// <summary>Tests that set process environment variables: run alone, so no other test sees them.</summary>
[CollectionDefinition(nameof(EnvironmentVariableCollection), DisableParallelization = true)]
public sealed class EnvironmentVariableCollection;

/// <summary><c>SUPERVISE_SEED=S dotnet test</c>, as printed, reruns the failing seed even when the test passes its own seed.</summary>
[Collection(nameof(EnvironmentVariableCollection))]
public sealed class SupervisionCheckSeedVariableTests
{
    [Fact]
    public void The_seed_variable_replaces_the_tests_own_seed()
    {
        // Checks: a test that fails at seed S (found from seed 5) is run again with SUPERVISE_SEED=S and seed 1000 in
        // its code, for one run: it fails at S, with the same scenario.
        static IEnumerable<string> CartNeverRestarts(Scenario scenario, IReadOnlyList<TraceLine> trace) =>
            trace.Count(line => line.Text == "start t/cart") > 1 ? ["the cart was restarted"] : [];
        var tree = new SupervisorSpec([new ChildSpec("db"), new ChildSpec("cart")]) { Intensity = 3 };
        using var folder = new ScratchFolder();
        var first = Assert.Throws<SupervisionCheckException>(() =>
            SupervisionCheck.Run(tree, "t", runs: 500, seed: 5, extraInvariants: [CartNeverRestarts], failureFolder: folder.Path)).Failure;
        Environment.SetEnvironmentVariable("SUPERVISE_SEED", first.Seed.ToString(System.Globalization.CultureInfo.InvariantCulture));
        try
        {
            var again = Assert.Throws<SupervisionCheckException>(() =>
                SupervisionCheck.Run(tree, "t", runs: 1, seed: 1000, extraInvariants: [CartNeverRestarts], failureFolder: folder.Path)).Failure;
            Assert.Equal(first.Seed, again.Seed);
            Assert.Equal(first.ScenarioJson, again.ScenarioJson);
        }
        finally
        {
            Environment.SetEnvironmentVariable("SUPERVISE_SEED", null);
        }
    }
}
