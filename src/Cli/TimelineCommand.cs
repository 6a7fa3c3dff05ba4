using System.CommandLine;
using System.Globalization;
using Supervision.Simulation.Checking;
using Supervision.Simulation.Replay;
using Supervision.Simulation.Scenarios;
using Supervision.Simulation.Timeline;

namespace Supervision.Cli;

/// <summary>
/// <c>supervise timeline FILE.json [--out FILE.html] [--runtime]</c>: runs the scenario (a shrunk failure file is
/// one too) and writes a picture of the run as one self-contained HTML file.
/// </summary>
internal static class TimelineCommand
{
    public static Command Create(CliConsole console)
    {
        var file = CliOptions.File("A scenario file (format: docs/SCENARIO-FORMAT.md), for example a shrunk failure from simulate or explore.");
        var output = new Option<string?>("--out", "-o")
        {
            Description = "The HTML file to write (default: the scenario's name with .html); '-' writes it to stdout.",
            HelpName = "FILE",
        };
        var runtime = new Option<bool>("--runtime") { Description = "Run it through the real async runtime (src/Runtime) on a deterministic scheduler and virtual time." };
        var command = new Command("timeline", "Draw a run as one self-contained HTML page: a lane per child over virtual time, restarts grouped by strategy, intensity budgets, give-ups.")
        {
            file, output, runtime,
        };
        var limits = new ScenarioLimitOptions();
        limits.AddTo(command);
        command.SetAction(result => Execute(result.GetValue(file)!, result.GetValue(output), result.GetValue(runtime), console, limits.Read(result)));
        return command;
    }

    public static int Execute(string path, string? output, bool throughRuntime, CliConsole console, ScenarioLimits? limits = null)
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
        string html;
        try
        {
            html = TimelineDocument.Render(scenario, throughRuntime);
        }
        catch (ScenarioLimitExceededException error)
        {
            console.Err.WriteLine(error.Message);
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
