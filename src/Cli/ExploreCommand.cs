using System.CommandLine;
using System.Globalization;
using Supervision.Simulation.Checking;
using Supervision.Simulation.Exploration;
using Supervision.Simulation.Replay;
using Supervision.Simulation.Scenarios;

namespace Supervision.Cli;

/// <summary>
/// <c>supervise explore FILE.json [--strategy S] [--iterations N] [--seed S]</c>: runs the scenario through the
/// real runtime under many interleavings; <c>supervise explore FILE.json --replay CHOICES</c> reruns one exactly;
/// <c>supervise explore --generated --runs N [--seed S] [--shard K/N]</c> explores generated scenarios.
/// </summary>
internal static class ExploreCommand
{
    /// <summary>The per-scenario budget of a single file (a generated campaign uses <see cref="ExplorationCampaignOptions.DefaultIterations"/>).</summary>
    private const int FileIterations = 1000;

    /// <summary>Below this many iterations the schedule count says little.</summary>
    private const int FewSchedulesMinimumRuns = 20;

    public static Command Create(CliConsole console)
    {
        var options = new ExploreOptions();
        var command = new Command("explore", "Explore the real runtime's interleavings of a scenario (or of generated scenarios) with a controlled scheduler.");
        options.AddTo(command);
        command.SetAction(result =>
        {
            if (options.Check(result) is { } problem)
            {
                console.Error(problem);
                return Program.BadInput;
            }
            try
            {
                return result.GetValue(options.Generated)
                    ? ExploreGenerated.Run(options, result, console)
                    : RunFile(options, result, console);
            }
            catch (ScenarioLimitExceededException error)
            {
                // A scenario over a limit is bad input, as in replay: the message names the limit.
                console.Err.WriteLine(error.Message);
                return Program.BadInput;
            }
        });
        return command;
    }

    private static int RunFile(ExploreOptions options, ParseResult result, CliConsole console)
    {
        var path = result.GetValue(options.File)!;
        if (!ReplayCommand.TryLoad(path, console, out var scenario))
        {
            return Program.BadInput;
        }
        var race = result.GetValue(options.Race);
        var asyncStarts = result.GetValue(options.AsyncStarts);
        if (result.GetValue(options.Replay) is { } choicesFile)
        {
            return Replay(scenario, choicesFile, race, asyncStarts, console);
        }
        var seed = result.GetValue(options.Seed) ?? 1;
        var name = result.GetValue(options.Strategy)!;
        var strategy = ExplorationStrategies.Create(name, seed, result.GetValue(options.Depth));
        var iterations = result.GetValue(options.Iterations) ?? FileIterations;
        ExplorationReport report;
        using (var bar = new ProgressBar(console, $"exploring {Path.GetFileName(path)} with {strategy.Name}", "interleavings"))
        {
            report = Explorer.Explore(scenario, strategy, iterations, stopAtFirstFailure: false,
                progress: done => bar.Report(new CampaignProgress(done, iterations, -1)), race: race, asyncStarts: asyncStarts);
        }
        console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"explored {report.Iterations} interleavings of {path} with {report.Strategy} (seed {seed}) in {report.Elapsed.TotalSeconds:0.00} s: {report.IterationsPerSecond:0} per second; distinct schedules: {report.DistinctSchedules}"));
        WarnIfFewSchedules(console, name, report.Iterations, report.DistinctSchedules);
        if (report.Failures.Count == 0)
        {
            console.Out.WriteLine(console.OnOut("no failures", CliConsole.Colour.Green));
            return Program.Success;
        }
        var folder = result.GetValue(options.Output) ?? ".";
        Directory.CreateDirectory(folder);
        foreach (var failure in report.Failures.Take(10))
        {
            var choices = Path.Combine(folder, $"{Path.GetFileNameWithoutExtension(path)}-{failure.Iteration}.choices");
            ChoicesFile.Write(choices, failure.Choices);
            console.Out.WriteLine(console.OnOut($"FAILED iteration {failure.Iteration} ({failure.Check}): {failure.Message}", CliConsole.Colour.Red));
            console.Out.WriteLine($"  seed {seed}, strategy {report.Strategy}; replay: {SuperviseCommandLine.Of(["explore", path, "--replay", choices, .. SuperviseCommandLine.ModeFlags(race, asyncStarts)])}");
        }
        console.Out.WriteLine($"{report.Failures.Count} failing iterations");
        var firstChoices = Path.Combine(folder, $"{Path.GetFileNameWithoutExtension(path)}-{report.Failures[0].Iteration}.choices");
        console.Out.WriteLine($"  the first failing run as a picture: {SuperviseCommandLine.Timeline(path, firstChoices, race, asyncStarts)}");
        return Program.CheckFailed;
    }

    /// <summary>
    /// Warns when most runs repeated a schedule already seen: the exploration then says less than its run
    /// count suggests (PCT with asynchronous starts on a small tree can explore one schedule in 300 runs).
    /// </summary>
    public static void WarnIfFewSchedules(CliConsole console, string strategy, long runs, long distinct)
    {
        if (strategy == "dfs" || runs < FewSchedulesMinimumRuns || distinct * 10 > runs)
        {
            return;
        }
        var alternatives = strategy == "pct"
            ? "--strategy random or --strategy dfs (exhaustive for small scenarios)"
            : "--strategy dfs (exhaustive for small scenarios) or --strategy pct";
        console.Warn(string.Create(CultureInfo.InvariantCulture,
            $"only {distinct} distinct schedule{(distinct == 1 ? "" : "s")} in {runs} runs: the scenario offers few choices in this mode or {strategy} keeps repeating itself; try {alternatives}, or --race"));
    }

    /// <summary>Reads a saved choices file, or says on stderr why it cannot (then the caller exits 2).</summary>
    public static bool TryReadChoices(string choicesFile, CliConsole console, out List<ScheduleChoice> choices)
    {
        choices = [];
        if (!ReplayCommand.CheckReadable(choicesFile, "a choices file", console))
        {
            return false;
        }
        try
        {
            choices = ChoicesFile.Read(choicesFile);
            return true;
        }
        catch (ChoicesFormatException error)
        {
            console.Error(error.Message);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            console.Error($"{choicesFile}: {error.Message}");
        }
        return false;
    }

    /// <summary>The message for a choices file that does not fit the scenario or mode it is replayed with.</summary>
    public static string DoesNotFit(string choicesFile, string message) =>
        $"{choicesFile}: does not fit this scenario in this mode ({message}); was it recorded with other --race/--async-starts flags or another scenario?";

    private static int Replay(Scenario scenario, string choicesFile, bool race, bool asyncStarts, CliConsole console)
    {
        if (!TryReadChoices(choicesFile, console, out var choices))
        {
            return Program.BadInput;
        }
        var strategy = new ReplayStrategy(choices);
        strategy.BeginIteration(0);
        var scheduler = new ControlledScheduler(strategy);
        var expected = Explorer.Canonical(ScenarioSimulator.Run(scenario, includeReports: false));
        var failure = Explorer.RunOnce(scenario, scheduler, race ? null : expected, 0, asyncStarts: asyncStarts);
        if (failure is null)
        {
            console.Out.WriteLine("replayed: no failure");
            return Program.Success;
        }
        if (failure.Check == "runtime-error" && failure.Message.StartsWith("nondeterminism detected", StringComparison.Ordinal))
        {
            console.Error(DoesNotFit(choicesFile, failure.Message));
            return Program.BadInput;
        }
        console.Out.Write(failure.Trace);
        console.Out.WriteLine(console.OnOut($"FAILED ({failure.Check}): {failure.Message}", CliConsole.Colour.Red));
        return Program.CheckFailed;
    }
}
