namespace Supervision.Simulation.Invariants;

/// <summary>One broken invariant, found at one line of a trace.</summary>
/// <param name="Invariant">The invariant's name, one of the constants in <see cref="InvariantNames"/>.</param>
/// <param name="LineIndex">The index in the trace's line list (comments included) where it was found; the line count when found at the end.</param>
/// <param name="Message">What was wrong, naming the paths involved.</param>
public sealed record InvariantViolation(string Invariant, int LineIndex, string Message)
{
    /// <summary>The violation as one line: <c>[invariant] line N: message</c>.</summary>
    public override string ToString() => $"[{Invariant}] line {LineIndex}: {Message}";
}
