using Supervision.Engine;
using Supervision.Runtime.Scheduling;

namespace Supervision.Runtime;

/// <summary>
/// A child by path. Stays valid across restarts: it always shows the current incarnation.
/// </summary>
public sealed class ChildHandle
{
    private readonly SupervisionTree _tree;

    internal ChildHandle(SupervisionTree tree, string path)
    {
        _tree = tree;
        Path = path;
    }

    /// <summary>The child's path.</summary>
    public string Path { get; }

    /// <summary>1 for its first start, 2 after one restart, ...; 0 if it never started.</summary>
    public int Incarnation => _tree.Registry.Get(Path).Incarnation;

    /// <summary>Whether it is running now.</summary>
    public bool IsRunning => _tree.Registry.Get(Path).Running;

    /// <summary>
    /// Makes the running child exit now with <paramref name="reason"/>, as Erlang's <c>exit(Pid, Reason)</c>
    /// does to a process that does not trap exits: the child is killed (its tokens cancelled) and its
    /// supervisor sees the exit with <paramref name="reason"/> once the task has ended (at most
    /// <see cref="SupervisionTreeOptions.KillGrace"/>; a child still starting fails to start). For tests.
    /// Completes once the supervisor has acted on the exit; false when the child is not running.
    /// </summary>
    /// <param name="reason">The exit reason token (for example <c>boom</c>, <c>normal</c>, <c>kill</c>).</param>
    /// <param name="cancellationToken">Stops the waiting, not the exit: the child is made to exit all the same.</param>
    public Task<bool> CrashAsync(string reason, CancellationToken cancellationToken = default)
    {
        return CancellableWait.WaitAsync(_tree.InjectExitAsync(Path, ExitReason.Parse(reason)), cancellationToken);
    }

    /// <summary>Completes when this child has next been started (a restart, or a first start).</summary>
    /// <param name="cancellationToken">Stops the waiting.</param>
    public Task WhenStartedAsync(CancellationToken cancellationToken = default) =>
        cancellationToken.CanBeCanceled
            ? _tree.WaitForAsync(e => e.Kind == SupervisionEventKind.ChildStarted && e.ChildPath == Path, cancellationToken)
            : _tree.Registry.WhenNextStarted(Path);

    /// <inheritdoc />
    public override string ToString() => $"{Path}#{Incarnation}";
}
