namespace Supervision.Simulation.Replay;

/// <summary>
/// A replay stopped because the scenario asked for more than its <see cref="Scenarios.ScenarioLimits"/>
/// allow (engine events, runtime work items, trace length): bad input, like a malformed file, and no trace
/// is returned. Its <see cref="Exception.Message"/> is <c>file: limit exceeded: more than N ... (limit ...)</c>,
/// ready to print.
/// </summary>
public sealed class ScenarioLimitExceededException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="file">The scenario's file name.</param>
    /// <param name="detail">What was exceeded, without the file name.</param>
    public ScenarioLimitExceededException(string file, string detail)
        : base($"{file}: {detail}")
    {
        File = file;
        Detail = detail;
    }

    /// <summary>The scenario's file name, as given to the reader.</summary>
    public string File { get; }

    /// <summary>What was exceeded, without the file name.</summary>
    public string Detail { get; }

    /// <summary>Exactly the message: this is a user's input, not a bug, so no stack trace.</summary>
    public override string ToString() => Message;
}
