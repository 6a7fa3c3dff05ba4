using Supervision.Engine;

namespace Supervision.Runtime.Tree;

/// <summary>What a supervisor's mailbox carries.</summary>
internal enum MessageKind : byte
{
    StartOutcome,
    Completed,
    Timer,
    Call,
    Stop,
    InjectExit,
    NestedStarted,
    NestedInitFailed,
    NestedExited,
    StartTimeout,
    /// <summary>Every task of a kill has ended (<see cref="KillWait"/>).</summary>
    KillSettled,
    /// <summary>A kill's grace ran out: the tasks still running are rogue (<see cref="KillWait"/>).</summary>
    KillGraceExpired,
    /// <summary>The tree is being disposed: starts still in progress are asked to stop (sent ahead of the queue).</summary>
    Disposing,
    /// <summary>A child's health probe failed too many times in a row: the child is ended (<see cref="HealthProbeLoop"/>).</summary>
    HealthProbeFailed,
    /// <summary>The host gave up waiting: every child here is asked to stop now, at once (sent ahead of the queue).</summary>
    StopAllNow,
    /// <summary>A health probe asks how close this supervisor is to giving up (<see cref="RestartLoadProbe"/>).</summary>
    Inspect,
    /// <summary>The mailbox was completed: the loop ends (the supervisor is already done).</summary>
    Closed,
}

/// <summary>One mailbox message; <see cref="Payload"/> carries the run, the call or the injection.</summary>
internal readonly record struct Message(MessageKind Kind, ChildRef Child, ExitReason Reason, ChildStartResult Start, long Token, object? Payload);

/// <summary>An operator call waiting for its reply.</summary>
internal sealed class CallEnvelope(CallRequest request, string name, ChildDefinition? definition)
{
    public CallRequest Request { get; } = request;

    public string Name { get; } = name;

    public ChildDefinition? Definition { get; } = definition;

    public TaskCompletionSource<CallReply> Reply { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>A request to make a running child exit with a chosen reason (tests; Erlang's exit/2).</summary>
internal sealed class ExitInjection(string path, ExitReason reason)
{
    public string Path { get; } = path;

    public ExitReason Reason { get; } = reason;

    public TaskCompletionSource<bool> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
