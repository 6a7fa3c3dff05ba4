using Supervision.Engine;
using Supervision.Runtime.Scheduling;

namespace Supervision.Runtime;

/// <summary>The outcome of start_child / restart_child.</summary>
public enum StartChildStatus
{
    /// <summary>The child was started (OTP's <c>{ok, Pid}</c>).</summary>
    Started,
    /// <summary>The start returned ignore (<c>{ok, undefined}</c>).</summary>
    Ignored,
    /// <summary>Refused or failed; see <see cref="StartChildResult.Error"/>.</summary>
    Failed,
}

/// <summary>The typed answer of start_child and restart_child.</summary>
/// <param name="Status">Started, ignored or failed.</param>
/// <param name="Error">OTP's error token when failed: <c>already_started</c>, <c>running</c>, a start error, <c>noproc</c>, ...</param>
/// <param name="ChildPath">The started child's path (an instance: <c>root/pool/w#3</c>).</param>
public readonly record struct StartChildResult(StartChildStatus Status, string? Error, string? ChildPath);

/// <summary>The typed answer of terminate_child and delete_child: ok, or OTP's error token.</summary>
/// <param name="Error">Null on success; otherwise <c>not_found</c>, <c>running</c>, <c>restarting</c>, <c>simple_one_for_one</c>, <c>noproc</c>.</param>
public readonly record struct SupervisorCallResult(string? Error)
{
    /// <summary>True when the call succeeded.</summary>
    public bool Succeeded => Error is null;
}

/// <summary>One child as which_children reports it.</summary>
/// <param name="Path">The child's path.</param>
/// <param name="State">Running, undefined (not running) or restarting.</param>
/// <param name="Type">Worker or supervisor.</param>
public readonly record struct ChildStatus(string Path, ChildState State, ChildType Type);

/// <summary>The supervisor is not running, so it cannot answer (OTP's <c>noproc</c>).</summary>
public sealed class SupervisorNotRunningException(string path) : InvalidOperationException($"supervisor '{path}' is not running (noproc)")
{
    /// <summary>The supervisor's path.</summary>
    public string Path { get; } = path;
}

/// <summary>
/// The dynamic API of one supervisor (by path, so it stays valid across the supervisor's restarts).
/// Every method is safe from any thread; calls are answered in the supervisor's mailbox order.
/// </summary>
public sealed class SupervisorHandle
{
    private readonly SupervisionTree _tree;

    internal SupervisorHandle(SupervisionTree tree, string path)
    {
        _tree = tree;
        Path = path;
    }

    /// <summary>The supervisor's path.</summary>
    public string Path { get; }

    /// <summary>Whether the supervisor is running now.</summary>
    public bool IsRunning => _tree.TryGetSupervisor(Path, out var process) && process.IsAlive;

    // Every call takes a CancellationToken that stops the waiting, not the call: the request is already in the
    // supervisor's mailbox and is carried out in its turn (a start_child still starts the child). Cancelling
    // throws OperationCanceledException at once.

    /// <summary>start_child with a definition (static supervisors).</summary>
    /// <param name="child">The child to add and start.</param>
    /// <param name="cancellationToken">Stops the waiting for the reply; the child may still be started.</param>
    public async Task<StartChildResult> StartChildAsync(ChildDefinition child, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(child);
        return ToStart(await CallAsync(CallRequest.StartInstance(null), "start_child", child, cancellationToken));
    }

    /// <summary>start_child with arguments (simple_one_for_one supervisors): a new instance of the template.</summary>
    /// <param name="arguments">Given to the instance as <see cref="ChildContext.Arguments"/>.</param>
    /// <param name="cancellationToken">Stops the waiting for the reply; the instance may still be started.</param>
    public async Task<StartChildResult> StartInstanceAsync(object? arguments = null, CancellationToken cancellationToken = default) =>
        ToStart(await CallAsync(CallRequest.StartInstance(arguments), "start_child", null, cancellationToken));

    /// <summary>terminate_child by id (static supervisors).</summary>
    /// <param name="id">The child's id.</param>
    /// <param name="cancellationToken">Stops the waiting for the reply; the child may still be terminated.</param>
    public async Task<SupervisorCallResult> TerminateChildAsync(string id, CancellationToken cancellationToken = default) =>
        ToResult(await CallAsync(CallRequest.TerminateChild(id), "terminate_child", null, cancellationToken));

    /// <summary>terminate_child of a simple_one_for_one instance by number.</summary>
    /// <param name="instance">The instance number.</param>
    /// <param name="cancellationToken">Stops the waiting for the reply; the instance may still be terminated.</param>
    public async Task<SupervisorCallResult> TerminateInstanceAsync(long instance, CancellationToken cancellationToken = default) =>
        ToResult(await CallAsync(CallRequest.TerminateInstance(instance), "terminate_child", null, cancellationToken));

    /// <summary>restart_child: start again a stopped static child, keeping its position.</summary>
    /// <param name="id">The child's id.</param>
    /// <param name="cancellationToken">Stops the waiting for the reply; the child may still be restarted.</param>
    public async Task<StartChildResult> RestartChildAsync(string id, CancellationToken cancellationToken = default) =>
        ToStart(await CallAsync(CallRequest.RestartChild(id), "restart_child", null, cancellationToken));

    /// <summary>delete_child: remove a stopped static child's spec.</summary>
    /// <param name="id">The child's id.</param>
    /// <param name="cancellationToken">Stops the waiting for the reply; the spec may still be deleted.</param>
    public async Task<SupervisorCallResult> DeleteChildAsync(string id, CancellationToken cancellationToken = default) =>
        ToResult(await CallAsync(CallRequest.DeleteChild(id), "delete_child", null, cancellationToken));

    /// <summary>which_children: static children newest first; instances by instance number.</summary>
    /// <param name="cancellationToken">Stops the waiting for the reply.</param>
    /// <exception cref="SupervisorNotRunningException">The supervisor is not running.</exception>
    public async Task<IReadOnlyList<ChildStatus>> WhichChildrenAsync(CancellationToken cancellationToken = default)
    {
        var reply = await CallAsync(CallRequest.WhichChildren(), "which_children", null, cancellationToken);
        ThrowIfNoproc(reply);
        return reply.Children!.Select(c => new ChildStatus(c.Instance > 0 ? $"{Path}/{c.Id}#{c.Instance}" : $"{Path}/{c.Id}", c.State, c.Type)).ToList();
    }

    /// <summary>count_children.</summary>
    /// <param name="cancellationToken">Stops the waiting for the reply.</param>
    /// <exception cref="SupervisorNotRunningException">The supervisor is not running.</exception>
    public async Task<ChildCounts> CountChildrenAsync(CancellationToken cancellationToken = default)
    {
        var reply = await CallAsync(CallRequest.CountChildren(), "count_children", null, cancellationToken);
        ThrowIfNoproc(reply);
        return reply.Counts;
    }

    internal Task<CallReply> CallAsync(CallRequest request, string name, ChildDefinition? definition, CancellationToken cancellationToken = default)
    {
        var reply = _tree.TryGetSupervisor(Path, out var process)
            ? process.CallAsync(request, name, definition)
            : Task.FromResult(CallReply.Failure("noproc"));
        return CancellableWait.WaitAsync(reply, cancellationToken);
    }

    private void ThrowIfNoproc(CallReply reply)
    {
        if (reply.Kind == ReplyKind.Error)
        {
            throw new SupervisorNotRunningException(Path);
        }
    }

    private StartChildResult ToStart(CallReply reply) => reply.Kind switch
    {
        ReplyKind.Started => new StartChildResult(StartChildStatus.Started, null, reply.Instance > 0 ? $"{Path}/{reply.ChildId}#{reply.Instance}" : $"{Path}/{reply.ChildId}"),
        ReplyKind.Ignored => new StartChildResult(StartChildStatus.Ignored, null, null),
        _ => new StartChildResult(StartChildStatus.Failed, reply.Error, null),
    };

    private static SupervisorCallResult ToResult(CallReply reply) => new(reply.Kind == ReplyKind.Error ? reply.Error : null);
}
