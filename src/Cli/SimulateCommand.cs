using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using Supervision.Simulation.Checking;

namespace Supervision.Cli;

/// <summary><c>supervise simulate [--seed S] [--runs N] [--tree FILE]</c>: generated crash schedules checked against OTP's invariants.</summary>
internal static class SimulateCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var seed = new Option<ulong?>("--seed") { Description = "First seed (run i uses seed + i). Default: SUPERVISE_SEED, else 1." };
        var runs = new Option<int>("--runs") { Description = "Scenarios to generate and check.", DefaultValueFactory = _ => 1000 };
        var tree = new Option<string?>("--tree") { Description = "A scenario file whose tree to use (its steps are ignored); default: a new tree per seed." };
        var output = new Option<string?>("--out") { Description = "Folder for failing scenarios, as generated and shrunk (default: SUPERVISE_FAILURES, else ./supervision-failures)." };
        var first = new Option<bool>("--stop-at-first-failure") { Description = "Stop at the first failing seed." };
        var command = new Command("simulate", "Generate crash schedules from seeds, replay them, and check OTP's invariants after every event.")
        {
            seed, runs, tree, output, first,
        };
        command.SetAction(result =>
        {
            var options = new SimulationOptions
            {
                Seed = result.GetValue(seed) ?? SimulationOptions.SeedFromEnvironment() ?? 1,
                Runs = result.GetValue(runs),
                FailureFolder = result.GetValue(output),
                StopAtFirstFailure = result.GetValue(first),
            };
            if (result.GetValue(tree) is { } treeFile)
            {
                if (!ReplayCommand.TryLoad(treeFile, stderr, out var scenario))
                {
                    return Program.BadInput;
                }
                options = options with { Tree = scenario.Tree, RootId = scenario.RootId };
            }
            return Run(options, stdout, stderr);
        });
        return command;
    }

    private static int Run(SimulationOptions options, TextWriter stdout, TextWriter stderr)
    {
        SimulationReport? report = null;
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(stderr) });
        console.Progress().Start(progress =>
        {
            var task = progress.AddTask($"simulating from seed {options.Seed}", maxValue: options.Runs);
            report = SimulationCampaign.Run(options with { Progress = done => task.Value = done });
        });
        var summary = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(stdout), ColorSystem = ColorSystemSupport.NoColors, Interactive = InteractionSupport.No });
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{report!.Scenarios} scenarios from seed {options.Seed} in {report.Elapsed.TotalSeconds:0.00} s: {report.ScenariosPerSecond:0} scenarios/s, {report.EngineEvents} engine events ({report.EventsPerSecond:0} events/s)"));
        var table = new Table().AddColumn("exercised (strategies and restart types: supervisors and children seen; others: scenarios)").AddColumn(new TableColumn("count").RightAligned());
        foreach (var (what, count) in report.Coverage)
        {
            table.AddRow(Markup.Escape(what), count.ToString(CultureInfo.InvariantCulture));
        }
        stdout.Flush();
        summary.Write(table);
        if (report.Failures.Count == 0)
        {
            summary.WriteLine("no invariant failed");
            return Program.Success;
        }
        foreach (var failure in report.Failures)
        {
            stdout.WriteLine($"FAILED {failure}");
            stdout.WriteLine($"  shrunk from size {ScenarioShrinker.Size(failure.ScenarioJson)} to {ScenarioShrinker.Size(failure.ShrunkJson)} (steps + children)");
        }
        stdout.WriteLine($"{report.Failures.Count} failing seeds");
        return Program.CheckFailed;
    }
}
