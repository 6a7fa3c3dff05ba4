namespace Supervision.Engine;

/// <summary>
/// The caller broke the engine's protocol (for example a start result for a child that is not being
/// started, or time going backwards). The engine refuses every later event: this is a bug in the driver.
/// </summary>
public sealed class SupervisorEngineException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    public SupervisorEngineException(string message) : base(message)
    {
    }
}
