using System.Globalization;
using Supervision.Simulation.Checking;
using Supervision.Simulation.Exploration;
using Supervision.Simulation.Replay;
using Supervision.Simulation.Scenarios;
using Xunit;

namespace Supervision.Systematic.Tests;

/// <summary>
/// Generated scenarios (the simulator's swarm generator) explored through the real runtime, as
/// <c>supervise explore --generated</c> does: a few hundred per mode on a printed seed, every failure with its
/// seed and the command that replays it.
/// </summary>
public sealed class GeneratedExplorationTests(ITestOutputHelper output)
{
    /// <summary>Scenarios per mode: three modes of 300 take about 10 s on two cores.</summary>
    private const int RunsPerMode = 300;

    /// <summary>The campaign's seed: SUPERVISE_SEED when set (to rerun another range), else a fixed one so CI is reproducible.</summary>
    private static ulong Seed => SimulationOptions.SeedFromEnvironment() ?? 1;

    private static string FailureFolder(string mode) => Path.Combine(AppContext.BaseDirectory, "generated-exploration-failures", mode);

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public void Generated_scenarios_keep_the_runtime_invariants_under_exploration(bool race, bool asyncStarts)
    {
        // Checks: RunsPerMode generated scenarios, each under 30 PCT interleavings, sequential (the trace must be
        // the engine's), racing same-instant steps, or with asynchronous starts: no two live incarnations,
        // nothing running after the stop, every call answered, no deadlock, no leftover work.
        var options = new ExplorationCampaignOptions
        {
            Seed = Seed,
            Runs = RunsPerMode,
            Race = race,
            AsyncStarts = asyncStarts,
            Shrink = false,
            FailureFolder = FailureFolder(race ? "race" : asyncStarts ? "async-starts" : "sequential"),
        };
        var rerun = SuperviseCommandLine.Of(
            ["explore", "--generated", "--seed", options.Seed.ToString(CultureInfo.InvariantCulture), "--runs", RunsPerMode.ToString(CultureInfo.InvariantCulture),
             .. SuperviseCommandLine.ModeFlags(race, asyncStarts)]);
        output.WriteLine($"seed {options.Seed} ({options.Mode}); rerun the whole range with: {rerun}");
        var report = ExplorationCampaign.Run(options);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{report.Scenarios} scenarios, {report.Interleavings} interleavings ({report.DistinctSchedules} distinct) in {report.Elapsed.TotalSeconds:0.0} s"));
        foreach (var failure in report.Failures)
        {
            output.WriteLine(failure.ToString());
        }
        Assert.Equal(RunsPerMode, report.Scenarios);
        Assert.True(report.DistinctSchedules > report.Scenarios, "the scenarios offer the scheduler real choices");
        Assert.True(report.Failures.Count == 0,
            $"{report.Failures.Count} of {report.Scenarios} generated scenarios failed ({options.Mode}, seed {options.Seed}; rerun: {rerun}):\n" +
            string.Concat(report.Failures.Take(10).Select(f => f.ToString())));
    }

    [Fact]
    public void A_campaign_against_a_broken_mailbox_saves_failures_that_replay()
    {
        // Checks: with a mailbox that loses messages the campaign fails, and for each failure the saved
        // scenario file and choices file replay that failure exactly (same check), the seed is the scenario's,
        // and the printed commands name the saved files and the seed.
        var folder = Directory.CreateTempSubdirectory("generated-exploration-").FullName;
        try
        {
            var plug = BugHunt.Plug("lossy-mailbox");
            var report = ExplorationCampaign.Run(new ExplorationCampaignOptions
            {
                // Race mode: messages from several senders reach one mailbox at once, which is what it loses.
                Seed = 1, Runs = 100, Iterations = 10, Race = true, Configure = plug, FailureFolder = folder, Shrink = false, StopAtFirstFailure = true,
            });
            var failure = Assert.Single(report.Failures);
            var scenario = ScenarioReader.Load(failure.Files["scenario"]);
            Assert.Contains($"seed {failure.Seed},", scenario.Name, StringComparison.Ordinal);
            var strategy = new ReplayStrategy(ChoicesFile.Read(failure.Files["choices"]));
            strategy.BeginIteration(0);
            var replayed = Explorer.RunOnce(scenario, new ControlledScheduler(strategy), expected: null, 0, plug);
            Assert.NotNull(replayed);
            Assert.Equal(failure.Check, replayed.Check);
            Assert.Equal(failure.Message, replayed.Message);
            Assert.Contains(failure.Commands, c => c.Contains($"--replay {failure.Files["choices"]}", StringComparison.Ordinal));
            Assert.Contains(failure.Commands, c => c.Contains($"--generated --seed {failure.Seed} --runs 1", StringComparison.Ordinal) && c.Contains("--race", StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
