using Supervision.Cli;
using Supervision.Simulation.Checking;
using Xunit;

namespace Supervision.Engine.Tests.Cli;

/// <summary>
/// Colours and the progress bar appear only on a terminal, never with <c>NO_COLOR</c> (colours) or
/// <c>TERM=dumb</c>; the bar shows counts, rate, failures and time left; few distinct schedules get a warning.
/// </summary>
public sealed class TerminalOutputTests
{
    private const char Escape = '\u001b';

    [Theory]
    // stdout tty, stderr tty, NO_COLOR, TERM -> colour on stdout, colour on stderr, progress bar
    [InlineData(false, false, null, "xterm", false, false, false)]
    [InlineData(true, true, null, "xterm", true, true, true)]
    [InlineData(true, true, null, null, true, true, true)]
    [InlineData(true, false, null, "xterm", true, false, false)]
    [InlineData(false, true, null, "xterm", false, true, true)]
    [InlineData(true, true, "1", "xterm", false, false, true)]
    [InlineData(true, true, "", "xterm", true, true, true)]
    [InlineData(true, true, null, "dumb", false, false, false)]
    public void Colours_and_progress_follow_the_terminal_and_NO_COLOR(bool stdoutTty, bool stderrTty, string? noColor, string? term, bool colourOut, bool colourErr, bool progress)
    {
        // Checks: the decision table (NO_COLOR set and non-empty turns colours off; an empty NO_COLOR does not).
        var terminal = new TerminalInfo(stdoutTty, stderrTty, noColor, term);
        Assert.Equal((colourOut, colourErr, progress), (terminal.ColourOnStdout, terminal.ColourOnStderr, terminal.ProgressBar));
    }

    [Fact]
    public void Captured_output_has_no_escape_sequences_and_a_terminal_gets_colour_and_a_bar()
    {
        // Checks: the same exploration writes no ESC into pipes; on a terminal stdout's verdict is green and stderr
        // carries the bar (redrawn with CR, erased at the end); with NO_COLOR the bar stays but colours go.
        string[] args = ["explore", CliRunner.Example("chat.json"), "--iterations", "20"];
        var piped = CliRunner.Run(args);
        Assert.Equal(0, piped.Code);
        Assert.DoesNotContain(Escape, piped.Out + piped.Err);
        Assert.Equal("", piped.Err);
        var terminal = CliRunner.Run(new TerminalInfo(true, true, null, "xterm-256color"), args);
        Assert.True(terminal.Code == 0, terminal.Err);
        Assert.Contains($"{Escape}[32mno failures{Escape}[0m", terminal.Out, StringComparison.Ordinal);
        Assert.Contains("20/20 interleavings", terminal.Err, StringComparison.Ordinal);
        Assert.EndsWith($"\r{Escape}[2K", terminal.Err, StringComparison.Ordinal);
        var noColour = CliRunner.Run(new TerminalInfo(true, true, "1", "xterm-256color"), args);
        Assert.DoesNotContain(Escape, noColour.Out);
        Assert.Contains("20/20 interleavings", noColour.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void The_progress_line_shows_counts_rate_failures_and_time_left()
    {
        // Checks: 50 of 200 in 10 s is 5/s with 30 s left; failures counted; the bar a quarter full.
        var line = ProgressBar.Format("simulate", "scenarios", new CampaignProgress(50, 200, 2), TimeSpan.FromSeconds(10));
        Assert.Equal("simulate [######..................] 50/200 scenarios  5/s  2 failures  0:30 left", line);
        var done = ProgressBar.Format("x", "runs", new CampaignProgress(4000, 4000, 0), TimeSpan.FromSeconds(8));
        Assert.Equal("x [########################] 4,000/4,000 runs  500/s  no failures", done);
        Assert.DoesNotContain("failure", ProgressBar.Format("x", "runs", new CampaignProgress(1, 3, -1), TimeSpan.FromSeconds(1)), StringComparison.Ordinal);
        Assert.Equal("1:01:01", ProgressBar.Duration(TimeSpan.FromSeconds(3661)));
    }

    [Theory]
    [InlineData("pct", 300, 1, true)]
    [InlineData("random", 300, 30, true)]
    [InlineData("pct", 300, 31, false)]
    [InlineData("pct", 10, 1, false)]
    [InlineData("dfs", 300, 1, false)]
    public void Few_distinct_schedules_get_a_warning_with_alternatives(string strategy, long runs, long distinct, bool warns)
    {
        // Checks: when at least 9 runs in 10 repeat a schedule (from 20 runs; never for dfs, whose space is exhausted
        // instead) a warning on stderr names the counts and another strategy.
        var stderr = new StringWriter();
        ExploreCommand.WarnIfFewSchedules(new CliConsole(TextWriter.Null, stderr, TerminalInfo.None), strategy, runs, distinct);
        if (warns)
        {
            Assert.StartsWith($"supervise: warning: only {distinct} distinct schedule", stderr.ToString(), StringComparison.Ordinal);
            Assert.Contains($"in {runs} runs", stderr.ToString(), StringComparison.Ordinal);
            Assert.Contains("--strategy dfs", stderr.ToString(), StringComparison.Ordinal);
        }
        else
        {
            Assert.Equal("", stderr.ToString());
        }
    }
}
