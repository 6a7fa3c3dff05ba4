using System.Text.RegularExpressions;
using Xunit;

namespace Supervision.Engine.Tests.Cli;

/// <summary><c>supervise replay</c>: trace on stdout and exit 0; bad input on stderr with exit 2 and nothing on stdout.</summary>
public sealed class ReplayCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("supervise-cli-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private (int Code, string Out, string Err) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = Supervision.Cli.Program.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void A_valid_scenario_prints_its_trace_and_exits_0()
    {
        // Checks: exit 0, the trace on stdout (starting with the children's starts), nothing on stderr.
        var path = Write("ok.json", """{ "tree": { "id": "root", "children": [ { "id": "a" } ] }, "steps": [] }""");
        var (code, output, errors) = Run("replay", path);
        Assert.Equal(0, code);
        Assert.Equal("0 start root/a\n0 start root\n0 stop root/a shutdown\n0 stop root shutdown\n", output);
        Assert.Equal("", errors);
    }

    [Fact]
    public void Malformed_json_gets_file_line_column_and_exit_2_with_nothing_on_stdout()
    {
        // Checks: a missing comma on line 3 is reported as file:3:column, exit 2, empty stdout.
        var path = Write("bad.json", "{\n  \"tree\": { \"id\": \"root\", \"children\": [] }\n  \"steps\": []\n}\n");
        var (code, output, errors) = Run("replay", path);
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Matches(new Regex($"^{Regex.Escape(path)}:3:\\d+: "), errors);
    }

    [Fact]
    public void An_invalid_tree_gets_the_validation_message_and_exit_2()
    {
        // Checks: duplicate sibling ids are refused with a message naming the id; nothing on stdout.
        var path = Write("dup.json", """{ "tree": { "id": "root", "children": [ { "id": "a" }, { "id": "a" } ] }, "steps": [] }""");
        var (code, output, errors) = Run("replay", path);
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Contains("a", errors);
        Assert.Contains(path, errors);
    }

    [Fact]
    public void An_unknown_step_kind_and_a_missing_file_are_bad_input()
    {
        // Checks: exit 2 for a step kind the format does not know, and for a file that does not exist.
        var path = Write("step.json", """{ "tree": { "id": "root", "children": [ { "id": "a" } ] }, "steps": [ { "at": 0, "explode": "root/a" } ] }""");
        Assert.Equal(2, Run("replay", path).Code);
        var missing = Run("replay", Path.Combine(_folder, "missing.json"));
        Assert.Equal(2, missing.Code);
        Assert.Equal("", missing.Out);
    }

    [Fact]
    public void The_same_scenario_replays_to_the_same_bytes()
    {
        // Checks: determinism of replay across runs in one process.
        var path = Path.Combine(AppContext.BaseDirectory, "Scenarios", "otp13", "15-sibling-dies-during-group-termination.json");
        if (!File.Exists(path))
        {
            path = Directory.EnumerateFiles(Path.Combine(AppContext.BaseDirectory, "Scenarios"), "*.json", SearchOption.AllDirectories).First();
        }
        Assert.Equal(Run("replay", path).Out, Run("replay", path).Out);
    }
}
