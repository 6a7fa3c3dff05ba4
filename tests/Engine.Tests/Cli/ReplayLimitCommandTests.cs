using System.Text.RegularExpressions;
using Xunit;

namespace Supervision.Engine.Tests.Cli;

/// <summary><c>supervise replay</c> on input over a limit: exit 2, one line on stderr naming the limit, nothing on stdout.</summary>
public sealed class ReplayLimitCommandTests : IDisposable
{
    /// <summary>A restart loop that only the event or trace limits end.</summary>
    private const string RestartLoop = """
        {"tree": {"id": "r", "intensity": 2000000000, "period": 1, "children": [{"id": "a"}]},
         "steps": [{"at": 0, "fail_start": "r/a", "times": 2000000000, "reason": "x"}, {"at": 0, "exit": "r/a", "reason": "x"}]}
        """;

    private readonly string _folder = Directory.CreateTempSubdirectory("supervise-limits-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = Supervision.Cli.Program.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private string Write(string text)
    {
        var path = Path.Combine(_folder, "scenario.json");
        File.WriteAllText(path, text);
        return path;
    }

    [Theory]
    [InlineData("")]
    [InlineData("--runtime")]
    public void A_restart_loop_is_bad_input_that_names_the_event_limit(string runtime)
    {
        // Checks both drivers: the loop ends at --max-events 2000 with exit 2, one line on stderr, and no partial trace.
        var path = Write(RestartLoop);
        string[] args = runtime.Length == 0 ? ["replay", "--max-events", "2000", path] : ["replay", runtime, "--max-events", "2000", path];

        var (code, output, errors) = Run(args);

        Assert.Equal((2, ""), (code, output));
        Assert.Matches(new Regex($"^{Regex.Escape(path)}: limit exceeded: more than \\d+ [^\\n]*--max-events, ScenarioLimits.MaxEngineEvents\\)\\r?\\n$"), errors);
    }

    [Fact]
    public void Exploring_a_scenario_over_a_limit_is_bad_input_too()
    {
        // Checks: explore replays the scenario on the engine first; over a default limit (the trace's length or the
        // engine's events, whichever this endless restart loop reaches first) it exits 2 with the limit's one line
        // on stderr, not an unhandled exception.
        var path = Write(RestartLoop);

        var (code, _, errors) = Run("explore", path, "--iterations", "2");

        Assert.Equal(2, code);
        Assert.Matches(new Regex($"^{Regex.Escape(path)}: limit exceeded: more than \\d+ [^\\n]*ScenarioLimits.(MaxEngineEvents|MaxTraceLength)\\)\\r?\\n$"), errors);
    }

    [Fact]
    public void The_reader_limits_are_options_of_replay()
    {
        // Checks --max-steps end to end: 2 steps pass --max-steps 2, a third is refused at its line with file:line:column.
        var two = """{"tree": {"id": "r", "children": [{"id": "a"}]}, "steps": [{"at": 0, "exit": "r/a", "reason": "x"},""" + "\n"
            + """{"at": 1, "exit": "r/a", "reason": "x"}""";
        Assert.Equal(0, Run("replay", "--max-steps", "2", Write(two + "]}")).Code);

        var path = Write(two + ",\n" + """{"at": 2, "exit": "r/a", "reason": "x"}]}""");
        var (code, output, errors) = Run("replay", "--max-steps", "2", path);

        Assert.Equal((2, ""), (code, output));
        Assert.Equal($"{path}:3:1: limit exceeded: more than 2 steps (limit --max-steps, ScenarioLimits.MaxSteps)", errors.TrimEnd());
    }

    [Theory]
    [InlineData("--max-steps", "0")]
    [InlineData("--max-events", "-5")]
    [InlineData("--max-file-bytes", "lots")]
    public void A_limit_that_is_not_a_positive_number_is_a_bad_command_line(string option, string value)
    {
        // Checks that the options are validated before any file is read.
        var (code, output, errors) = Run("replay", option, value, Write(RestartLoop));
        Assert.Equal((2, ""), (code, output));
        Assert.Contains(option, errors, StringComparison.Ordinal);
    }
}
