using System.CommandLine;
using System.Globalization;
using Supervision.Simulation.Checking;
using Supervision.Simulation.Exploration;
using Supervision.Simulation.Replay;
using Supervision.Simulation.RuntimeReplay;
using Supervision.Simulation.Scenarios;
using Supervision.Simulation.Timeline;

namespace Supervision.Cli;

/// <summary>
/// <c>supervise timeline FILE.json [--out FILE.html] [--runtime | --replay CHOICES [--race] [--async-starts]]</c>:
/// runs the scenario (a shrunk failure file is one too; with <c>--replay</c>, the runtime under the saved schedule
/// of an <c>explore</c> failure) and writes a picture of the run as one self-contained HTML file.
/// </summary>
internal static class TimelineCommand
{
    /// <summary>How the scenario is run: the engine, the runtime, or the runtime under a saved schedule.</summary>
    internal sealed record RunMode(bool Runtime, string? Choices, bool Race, bool AsyncStarts);

    public static Command Create(CliConsole console)
    {
        var file = CliOptions.File("A scenario file (format: docs/SCENARIO-FORMAT.md), for example a shrunk failure from simulate or explore.");
        var output = new Option<string?>("--out", "-o")
        {
            Description = "The HTML file to write (default: the scenario's name with .html); '-' writes it to stdout.",
            HelpName = "FILE",
        };
        var runtime = new Option<bool>("--runtime") { Description = "Run it through the real async runtime (src/Runtime) on a deterministic scheduler and virtual time." };
        var replay = new Option<string?>("--replay") { Description = "A choices file saved by explore: draw the runtime's run under that schedule (implies --runtime).", HelpName = "CHOICES" };
        var race = new Option<bool>("--race") { Description = "With --replay: the schedule was recorded with explore --race." };
        var asyncStarts = new Option<bool>("--async-starts") { Description = "With --replay: the schedule was recorded with explore --async-starts." };
        var command = new Command("timeline", "Draw a run as one self-contained HTML page: a lane per child over virtual time, restarts grouped by strategy, intensity budgets, give-ups.")
        {
            file, output, runtime, replay, race, asyncStarts,
        };
        var limits = new ScenarioLimitOptions();
        limits.AddTo(command);
        command.SetAction(result =>
        {
            var mode = new RunMode(result.GetValue(runtime), result.GetValue(replay), result.GetValue(race), result.GetValue(asyncStarts));
            if (mode.Choices is null && (mode.Race || mode.AsyncStarts))
            {
                console.Error($"timeline: {(mode.Race ? "--race" : "--async-starts")} goes with --replay CHOICES (the mode the schedule was recorded in)");
                return Program.BadInput;
            }
            return Execute(result.GetValue(file)!, result.GetValue(output), mode, console, limits.Read(result));
        });
        return command;
    }

    public static int Execute(string path, string? output, RunMode mode, CliConsole console, ScenarioLimits? limits = null)
    {
        var target = output ?? Path.ChangeExtension(path, ".html");
        if (target != "-" && CheckTarget(target, path) is { } problem)
        {
            console.Error(problem);
            return Program.BadInput;
        }
        if (!ReplayCommand.TryLoad(path, console, out var scenario, limits))
        {
            return Program.BadInput;
        }
        var choices = new List<ScheduleChoice>();
        if (mode.Choices is { } choicesFile && !ExploreCommand.TryReadChoices(choicesFile, console, out choices))
        {
            return Program.BadInput;
        }
        string html;
        try
        {
            html = mode.Choices is null ? TimelineDocument.Render(scenario, mode.Runtime) : RenderSchedule(scenario, choices, mode);
        }
        catch (ScenarioLimitExceededException error)
        {
            console.Err.WriteLine(error.Message);
            return Program.BadInput;
        }
        catch (InvalidOperationException error) when (mode.Choices is not null && error.Message.StartsWith("nondeterminism detected", StringComparison.Ordinal))
        {
            console.Error(ExploreCommand.DoesNotFit(mode.Choices, error.Message));
            return Program.BadInput;
        }
        if (target == "-")
        {
            console.Out.Write(html);
            console.Out.Flush();
            return Program.Success;
        }
        try
        {
            // Written aside and moved into place: a browser refreshing the page never reads half a file.
            var partial = $"{target}.{Guid.NewGuid():N}.partial";
            File.WriteAllText(partial, html);
            File.Move(partial, target, overwrite: true);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            console.Error($"--out {TextExcerpt.Of(target, 120)}: cannot write the timeline: {error.Message}");
            return Program.BadInput;
        }
        console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"wrote {target} ({(html.Length + 1023) / 1024} KiB); open it in a browser"));
        return Program.Success;
    }

    /// <summary>The runtime's run under a saved schedule, as <c>explore --replay</c> reruns it, with the reports the picture needs.</summary>
    private static string RenderSchedule(Scenario scenario, List<ScheduleChoice> choices, RunMode mode)
    {
        var strategy = new ReplayStrategy(choices);
        strategy.BeginIteration(0);
        // As Explorer.RunOnce sets them: the report lines print no extra step, so the recorded choices fit this run too.
        var scheduler = new ControlledScheduler(strategy) { SameInstantTimersRace = mode.Race };
        var result = RuntimeScenarioRunner.Run(scenario, scheduler, includeReports: true, configure: null, raceSameInstantSteps: mode.Race, mode.AsyncStarts);
        var flags = string.Concat(SuperviseCommandLine.ModeFlags(mode.Race, mode.AsyncStarts).Select(flag => " " + flag));
        return TimelineDocument.Render(scenario, result, $"async runtime, schedule {Path.GetFileName(mode.Choices)}{flags}");
    }

    /// <summary>Why the timeline cannot be written to <paramref name="target"/>, or null when it can be tried.</summary>
    private static string? CheckTarget(string target, string scenario)
    {
        var shown = TextExcerpt.Of(target, 120);
        if (Directory.Exists(target) || target.EndsWith('/') || target.EndsWith(Path.DirectorySeparatorChar))
        {
            return $"--out {shown}: is a folder; give a file name such as run.html";
        }
        var folder = Path.GetDirectoryName(Path.GetFullPath(target));
        if (folder is null || !Directory.Exists(folder))
        {
            return $"--out {shown}: its folder does not exist";
        }
        if (string.Equals(Path.GetFullPath(target), Path.GetFullPath(scenario), StringComparison.Ordinal))
        {
            return $"--out {shown}: is the scenario file itself; give another name";
        }
        return null;
    }
}
