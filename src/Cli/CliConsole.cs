namespace Supervision.Cli;

/// <summary>The tool's two output streams and how to write to them (colours only where <see cref="TerminalInfo"/> allows).</summary>
/// <param name="Out">Results: traces, summaries, JSON.</param>
/// <param name="Err">Diagnostics, warnings and the progress bar.</param>
/// <param name="Terminal">Where the streams go.</param>
internal sealed record CliConsole(TextWriter Out, TextWriter Err, TerminalInfo Terminal)
{
    private const string Reset = "\u001b[0m";

    /// <summary>ANSI colour codes, used only where <see cref="TerminalInfo"/> allows.</summary>
    public enum Colour
    {
        /// <summary>Failures.</summary>
        Red = 31,
        /// <summary>Success.</summary>
        Green = 32,
        /// <summary>Warnings.</summary>
        Yellow = 33,
    }

    /// <summary><paramref name="text"/> coloured for stdout (unchanged when stdout gets no colours).</summary>
    public string OnOut(string text, Colour colour) => Paint(text, colour, Terminal.ColourOnStdout);

    /// <summary><paramref name="text"/> coloured for stderr (unchanged when stderr gets no colours).</summary>
    public string OnErr(string text, Colour colour) => Paint(text, colour, Terminal.ColourOnStderr);

    /// <summary>Writes <c>supervise: MESSAGE</c> to stderr.</summary>
    public void Error(string message) => Err.WriteLine($"supervise: {message}");

    /// <summary>Writes <c>supervise: warning: MESSAGE</c> to stderr.</summary>
    public void Warn(string message) => Err.WriteLine(OnErr($"supervise: warning: {message}", Colour.Yellow));

    internal static string Paint(string text, Colour colour, bool enabled) =>
        enabled ? $"\u001b[{(int)colour}m{text}{Reset}" : text;
}
