namespace Supervision.Simulation.Replay;

/// <summary>How a simulated run ended.</summary>
public enum RunOutcome
{
    /// <summary>The root stopped or exited and nothing is left running or pending.</summary>
    Completed,
    /// <summary>Nothing can happen any more but the tree has not finished stopping (for example a child that never stops under an infinity shutdown).</summary>
    Stuck,
}

/// <summary>The result of running one scenario: its trace and a few counters.</summary>
/// <param name="Lines">The trace, in order.</param>
/// <param name="Outcome">How the run ended.</param>
/// <param name="EngineEvents">Events handled by all engines together.</param>
/// <param name="StaleEvents">Events the engines ignored as stale.</param>
/// <param name="EndMs">The virtual time when the run ended.</param>
public sealed record SimulationResult(IReadOnlyList<TraceLine> Lines, RunOutcome Outcome, long EngineEvents, long StaleEvents, long EndMs)
{
    /// <summary>Driver-level checks that failed during the run (for example two live incarnations of one child).</summary>
    public IReadOnlyList<string> Violations { get; init; } = [];

    /// <summary>The trace as text, one line per entry, each ending with a newline.</summary>
    public string TraceText()
    {
        var text = new System.Text.StringBuilder();
        foreach (var line in Lines)
        {
            text.Append(line.ToString()).Append('\n');
        }
        return text.ToString();
    }
}
