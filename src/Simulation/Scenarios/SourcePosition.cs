using System.Globalization;

namespace Supervision.Simulation.Scenarios;

/// <summary>A place in a scenario file: the file's name and a 1-based line and column.</summary>
/// <param name="File">The file name as it was given to the reader (a path, or the name passed to <see cref="ScenarioReader.Parse(string, string, ScenarioLimits?)"/>).</param>
/// <param name="Line">The 1-based line.</param>
/// <param name="Column">The 1-based column, counted in UTF-16 characters.</param>
public readonly record struct SourcePosition(string File, int Line, int Column)
{
    /// <summary>The position as compilers print it: <c>file:line:column</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{File}:{Line}:{Column}");
}
