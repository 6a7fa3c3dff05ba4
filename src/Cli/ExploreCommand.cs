using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using Supervision.Simulation.Exploration;
using Supervision.Simulation.Replay;

namespace Supervision.Cli;

/// <summary>
/// <c>supervise explore FILE.json --strategy pct --iterations N [--seed S]</c>: runs the scenario through the
/// real runtime under many interleavings; <c>supervise explore FILE.json --replay CHOICES</c> reruns one exactly.
/// </summary>
internal static class ExploreCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var file = new Argument<string>("file") { Description = "A scenario file." };
        var strategy = new Option<string>("--strategy") { Description = "random, pct or dfs.", DefaultValueFactory = _ => "pct" };
        var iterations = new Option<int>("--iterations") { Description = "Iteration budget.", DefaultValueFactory = _ => 1000 };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the strategy's randomness.", DefaultValueFactory = _ => 1 };
        var depth = new Option<int>("--depth") { Description = "PCT bug depth (change points + 1); DFS preemption bound.", DefaultValueFactory = _ => 3 };
        var replay = new Option<string?>("--replay") { Description = "A saved choices file: rerun that one schedule exactly and print its trace." };
        var race = new Option<bool>("--race") { Description = "Apply steps that share an instant concurrently (explores their races; judged by invariants)." };
        var asyncStarts = new Option<bool>("--async-starts") { Description = "Every child's start waits once, so the runtime's asynchronous start path is explored (starts otherwise complete on the supervisor's loop)." };
        var output = new Option<string>("--out") { Description = "Folder for the choices files of failing runs.", DefaultValueFactory = _ => "." };
        var command = new Command("explore", "Explore the real runtime's interleavings of a scenario with a controlled scheduler.")
        {
            file, strategy, iterations, seed, depth, replay, output, race, asyncStarts,
        };
        command.SetAction(result =>
        {
            var path = result.GetValue(file)!;
            if (!ReplayCommand.TryLoad(path, stderr, out var scenario))
            {
                return Program.BadInput;
            }
            if (result.GetValue(replay) is { } choicesFile)
            {
                return Replay(scenario, choicesFile, result.GetValue(race), result.GetValue(asyncStarts), stdout, stderr);
            }
            SchedulingStrategy? chosen = result.GetValue(strategy) switch
            {
                "random" => new RandomStrategy(result.GetValue(seed)),
                "pct" => new PctStrategy(result.GetValue(seed), result.GetValue(depth)),
                "dfs" => new BoundedDfsStrategy(result.GetValue(depth)),
                _ => null,
            };
            if (chosen is null)
            {
                stderr.WriteLine($"supervise: unknown strategy '{result.GetValue(strategy)}' (random, pct or dfs)");
                return Program.BadInput;
            }
            return Explore(path, scenario, chosen, result.GetValue(iterations), result.GetValue(seed), result.GetValue(output)!, result.GetValue(race), result.GetValue(asyncStarts), stdout, stderr);
        });
        return command;
    }

    private static int Explore(string path, Simulation.Scenarios.Scenario scenario, SchedulingStrategy strategy, int iterations, ulong seed, string outputFolder, bool race, bool asyncStarts, TextWriter stdout, TextWriter stderr)
    {
        ExplorationReport? report = null;
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(stderr) });
        console.Progress().Start(progress =>
        {
            var task = progress.AddTask($"exploring {Path.GetFileName(path)} with {strategy.Name}", maxValue: iterations);
            report = Explorer.Explore(scenario, strategy, iterations, stopAtFirstFailure: false, progress: done => task.Value = done, race: race, asyncStarts: asyncStarts);
            task.Value = iterations;
        });
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"explored {report!.Iterations} interleavings of {path} with {report.Strategy} (seed {seed}) in {report.Elapsed.TotalSeconds:0.00} s: {report.IterationsPerSecond:0} per second; distinct schedules: {report.DistinctSchedules}"));
        if (report.Failures.Count == 0)
        {
            stdout.WriteLine("no failures");
            return Program.Success;
        }
        Directory.CreateDirectory(outputFolder);
        foreach (var failure in report.Failures.Take(10))
        {
            var choicesFile = Path.Combine(outputFolder, $"{Path.GetFileNameWithoutExtension(path)}-{failure.Iteration}.choices");
            File.WriteAllLines(choicesFile, failure.Choices.Select(c => $"{c.ReadyCount}:{c.Chosen}"));
            stdout.WriteLine($"FAILED iteration {failure.Iteration} ({failure.Check}): {failure.Message}");
            stdout.WriteLine($"  seed {seed}, strategy {report.Strategy}; replay: dotnet run --project src/Cli -- explore {path} --replay {choicesFile}{(race ? " --race" : "")}{(asyncStarts ? " --async-starts" : "")}");
        }
        stdout.WriteLine($"{report.Failures.Count} failing iterations");
        return Program.CheckFailed;
    }

    private static int Replay(Simulation.Scenarios.Scenario scenario, string choicesFile, bool race, bool asyncStarts, TextWriter stdout, TextWriter stderr)
    {
        List<ScheduleChoice> choices;
        try
        {
            choices = File.ReadAllLines(choicesFile).Where(l => l.Length > 0).Select(Parse).ToList();
        }
        catch (Exception error) when (error is IOException or FormatException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"{choicesFile}: {error.Message}");
            return Program.BadInput;
        }
        var strategy = new ReplayStrategy(choices);
        strategy.BeginIteration(0);
        var scheduler = new ControlledScheduler(strategy);
        var expected = Explorer.Canonical(ScenarioSimulator.Run(scenario, includeReports: false));
        var failure = Explorer.RunOnce(scenario, scheduler, race ? null : expected, 0, asyncStarts: asyncStarts);
        if (failure is null)
        {
            stdout.WriteLine("replayed: no failure");
            return Program.Success;
        }
        stdout.Write(failure.Trace);
        stdout.WriteLine($"FAILED ({failure.Check}): {failure.Message}");
        return Program.CheckFailed;

        static ScheduleChoice Parse(string line)
        {
            var parts = line.Split(':');
            return new ScheduleChoice(int.Parse(parts[0], CultureInfo.InvariantCulture), int.Parse(parts[1], CultureInfo.InvariantCulture));
        }
    }
}
