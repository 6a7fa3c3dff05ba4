namespace Supervision.Cli;

/// <summary>
/// What the tool knows about where its output goes, and the decisions that follow: colours only on a
/// terminal and only without <c>NO_COLOR</c> (https://no-color.org: set and not empty); no escape
/// sequences at all into pipes, files or a <c>TERM=dumb</c> terminal; the progress bar only on a
/// terminal's stderr.
/// </summary>
/// <param name="StdoutIsTerminal">stdout is an interactive terminal (not redirected).</param>
/// <param name="StderrIsTerminal">stderr is an interactive terminal (not redirected).</param>
/// <param name="NoColor">The value of <c>NO_COLOR</c>, if set.</param>
/// <param name="Term">The value of <c>TERM</c>, if set.</param>
public sealed record TerminalInfo(bool StdoutIsTerminal, bool StderrIsTerminal, string? NoColor, string? Term)
{
    /// <summary>Neither stream is a terminal (output captured by a test, a pipe or a file).</summary>
    public static TerminalInfo None { get; } = new(false, false, null, null);

    /// <summary>The process's own console and environment.</summary>
    public static TerminalInfo Detect() => new(
        !Console.IsOutputRedirected, !Console.IsErrorRedirected,
        Environment.GetEnvironmentVariable("NO_COLOR"), Environment.GetEnvironmentVariable("TERM"));

    private bool ColoursWanted => string.IsNullOrEmpty(NoColor);

    private bool EscapesWork => !string.Equals(Term, "dumb", StringComparison.Ordinal);

    /// <summary>Colour the lines written to stdout.</summary>
    public bool ColourOnStdout => StdoutIsTerminal && EscapesWork && ColoursWanted;

    /// <summary>Colour the lines written to stderr.</summary>
    public bool ColourOnStderr => StderrIsTerminal && EscapesWork && ColoursWanted;

    /// <summary>Draw a progress bar (redrawn in place) on stderr.</summary>
    public bool ProgressBar => StderrIsTerminal && EscapesWork;
}
