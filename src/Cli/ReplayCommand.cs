using System.CommandLine;
using Supervision.Simulation.Replay;
using Supervision.Simulation.Scenarios;

namespace Supervision.Cli;

/// <summary><c>supervise replay FILE.json</c>: the scenario's trace on stdout, diagnostics on stderr.</summary>
internal static class ReplayCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var file = new Argument<string>("file") { Description = "A scenario file (format: docs/SCENARIO-FORMAT.md)." };
        var noReports = new Option<bool>("--no-reports") { Description = "Leave out the '# report' comment lines." };
        var runtime = new Option<bool>("--runtime") { Description = "Run it through the real async runtime (src/Runtime) on a deterministic scheduler and virtual time." };
        var command = new Command("replay", "Run a scenario on virtual time and print its trace.") { file, noReports, runtime };
        command.SetAction(result => Execute(result.GetValue(file)!, !result.GetValue(noReports), result.GetValue(runtime), stdout, stderr));
        return command;
    }

    public static int Execute(string path, bool includeReports, bool throughRuntime, TextWriter stdout, TextWriter stderr)
    {
        if (!TryLoad(path, stderr, out var scenario))
        {
            return Program.BadInput;
        }
        var result = throughRuntime
            ? Supervision.Simulation.RuntimeReplay.RuntimeScenarioRunner.Run(scenario, includeReports)
            : ScenarioSimulator.Run(scenario, includeReports);
        stdout.Write(result.TraceText());
        stdout.Flush();
        if (result.Outcome == RunOutcome.Stuck)
        {
            stderr.WriteLine($"supervise: {path}: the tree could make no more progress before it stopped (a child that never stops under an infinity shutdown?)");
        }
        return Program.Success;
    }

    /// <summary>Loads a scenario, printing <c>file:line:column: message</c> (or the validation message) on failure.</summary>
    public static bool TryLoad(string path, TextWriter stderr, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Scenario? scenario)
    {
        scenario = null;
        try
        {
            scenario = ScenarioReader.Load(path);
            return true;
        }
        catch (ScenarioFormatException error)
        {
            stderr.WriteLine(error.Message);
        }
        catch (ArgumentException error)
        {
            stderr.WriteLine($"{path}: {error.Message}");
        }
        catch (IOException error)
        {
            stderr.WriteLine($"{path}: {error.Message}");
        }
        catch (UnauthorizedAccessException error)
        {
            stderr.WriteLine($"{path}: {error.Message}");
        }
        return false;
    }
}
