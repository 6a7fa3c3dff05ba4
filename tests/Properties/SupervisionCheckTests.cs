using Supervision.Engine;
using Supervision.Simulation.Checking;
using Supervision.Simulation.Replay;
using Supervision.Simulation.Scenarios;
using Xunit;

namespace Supervision.Properties.Tests;

/// <summary>The public API for users' CI: a tree in, a report out, or an exception with seed, shrunk scenario and replay command.</summary>
public sealed class SupervisionCheckTests
{
    /// <summary>The tree these tests and <see cref="SupervisionCheckReproduceTests"/> check: a shop with a rest_for_one orders pipeline.</summary>
    internal static SupervisorSpec ShopTree() => new(
    [
        new ChildSpec("db") { Shutdown = ShutdownPolicy.Timeout(2000) },
        new ChildSpec("orders")
        {
            Supervisor = new SupervisorSpec([new ChildSpec("cart"), new ChildSpec("checkout") { Restart = RestartType.Transient }, new ChildSpec("payment")])
            {
                Strategy = RestartStrategy.RestForOne,
                Intensity = 3,
                PeriodSeconds = 5,
            },
        },
        new ChildSpec("audit") { Restart = RestartType.Temporary },
    ]) { Intensity = 5, PeriodSeconds = 10 };

    [Fact]
    public void A_users_tree_passes_the_reference_model()
    {
        // Checks: 500 generated schedules over the user's own tree all keep every invariant.
        var report = SupervisionCheck.Run(ShopTree(), rootId: "shop", runs: 500, seed: 77);
        Assert.Equal(500, report.Scenarios);
        Assert.Empty(report.Failures);
        Assert.True(report.Coverage.ContainsKey("behaviour: restart"));
    }

    [Fact]
    public void A_failing_user_invariant_reports_the_seed_a_shrunk_scenario_and_how_to_replay_it()
    {
        // Checks: a user invariant that forbids any restart of the cart fails; the exception names the seed and
        // replay commands; the shrunk scenario is no bigger, still fails when replayed, and replays identically.
        static IEnumerable<string> CartNeverRestarts(Scenario scenario, IReadOnlyList<TraceLine> trace) =>
            trace.Count(line => line.Text == "start shop/orders/cart") > 1 ? ["the cart was restarted"] : [];
        var error = Assert.Throws<SupervisionCheckException>(() =>
            SupervisionCheck.Run(ShopTree(), rootId: "shop", runs: 2000, seed: 5, extraInvariants: [CartNeverRestarts]));
        var failure = error.Failure;
        Assert.Contains($"seed {failure.Seed}", error.Message);
        Assert.Contains("replay", error.Message);
        Assert.True(ScenarioShrinker.Size(failure.ShrunkJson) <= ScenarioShrinker.Size(failure.ScenarioJson));
        var shrunk = ScenarioReader.Parse(failure.ShrunkJson, "shrunk.json");
        var first = ScenarioSimulator.Run(shrunk);
        Assert.NotEmpty(CartNeverRestarts(shrunk, first.Lines));
        Assert.Equal(first.TraceText(), ScenarioSimulator.Run(ScenarioReader.Parse(failure.ShrunkJson, "again.json")).TraceText());
        Assert.True(shrunk.Steps.Count <= 3, $"shrunk to {shrunk.Steps.Count} steps:\n{failure.ShrunkJson}");
    }

    [Fact]
    public void The_same_seed_fails_the_same_way()
    {
        // Checks: determinism of the whole pipeline: generation, replay, check and shrinking.
        static IEnumerable<string> NoKills(Scenario scenario, IReadOnlyList<TraceLine> trace) =>
            trace.Where(line => line.Text.EndsWith(" killed", StringComparison.Ordinal)).Select(line => line.Text);
        SimulationFailure Fail() => Assert.Throws<SupervisionCheckException>(() =>
            SupervisionCheck.Run(ShopTree(), rootId: "shop", runs: 3000, seed: 9, extraInvariants: [NoKills])).Failure;
        var first = Fail();
        var second = Fail();
        Assert.Equal(first.Seed, second.Seed);
        Assert.Equal(first.ShrunkJson, second.ShrunkJson);
    }
}
