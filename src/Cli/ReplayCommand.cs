using System.CommandLine;
using System.Diagnostics.CodeAnalysis;
using Supervision.Simulation.Replay;
using Supervision.Simulation.Scenarios;

namespace Supervision.Cli;

/// <summary><c>supervise replay FILE.json</c>: the scenario's trace on stdout, diagnostics on stderr.</summary>
internal static class ReplayCommand
{
    public static Command Create(CliConsole console)
    {
        var file = CliOptions.File("A scenario file (format: docs/SCENARIO-FORMAT.md).");
        var noReports = new Option<bool>("--no-reports") { Description = "Leave out the '# report' comment lines." };
        var runtime = new Option<bool>("--runtime") { Description = "Run it through the real async runtime (src/Runtime) on a deterministic scheduler and virtual time." };
        var command = new Command("replay", "Run a scenario on virtual time and print its trace.") { file, noReports, runtime };
        var limits = new ScenarioLimitOptions();
        limits.AddTo(command);
        command.SetAction(result => Execute(result.GetValue(file)!, !result.GetValue(noReports), result.GetValue(runtime), console, limits.Read(result)));
        return command;
    }

    public static int Execute(string path, bool includeReports, bool throughRuntime, CliConsole console, ScenarioLimits? limits = null)
    {
        if (!TryLoad(path, console, out var scenario, limits))
        {
            return Program.BadInput;
        }
        SimulationResult result;
        try
        {
            result = throughRuntime
                ? Supervision.Simulation.RuntimeReplay.RuntimeScenarioRunner.Run(scenario, includeReports)
                : ScenarioSimulator.Run(scenario, includeReports);
        }
        catch (ScenarioLimitExceededException error)
        {
            // Bad input like a malformed file: the message names the limit, and no partial trace is printed.
            console.Err.WriteLine(error.Message);
            return Program.BadInput;
        }
        console.Out.Write(result.TraceText());
        console.Out.Flush();
        if (result.Outcome == RunOutcome.Stuck)
        {
            console.Error($"{path}: the tree could make no more progress before it stopped (a child that never stops under an infinity shutdown?)");
        }
        return Program.Success;
    }

    /// <summary>
    /// True when <paramref name="path"/> names a file that exists; otherwise says plainly what it is instead
    /// (missing, a folder) rather than passing on the system's "access denied" for a folder.
    /// </summary>
    public static bool CheckReadable(string path, string what, CliConsole console)
    {
        if (Directory.Exists(path))
        {
            console.Error($"{path}: is a folder, not {what}");
            return false;
        }
        if (!File.Exists(path))
        {
            console.Error($"{path}: no such file (expected {what})");
            return false;
        }
        return true;
    }

    /// <summary>Loads a scenario, printing <c>file:line:column: message</c> (or the validation message) on failure.</summary>
    public static bool TryLoad(string path, CliConsole console, [NotNullWhen(true)] out Scenario? scenario, ScenarioLimits? limits = null)
    {
        scenario = null;
        if (!CheckReadable(path, "a scenario file (.json)", console))
        {
            return false;
        }
        try
        {
            scenario = ScenarioReader.Load(path, limits);
            return true;
        }
        catch (ScenarioFormatException error)
        {
            console.Err.WriteLine(error.Message);
        }
        catch (Exception error) when (error is ArgumentException or IOException or UnauthorizedAccessException)
        {
            console.Err.WriteLine($"{path}: {error.Message}");
        }
        return false;
    }
}
