using System.CommandLine;
using Supervision.Simulation.Replay;
using Supervision.Simulation.Scenarios;

namespace Supervision.Cli;

/// <summary><c>supervise replay FILE.json</c>: the scenario's trace on stdout, diagnostics on stderr.</summary>
internal static class ReplayCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var file = new Argument<string>("file") { Description = "A scenario file (see docs/ and shared SCENARIO-FORMAT.md)." };
        var noReports = new Option<bool>("--no-reports") { Description = "Leave out the '# report' comment lines." };
        var runtime = new Option<bool>("--runtime") { Description = "Run it through the real async runtime (src/Runtime) on a deterministic scheduler and virtual time." };
        var command = new Command("replay", "Run a scenario on virtual time and print its trace.") { file, noReports, runtime };
        var limits = new ScenarioLimitOptions();
        limits.AddTo(command);
        command.SetAction(result => Execute(result.GetValue(file)!, !result.GetValue(noReports), result.GetValue(runtime), stdout, stderr, limits.Read(result)));
        return command;
    }

    public static int Execute(string path, bool includeReports, bool throughRuntime, TextWriter stdout, TextWriter stderr, ScenarioLimits? limits = null)
    {
        if (!TryLoad(path, stderr, out var scenario, limits))
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
            stderr.WriteLine(error.Message);
            return Program.BadInput;
        }
        stdout.Write(result.TraceText());
        stdout.Flush();
        if (result.Outcome == RunOutcome.Stuck)
        {
            stderr.WriteLine($"supervise: {path}: the tree could make no more progress before it stopped (a child that never stops under an infinity shutdown?)");
        }
        return Program.Success;
    }

    /// <summary>Loads a scenario, printing <c>file:line:column: message</c> (or the validation message) on failure.</summary>
    public static bool TryLoad(string path, TextWriter stderr, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Scenario? scenario, ScenarioLimits? limits = null)
    {
        scenario = null;
        try
        {
            scenario = ScenarioReader.Load(path, limits);
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
