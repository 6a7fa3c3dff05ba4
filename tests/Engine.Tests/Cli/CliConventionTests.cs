using Supervision.Cli;
using Supervision.Simulation.Checking;
using Xunit;

namespace Supervision.Engine.Tests.Cli;

/// <summary>
/// The tool follows .NET's command-line conventions: help and version on stdout with exit 0, every option
/// validated (exit 2 naming it), honest errors, no escape sequences where they do not belong.
/// </summary>
public sealed class CliConventionTests : IDisposable
{
    private readonly CliRunner _cli = new();

    public void Dispose() => _cli.Dispose();

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    [InlineData("explore --help")]
    [InlineData("simulate --help")]
    [InlineData("merge --help")]
    [InlineData("timeline --help")]
    [InlineData("--version")]
    public void Help_and_version_go_to_stdout_with_exit_0(string args)
    {
        // Checks: exit 0, the text on stdout (help names the usage; version is a version number), stderr empty.
        var (code, output, errors) = CliRunner.Run(args.Split(' '));
        Assert.Equal(0, code);
        Assert.Equal("", errors);
        Assert.Matches(args == "--version" ? @"^\d+\.\d+" : "Usage:", output);
    }

    [Theory]
    [InlineData("--runs", "simulate --runs -5")]
    [InlineData("--runs", "simulate --runs 0")]
    [InlineData("--runs", "explore --generated --runs -5")]
    [InlineData("--iterations", "explore FILE --iterations 0")]
    [InlineData("--iterations", "explore --generated --iterations -3")]
    [InlineData("--depth", "explore FILE --depth -1")]
    [InlineData("--depth", "explore FILE --depth 0")]
    [InlineData("--depth", "explore FILE --depth 100000")]
    [InlineData("--strategy", "explore FILE --strategy bogus")]
    [InlineData("--runs", "explore FILE --runs 5")]
    [InlineData("--runs", "simulate --runs lots")]
    [InlineData("--seed", "simulate --seed -1")]
    public void A_bad_option_value_is_exit_2_naming_the_option(string option, string args)
    {
        // Checks: exit 2, the option named on stderr, nothing on stdout (nothing ran).
        var file = CliRunner.Example("chat.json");
        var (code, output, errors) = CliRunner.Run(args.Replace("FILE", file, StringComparison.Ordinal).Split(' '));
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Contains(option, errors, StringComparison.Ordinal);
    }

    [Fact]
    public void Explore_needs_exactly_one_of_a_file_and_generated()
    {
        // Checks: neither and both are exit 2 with a message saying what to give.
        var neither = CliRunner.Run("explore");
        Assert.Equal(2, neither.Code);
        Assert.Contains("--generated", neither.Err, StringComparison.Ordinal);
        var both = CliRunner.Run("explore", CliRunner.Example("chat.json"), "--generated");
        Assert.Equal(2, both.Code);
        Assert.Contains("not both", both.Err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("replay")]
    [InlineData("explore")]
    public void A_folder_is_not_a_scenario_and_says_so(string command)
    {
        // Checks: a folder gets "is a folder", exit 2, and not the system's "access denied".
        var (code, output, errors) = CliRunner.Run(command, _cli.Folder);
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Contains($"{_cli.Folder}: is a folder", errors, StringComparison.Ordinal);
        Assert.DoesNotContain("denied", errors, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void An_unknown_option_is_blamed_not_the_file_after_it()
    {
        // Checks: `replay --bogus file.json` names --bogus and does not call the (valid) file unrecognised.
        var file = CliRunner.Example("chat.json");
        var (code, output, errors) = CliRunner.Run("replay", "--bogus", file);
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Contains("unknown option '--bogus'", errors, StringComparison.Ordinal);
        Assert.DoesNotContain(file, errors, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2:5", 1)]
    [InlineData("abc", 1)]
    [InlineData("3", 1)]
    [InlineData("1:0", 1)]
    [InlineData("3:-1", 1)]
    [InlineData("99999999999:1", 1)]
    [InlineData("2:1\n\nx:y", 3)]
    public void A_bad_choices_file_is_exit_2_with_file_and_line(string content, int line)
    {
        // Checks: a malformed line (or a choice outside its count) is reported as file:line, exit 2, nothing on stdout.
        var choices = _cli.Write("bad.choices", content);
        var (code, output, errors) = CliRunner.Run("explore", CliRunner.Example("chat.json"), "--replay", choices);
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.StartsWith($"supervise: {choices}:{line}: expected READY:CHOSEN", errors, StringComparison.Ordinal);
    }

    [Fact]
    public void Messages_quote_a_short_escaped_excerpt_of_a_bad_value()
    {
        // Checks: a 100,000-character choices line and strategy name, with control characters, give one short
        // diagnostic line each (escaped, cut with "...").
        var choices = _cli.Write("huge.choices", "1:\u001b[31m" + new string('9', 100_000));
        var fromFile = CliRunner.Run("explore", CliRunner.Example("chat.json"), "--replay", choices).Err;
        var fromOption = CliRunner.Run("explore", CliRunner.Example("chat.json"), "--strategy", "pct\nsupervise: forged line" + new string('x', 100_000)).Err;
        foreach (var errors in new[] { fromFile, fromOption })
        {
            Assert.True(errors.Length < 400, errors[..Math.Min(errors.Length, 400)]);
            Assert.Single(errors.TrimEnd('\n').Split('\n'));
            Assert.DoesNotContain('\u001b', errors);
            Assert.Contains("...'", errors, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_choices_file_of_another_scenario_is_exit_2()
    {
        // Checks: choices that do not fit the scenario (more items ready than recorded) are bad input, not a finding.
        var choices = _cli.Write("other.choices", string.Concat(Enumerable.Repeat("50:49\n", 20)));
        var (code, _, errors) = CliRunner.Run("explore", CliRunner.Example("chat.json"), "--replay", choices, "--race");
        Assert.Equal(2, code);
        Assert.Contains("does not fit this scenario", errors, StringComparison.Ordinal);
    }

    [Fact]
    public void Simulate_with_a_childless_tree_is_exit_2_with_a_message()
    {
        // Checks: a root without children is refused with a message saying so, instead of a crash.
        var tree = _cli.Write("empty.json", """{ "tree": { "id": "root", "children": [] }, "steps": [] }""");
        var (code, output, errors) = CliRunner.Run("simulate", "--tree", tree, "--runs", "3");
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Contains("has no children", errors, StringComparison.Ordinal);
    }

    [Fact]
    public void Simulate_with_a_tree_finds_nothing_and_reports_the_coverage()
    {
        // Checks: a bundled example's tree, 20 seeds: exit 0, the totals line and the coverage table on stdout.
        var (code, output, errors) = CliRunner.Run("simulate", "--tree", CliRunner.Example("chat.json"), "--runs", "20", "--out", _cli.Path("f"));
        Assert.True(code == 0, errors + output);
        Assert.Contains("20 scenarios of seeds 1..20", output, StringComparison.Ordinal);
        Assert.Contains("strategy: ", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Reproduce_commands_name_the_installed_tool()
    {
        // Checks: a simulate failure's commands start with `supervise` (no `dotnet run --project src/Cli`) and
        // rerun the seed with the same --tree.
        var failure = new SimulationFailure(42, "restart-order", "wrong order", "{}", "{}", "out/seed-42-shrunk.json");
        var described = SimulateCommand.Describe(failure, new SimulationOptions { FailureFolder = _cli.Folder }, "my tree.json");
        Assert.Equal(
            [
                "supervise replay out/seed-42-shrunk.json", "supervise simulate --seed 42 --runs 1 --tree 'my tree.json'",
                "supervise timeline out/seed-42-shrunk.json --out out/seed-42-shrunk.html",
            ], described.Commands);
    }
}
