using System.Globalization;

namespace Supervision.Simulation.Replay;

/// <summary>One line of a trace: <c>&lt;at&gt; &lt;event&gt; &lt;path&gt; [&lt;detail&gt;]</c>, or a <c>#</c> comment.</summary>
/// <param name="AtMs">Virtual milliseconds since the start of the scenario.</param>
/// <param name="Text">The line without the time: event, path and detail, or a comment starting with <c>#</c>.</param>
public readonly record struct TraceLine(long AtMs, string Text)
{
    /// <summary>True for comment and report lines, which comparisons ignore.</summary>
    public bool IsComment => Text.StartsWith('#');

    /// <summary>The line as printed.</summary>
    public override string ToString() => IsComment ? Text : string.Create(CultureInfo.InvariantCulture, $"{AtMs} {Text}");
}
