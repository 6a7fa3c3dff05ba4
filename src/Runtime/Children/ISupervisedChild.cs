using Supervision.Engine;

namespace Supervision.Runtime;

/// <summary>
/// A supervised child: one object per incarnation (a restart makes a new one, as a new process would).
/// <see cref="StartAsync"/> is OTP's init (the supervisor waits for it); <see cref="RunAsync"/> is the
/// child's life. Returning from <see cref="RunAsync"/> is an exit with <c>normal</c>; an exception is an
/// abnormal exit; cancellation of <see cref="ChildContext.Stopping"/> honoured during a stop is
/// <c>shutdown</c>; <see cref="ChildContext.Exit(ExitReason)"/> exits with a chosen reason.
/// <para>
/// An object that is <see cref="IAsyncDisposable"/> (else <see cref="IDisposable"/>) is disposed when its incarnation
/// ends: after its task has ended (its body, or its start phase when the body never ran: a failed, ignored or
/// timed-out start), then its scope of <see cref="ChildContext.Services"/>. The task counts as ended only then: the
/// supervisor hears of the exit after the disposal, so the next incarnation starts after it, as a new process
/// starts after the old one's resources were released, and a kill waits for it too (at most
/// <see cref="SupervisionTreeOptions.KillGrace"/>). A start that fails without awaiting is disposed on its
/// supervisor's loop, up to the disposal's first await. A rogue task's object is disposed when the task finally
/// ends. A Dispose that throws is logged (event 32) and changes nothing else. Keep Dispose short: a restart waits for it.
/// </para>
/// </summary>
public interface ISupervisedChild
{
    /// <summary>
    /// The start phase. The default succeeds at once. It runs on the supervisor's loop up to its first
    /// await that does not complete at once, as OTP's supervisor waits in a child's start function: a start
    /// that completes synchronously costs no thread hop, and one that blocks without awaiting blocks its
    /// supervisor. What follows its first real await runs as the child's own activity, under the tree's
    /// start timeout (counted from the start of the call).
    /// </summary>
    ValueTask<ChildStartResult> StartAsync(ChildContext context) => ValueTask.FromResult(ChildStartResult.Started);

    /// <summary>The run phase: runs until the child exits or <see cref="ChildContext.Stopping"/> asks it to stop.</summary>
    Task RunAsync(ChildContext context);
}

/// <summary>The outcome of a child's start phase: started, ignore, or failed with an error.</summary>
public readonly record struct ChildStartResult
{
    private ChildStartResult(ChildStartKind kind, ExitReason error)
    {
        Kind = kind;
        Error = error;
    }

    /// <summary>What happened.</summary>
    public ChildStartKind Kind { get; }

    /// <summary>The error when <see cref="Kind"/> is <see cref="ChildStartKind.Failed"/>.</summary>
    public ExitReason Error { get; }

    /// <summary>The child started (OTP's <c>{ok, Pid}</c>).</summary>
    public static ChildStartResult Started => new(ChildStartKind.Started, default);

    /// <summary>The child decided not to run (OTP's <c>ignore</c>).</summary>
    public static ChildStartResult Ignore => new(ChildStartKind.Ignored, default);

    /// <summary>The start failed with <paramref name="error"/> (OTP's <c>{error, E}</c>).</summary>
    public static ChildStartResult Failed(string error) => new(ChildStartKind.Failed, ExitReason.Parse(error));

    /// <summary>The start failed with <paramref name="error"/>.</summary>
    public static ChildStartResult Failed(ExitReason error) => new(ChildStartKind.Failed, error);
}

/// <summary>The kind of a <see cref="ChildStartResult"/>.</summary>
public enum ChildStartKind
{
    /// <summary>Started.</summary>
    Started,
    /// <summary>Ignored.</summary>
    Ignored,
    /// <summary>Failed.</summary>
    Failed,
}

/// <summary>Thrown by <see cref="ChildContext.Exit(ExitReason)"/> to end a child with a chosen reason.</summary>
public sealed class ChildExitException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ChildExitException(ExitReason reason) : base($"child exit: {reason}") => Reason = reason;

    /// <summary>The reason the child exits with.</summary>
    public ExitReason Reason { get; }
}
