using Supervision.Engine;

namespace Supervision.Runtime;

/// <summary>
/// A child's task that did not end within <see cref="SupervisionTreeOptions.KillGrace"/> after it was killed:
/// the supervisor stopped waiting for it and went on (a .NET task cannot be killed). This is the only case
/// in which two incarnations of one child may run at the same time. Listed in
/// <see cref="SupervisionTree.RogueTasks"/> while it runs and in <see cref="TreeTermination.RogueTasks"/>.
/// </summary>
public sealed class RogueTask
{
    private readonly TaskCompletionSource<ExitReason?> _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal RogueTask(string path, int incarnation, string cause, TimeSpan declaredAt)
    {
        Path = path;
        Incarnation = incarnation;
        Cause = cause;
        DeclaredAt = declaredAt;
    }

    /// <summary>The child's path.</summary>
    public string Path { get; }

    /// <summary>Which incarnation of the child the task belongs to.</summary>
    public int Incarnation { get; }

    /// <summary>Why it was killed: <c>kill</c> (brutal_kill, a shutdown timeout, its supervisor's kill, an injected exit) or <c>start_timeout</c>.</summary>
    public string Cause { get; }

    /// <summary>When the kill grace ran out, on the tree's clock (time since the tree started).</summary>
    public TimeSpan DeclaredAt { get; }

    /// <summary>Completes when the task finally ends, with how its body ended (null when it ended in its start phase).</summary>
    public Task<ExitReason?> Ended => _ended.Task;

    internal void MarkEnded(ExitReason? outcome) => _ended.TrySetResult(outcome);

    /// <inheritdoc />
    public override string ToString() => $"{Path} (incarnation {Incarnation}, {Cause}, rogue since {DeclaredAt.TotalMilliseconds:0} ms)";
}

/// <summary>How a tree ended: the root's exit reason and the tasks it had to abandon.</summary>
/// <param name="Reason">The root supervisor's exit reason (<c>shutdown</c> after a stop or when it gave up).</param>
/// <param name="RogueTasks">Tasks still running when the tree ended because they ignored their kill (normally empty).</param>
public sealed record TreeTermination(ExitReason Reason, IReadOnlyList<RogueTask> RogueTasks)
{
    /// <summary>
    /// Why the root exited: <see cref="ExitCause.Stopped"/> (a stop or a disposal), <see cref="ExitCause.GaveUp"/>
    /// (it exceeded its restart intensity), <see cref="ExitCause.AutoShutdown"/> (a significant child ended), or
    /// <see cref="ExitCause.None"/> (its init failed, or its loop faulted: see <see cref="Reason"/>).
    /// </summary>
    public ExitCause Cause { get; init; }

    /// <summary>When the root gave up: the restart attempt that exceeded its intensity (which child, why, when); else null.</summary>
    public RestartAttempt? GaveUpAfter { get; init; }
}
