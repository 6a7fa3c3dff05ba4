namespace Supervision.Simulation.Scenarios;

/// <summary>
/// A scenario file that cannot be used: malformed JSON, a field of the wrong shape, or a scenario that
/// breaks the format's rules (duplicate ids, a path that names nothing, ...). Its <see cref="Exception.Message"/>
/// and <see cref="ToString"/> are exactly <c>file:line:column: message</c>, so that a command-line front end
/// can print it as it is, the way compilers report errors.
/// </summary>
public sealed class ScenarioFormatException : Exception
{
    /// <summary>Creates the exception for a problem at the given place.</summary>
    /// <param name="file">The scenario file's name.</param>
    /// <param name="line">The 1-based line of the offending text.</param>
    /// <param name="column">The 1-based column of the offending text.</param>
    /// <param name="detail">What is wrong, in words, without the position.</param>
    public ScenarioFormatException(string file, int line, int column, string detail)
        : base(new SourcePosition(file, line, column) + ": " + detail)
    {
        File = file;
        Line = line;
        Column = column;
        Detail = detail;
    }

    /// <summary>Creates the exception for a problem at the given place.</summary>
    /// <param name="position">Where the offending text is.</param>
    /// <param name="detail">What is wrong, in words, without the position.</param>
    public ScenarioFormatException(SourcePosition position, string detail)
        : this(position.File, position.Line, position.Column, detail)
    {
    }

    /// <summary>The scenario file's name, as given to the reader.</summary>
    public string File { get; }

    /// <summary>The 1-based line of the offending text.</summary>
    public int Line { get; }

    /// <summary>The 1-based column of the offending text.</summary>
    public int Column { get; }

    /// <summary>What is wrong, without the <c>file:line:column: </c> prefix.</summary>
    public string Detail { get; }

    /// <summary>The place of the offending text.</summary>
    public SourcePosition Position => new(File, Line, Column);

    /// <summary>Exactly <c>file:line:column: message</c>; the stack trace is left out on purpose, as this is a user's error, not a bug.</summary>
    public override string ToString() => Message;
}
