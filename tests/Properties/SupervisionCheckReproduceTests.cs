using System.Text.RegularExpressions;
using Supervision.Engine;
using Supervision.Simulation.Checking;
using Supervision.Simulation.Generation;
using Supervision.Simulation.Replay;
using Supervision.Simulation.Scenarios;
using Xunit;

namespace Supervision.Properties.Tests;

/// <summary>
/// The reproduce hints of <see cref="SupervisionCheck"/> work for a user outside this repository: the installed
/// <c>supervise</c> tool, <c>SUPERVISE_SEED=... dotnet test</c> with the failing test's name, a <c>simulate</c> line
/// that generates the user's own tree, and files in a folder the user controls.
/// </summary>
public sealed partial class SupervisionCheckReproduceTests
{
    private static SupervisorSpec ShopTree() => SupervisionCheckTests.ShopTree();

    private static IEnumerable<string> CartNeverRestarts(Scenario scenario, IReadOnlyList<TraceLine> trace) =>
        trace.Count(line => line.Text == "start shop/orders/cart") > 1 ? ["the cart was restarted"] : [];

    [Fact]
    public void The_hints_name_the_installed_tool_the_seed_variable_and_this_test()
    {
        // Checks: no hint needs this repository (no 'dotnet run --project'); the dotnet test line carries the seed
        // and a filter naming this very test method, so a user can paste it.
        using var folder = new ScratchFolder();
        var error = Assert.Throws<SupervisionCheckException>(() =>
            SupervisionCheck.Run(ShopTree(), rootId: "shop", runs: 2000, seed: 5, extraInvariants: [CartNeverRestarts], failureFolder: folder.Path));
        var seed = error.Failure.Seed;
        Assert.DoesNotContain("--project", error.Message, StringComparison.Ordinal);
        Assert.Contains($"SUPERVISE_SEED={seed} dotnet test --filter \"FullyQualifiedName~{nameof(SupervisionCheckReproduceTests)}.{nameof(The_hints_name_the_installed_tool_the_seed_variable_and_this_test)}\"", error.Message, StringComparison.Ordinal);
        Assert.Contains($"supervise simulate --seed {seed} --runs 1 --tree {error.Failure.ScenarioFile}", error.Message, StringComparison.Ordinal);
        Assert.Contains($"supervise replay {error.Failure.ShrunkFile}", error.Message, StringComparison.Ordinal);
        Assert.Contains("dotnet tool install --global OtpSupervision.Tool", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_async_test_is_named_in_the_hint_too()
    {
        // Checks: the test name is found through an async test method's state machine.
        using var folder = new ScratchFolder();
        await Task.Yield();
        var error = Assert.Throws<SupervisionCheckException>(() =>
            SupervisionCheck.Run(ShopTree(), rootId: "shop", runs: 2000, seed: 5, extraInvariants: [CartNeverRestarts], failureFolder: folder.Path));
        Assert.Contains($"FullyQualifiedName~{nameof(SupervisionCheckReproduceTests)}.{nameof(An_async_test_is_named_in_the_hint_too)}\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_simulate_line_regenerates_the_failing_scenario_over_the_users_tree()
    {
        // Checks: what `supervise simulate --seed S --runs 1 --tree FILE` does (load FILE's tree, run one seed with the
        // default generator) generates exactly the failing scenario and, with the same invariant, fails the same way.
        using var folder = new ScratchFolder();
        var failure = Assert.Throws<SupervisionCheckException>(() =>
            SupervisionCheck.Run(ShopTree(), rootId: "shop", runs: 2000, seed: 5, extraInvariants: [CartNeverRestarts], failureFolder: folder.Path)).Failure;
        var match = SimulateLine().Match(failure.ReplayCommands);
        Assert.True(match.Success, failure.ReplayCommands);
        var seed = ulong.Parse(match.Groups["seed"].Value, System.Globalization.CultureInfo.InvariantCulture);
        var loaded = ScenarioReader.Load(match.Groups["tree"].Value);
        var again = SimulationCampaign.Run(new SimulationOptions
        {
            Seed = seed,
            Runs = 1,
            Tree = loaded.Tree,
            RootId = loaded.RootId,
            ExtraInvariants = [CartNeverRestarts],
            FailureFolder = folder.Path,
        });
        var rerun = Assert.Single(again.Failures);
        Assert.Equal(failure.Seed, rerun.Seed);
        Assert.Equal(failure.ScenarioJson, rerun.ScenarioJson);
        Assert.Equal(failure.ShrunkJson, File.ReadAllText(failure.ShrunkFile!));
    }

    [Fact]
    public void A_tree_read_back_from_its_scenario_file_generates_the_same_schedules()
    {
        // Checks: every field of a user's tree that the generator reads survives the scenario file (shutdown kinds,
        // restart types, significance, auto_shutdown, simple_one_for_one, nesting), over 300 seeds, so --tree with the
        // saved file reproduces the user's tree and not an approximation of it.
        var tree = new SupervisorSpec(
        [
            new ChildSpec("db") { Shutdown = ShutdownPolicy.BrutalKill },
            new ChildSpec("sessions") { Restart = RestartType.Transient, Significant = true, Shutdown = ShutdownPolicy.Infinity },
            new ChildSpec("pool")
            {
                Supervisor = new SupervisorSpec([new ChildSpec("conn") { Restart = RestartType.Temporary, Shutdown = ShutdownPolicy.Timeout(300) }])
                {
                    Strategy = RestartStrategy.SimpleOneForOne,
                    Intensity = 0,
                },
            },
            new ChildSpec("inner")
            {
                Restart = RestartType.Temporary,
                Shutdown = ShutdownPolicy.Timeout(1500),
                Supervisor = new SupervisorSpec([new ChildSpec("a"), new ChildSpec("leaf") { Supervisor = new SupervisorSpec([new ChildSpec("x")]) }])
                {
                    Strategy = RestartStrategy.OneForAll,
                    PeriodSeconds = 2,
                },
            },
        ]) { Strategy = RestartStrategy.RestForOne, AutoShutdown = AutoShutdown.AnySignificant, Intensity = 7, PeriodSeconds = 30 };
        for (ulong seed = 1; seed <= 300; seed++)
        {
            var original = ScenarioGenerator.GenerateFor(tree, "app", seed);
            var readBack = ScenarioReader.Parse(original.Json, "saved.json");
            Assert.Equal(Describe(tree), Describe(readBack.Tree));
            Assert.Equal(original.Json, ScenarioGenerator.GenerateFor(readBack.Tree, readBack.RootId, seed).Json);
        }
    }

    /// <summary>Every field of a tree that decides its behaviour, one line per supervisor and child.</summary>
    private static string Describe(SupervisorSpec spec, string path = "app") =>
        $"{path}: {spec.Strategy} {spec.Intensity}/{spec.PeriodSeconds} {spec.AutoShutdown}\n" + string.Concat(spec.Children.Select(child =>
            $"{path}/{child.Id}: {child.Restart} {child.EffectiveType} {child.EffectiveShutdown} significant={child.Significant}\n" +
            (child.Supervisor is { } nested ? Describe(nested, $"{path}/{child.Id}") : string.Empty)));

    [Fact]
    public void Failure_files_go_to_the_users_folder_and_by_default_beside_the_test_assembly()
    {
        // Checks: the folder option is honoured; without it the files land under the test's output folder (or
        // SUPERVISE_FAILURES), never in the shared temp folder; the saved files hold the scenario and the shrunk one.
        using var folder = new ScratchFolder();
        var chosen = Assert.Throws<SupervisionCheckException>(() =>
            SupervisionCheck.Run(ShopTree(), rootId: "shop", runs: 2000, seed: 5, extraInvariants: [CartNeverRestarts], failureFolder: folder.Path)).Failure;
        Assert.Equal(folder.Path, Path.GetDirectoryName(chosen.ShrunkFile));
        Assert.Equal(folder.Path, Path.GetDirectoryName(chosen.ScenarioFile));
        Assert.Equal(chosen.ScenarioJson, File.ReadAllText(chosen.ScenarioFile!));
        Assert.Equal(chosen.ShrunkJson, File.ReadAllText(chosen.ShrunkFile!));
        Assert.StartsWith($"shop-seed-{chosen.Seed}-", Path.GetFileName(chosen.ShrunkFile), StringComparison.Ordinal);

        var byDefault = Assert.Throws<SupervisionCheckException>(() =>
            SupervisionCheck.Run(ShopTree(), rootId: "shop", runs: 2000, seed: 5, extraInvariants: [CartNeverRestarts])).Failure;
        var expected = FailureFiles.FolderFromEnvironment() ?? Path.Combine(AppContext.BaseDirectory, "supervise-failures");
        Assert.Equal(Path.GetFullPath(expected), Path.GetDirectoryName(byDefault.ShrunkFile));
        Assert.False(byDefault.ShrunkFile!.StartsWith(Path.GetTempPath(), StringComparison.Ordinal) && !AppContext.BaseDirectory.StartsWith(Path.GetTempPath(), StringComparison.Ordinal));
    }

    [Fact]
    public void A_random_tree_campaign_says_simulate_without_a_tree_and_replays_its_files()
    {
        // Checks: for `supervise simulate` over generated trees the hint is the plain seed (the tool generates the same
        // tree), while the saved files replay the exact run; the user-invariant note is absent for built-in invariants.
        var failure = new SimulationFailure(42, "single_incarnation", "two live", "{}", "{}", "/f/shrunk.json") { ScenarioFile = "/f/seed 42.json" };
        Assert.Equal("supervise simulate --seed 42 --runs 1\n  supervise replay '/f/seed 42.json'\n  supervise replay /f/shrunk.json", failure.ReplayCommands);
        var custom = failure with { FixedTree = true, DefaultGenerator = false };
        Assert.DoesNotContain("simulate", custom.ReplayCommands, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"supervise simulate --seed (?<seed>\d+) --runs 1 --tree (?<tree>\S+)")]
    private static partial Regex SimulateLine();
}

/// <summary>A fresh, unpredictable folder for one test, removed afterwards.</summary>
internal sealed class ScratchFolder : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("supervision-check-");

    public string Path => _directory.FullName;

    public void Dispose() => _directory.Delete(recursive: true);
}
