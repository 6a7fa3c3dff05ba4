using Supervision.Simulation.Checking;
using Supervision.Simulation.Exploration;
using Supervision.Simulation.RuntimeReplay;
using Supervision.Simulation.Scenarios;
using Supervision.Engine.Tests.Timeline;
using Xunit;

namespace Supervision.Engine.Tests.Cli;

/// <summary>
/// <c>supervise timeline FILE.json --out run.html</c>: writes one page and says where; bad input is exit 2 on
/// stderr with nothing written.
/// </summary>
public sealed class TimelineCommandTests : IDisposable
{
    private readonly CliRunner _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public void Writes_the_page_and_names_it_on_stdout()
    {
        // Checks: exit 0, stderr empty, stdout names the file, the file is an HTML page of this scenario run on the engine.
        var html = _cli.Path("chat.html");
        var (code, output, errors) = CliRunner.Run("timeline", CliRunner.Example("chat.json"), "--out", html);
        Assert.True(code == 0, errors);
        Assert.Equal("", errors);
        Assert.StartsWith($"wrote {html} (", output, StringComparison.Ordinal);
        var page = File.ReadAllText(html);
        Assert.StartsWith("<!DOCTYPE html>", page, StringComparison.Ordinal);
        Assert.Contains("run on the engine", page, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(_cli.Folder, "*.partial"));
    }

    [Fact]
    public void Runtime_draws_the_run_of_the_async_runtime()
    {
        // Checks: with --runtime the page says it was run on the async runtime, and '-' sends the page to stdout.
        var (code, output, errors) = CliRunner.Run("timeline", CliRunner.Example("gameserver.json"), "--runtime", "--out", "-");
        Assert.True(code == 0, errors);
        Assert.StartsWith("<!DOCTYPE html>", output, StringComparison.Ordinal);
        Assert.Contains("run on the async runtime", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Replay_draws_the_runtime_under_a_saved_schedule()
    {
        // Checks: a schedule recorded as explore records it (race mode, no report lines) replays with the reports the
        // page needs without a nondeterminism error: exit 0, the page names the schedule, and it has one mark per
        // event line of the recorded run.
        // Two crashes at one instant under two supervisors: in race mode they race, so the schedule has choices.
        var file = _cli.Write("race.json", """
            { "tree": { "id": "root", "children": [ { "id": "x", "children": [ { "id": "w" } ] }, { "id": "y", "children": [ { "id": "w" } ] } ] },
              "steps": [ { "at": 100, "exit": "root/x/w", "reason": "crash" }, { "at": 100, "exit": "root/y/w", "reason": "crash" } ] }
            """);
        var scheduler = new ControlledScheduler(new RandomStrategy(7)) { SameInstantTimersRace = true };
        var recorded = RuntimeScenarioRunner.Run(ScenarioReader.Load(file), scheduler, includeReports: false, configure: null, raceSameInstantSteps: true);
        Assert.Contains(scheduler.Choices, choice => choice.ReadyCount > 1);
        var choices = _cli.Path("race-3.choices");
        ChoicesFile.Write(choices, scheduler.Choices);
        var (code, output, errors) = CliRunner.Run("timeline", file, "--replay", choices, "--race", "--out", "-");
        Assert.True(code == 0, errors);
        Assert.Contains("schedule race-3.choices --race", output, StringComparison.Ordinal);
        var page = TimelinePage.Parse(output);
        Assert.Equal(recorded.Lines.Count(line => !line.IsComment), page.WithClass("ev").Count(e => e.Attribute("data-line") is not null && !e.Attribute("class")!.Value.Contains("give_up", StringComparison.Ordinal)));
    }

    [Fact]
    public void The_command_printed_with_an_explore_failure_replays_its_schedule_in_its_mode()
    {
        // Checks: with a choices file the line carries --replay and the mode's flags, and names the page after the
        // choices (one page per failing schedule); without one it draws the engine's run next to the scenario.
        Assert.Equal("supervise timeline f/seed-3.json --replay f/seed-3-race.choices --race --out f/seed-3-race.html",
            SuperviseCommandLine.Timeline("f/seed-3.json", "f/seed-3-race.choices", race: true, asyncStarts: false));
        Assert.Equal("supervise timeline 'my dir/s.json' --out 'my dir/s.html'", SuperviseCommandLine.Timeline("my dir/s.json"));
    }

    [Fact]
    public void A_schedule_that_does_not_fit_is_exit_2_and_race_needs_replay()
    {
        // Checks: a choices file whose ready counts match no run is exit 2 "does not fit"; --race alone is exit 2
        // naming --replay; nothing on stdout either time.
        var choices = _cli.Path("other.choices");
        ChoicesFile.Write(choices, [new ScheduleChoice(99, 0)]);
        var misfit = CliRunner.Run("timeline", CliRunner.Example("chat.json"), "--replay", choices, "--out", "-");
        Assert.Equal((2, ""), (misfit.Code, misfit.Out));
        Assert.Contains("does not fit", misfit.Err, StringComparison.Ordinal);
        var alone = CliRunner.Run("timeline", CliRunner.Example("chat.json"), "--race", "--out", "-");
        Assert.Equal((2, ""), (alone.Code, alone.Out));
        Assert.Contains("--replay", alone.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void A_malformed_scenario_is_exit_2_with_file_line_column_and_nothing_written()
    {
        // Checks: exit 2, "file:2:" (line 2) on stderr, stdout empty, no page.
        var path = _cli.Write("bad.json", "{ \"tree\": { \"id\": \"root\",\n  \"children\": [ { \"id\": 5 } ] }, \"steps\": [] }");
        var html = _cli.Path("bad.html");
        var (code, output, errors) = CliRunner.Run("timeline", path, "--out", html);
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Matches($@"^{System.Text.RegularExpressions.Regex.Escape(path)}:2:\d+: ", errors);
        Assert.False(File.Exists(html));
    }

    [Theory]
    [InlineData("FOLDER", "is a folder")]
    [InlineData("FOLDER/missing/run.html", "its folder does not exist")]
    [InlineData("SCENARIO", "is the scenario file itself")]
    public void A_bad_out_is_exit_2_naming_the_option(string target, string why)
    {
        // Checks: exit 2, stderr names --out and says why, stdout empty, the scenario untouched.
        var scenario = _cli.Write("s.json", File.ReadAllText(CliRunner.Example("chat.json")));
        var before = File.ReadAllText(scenario);
        var (code, output, errors) = CliRunner.Run("timeline", scenario, "--out",
            target.Replace("FOLDER", _cli.Folder, StringComparison.Ordinal).Replace("SCENARIO", scenario, StringComparison.Ordinal));
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Contains("--out", errors, StringComparison.Ordinal);
        Assert.Contains(why, errors, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllText(scenario));
    }

    [Fact]
    public void An_unknown_option_and_a_missing_file_are_exit_2()
    {
        // Checks: both exit 2 with the reason on stderr and nothing on stdout.
        var unknown = CliRunner.Run("timeline", CliRunner.Example("chat.json"), "--bogus");
        Assert.Equal((2, ""), (unknown.Code, unknown.Out));
        Assert.Contains("--bogus", unknown.Err, StringComparison.Ordinal);
        var missing = CliRunner.Run("timeline", _cli.Path("nope.json"), "--out", _cli.Path("x.html"));
        Assert.Equal((2, ""), (missing.Code, missing.Out));
        Assert.Contains("nope.json", missing.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void The_default_out_is_the_scenario_name_with_html()
    {
        // Checks: without --out the page goes next to the scenario, named like it.
        var scenario = _cli.Write("run.json", File.ReadAllText(CliRunner.Example("chat.json")));
        var (code, _, errors) = CliRunner.Run("timeline", scenario);
        Assert.True(code == 0, errors);
        Assert.True(File.Exists(_cli.Path("run.html")));
    }
}
