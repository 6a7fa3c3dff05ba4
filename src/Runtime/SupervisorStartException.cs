using Supervision.Engine;

namespace Supervision.Runtime;

/// <summary>A supervisor could not start: a child's start failed during its init (OTP's <c>failed_to_start_child</c>).</summary>
public sealed class SupervisorStartException : Exception
{
    /// <summary>Creates the exception.</summary>
    public SupervisorStartException(string supervisorPath, string? childId, ExitReason reason)
        : base(childId is null
            ? $"supervisor '{supervisorPath}' ended before it started: {reason}"
            : $"supervisor '{supervisorPath}' failed to start child '{childId}': {reason}")
    {
        SupervisorPath = supervisorPath;
        ChildId = childId;
        Reason = reason;
    }

    /// <summary>The supervisor that failed to start.</summary>
    public string SupervisorPath { get; }

    /// <summary>The child whose start failed; null when the supervisor ended for another reason.</summary>
    public string? ChildId { get; }

    /// <summary>The start error.</summary>
    public ExitReason Reason { get; }
}
