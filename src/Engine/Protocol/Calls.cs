namespace Supervision.Engine;

/// <summary>The operator calls of OTP's supervisor API.</summary>
public enum CallKind : byte
{
    /// <summary>Add and start a child (static: a spec; simple_one_for_one: arguments).</summary>
    StartChild,
    /// <summary>Terminate a child (static: by id; simple_one_for_one: by instance).</summary>
    TerminateChild,
    /// <summary>Start again a static child that is not running, keeping its position.</summary>
    RestartChild,
    /// <summary>Remove the spec of a static child that is not running.</summary>
    DeleteChild,
    /// <summary>List the children: static newest first; instances by instance number.</summary>
    WhichChildren,
    /// <summary>Count specs, active children, supervisors and workers.</summary>
    CountChildren,
    /// <summary>Return a child's spec.</summary>
    GetChildSpec,
}

/// <summary>An operator call. Create with the static factories.</summary>
public sealed record CallRequest
{
    private CallRequest(CallKind kind) => Kind = kind;

    /// <summary>The call.</summary>
    public CallKind Kind { get; }

    /// <summary>The static child's id (terminate, restart, delete, get_childspec).</summary>
    public string? ChildId { get; private init; }

    /// <summary>The simple_one_for_one instance number (terminate, get_childspec); 0 when a static id is given.</summary>
    public long Instance { get; private init; }

    /// <summary>The spec to add (static start_child).</summary>
    public ChildSpec? Spec { get; private init; }

    /// <summary>The arguments for a new simple_one_for_one instance (start_child), passed through to the start decision.</summary>
    public object? Arguments { get; private init; }

    /// <summary>start_child with a spec (static supervisors).</summary>
    public static CallRequest StartChild(ChildSpec spec) => new(CallKind.StartChild) { Spec = spec ?? throw new ArgumentNullException(nameof(spec)) };

    /// <summary>start_child with arguments (simple_one_for_one supervisors).</summary>
    public static CallRequest StartInstance(object? arguments) => new(CallKind.StartChild) { Arguments = arguments };

    /// <summary>
    /// start_child with a spec that failed OTP's checks before it could become a <see cref="ChildSpec"/>
    /// (for example an unknown restart type read from a file): answered <c>{error, otpError}</c> in
    /// mailbox order, as OTP's supervisor answers it.
    /// </summary>
    public static CallRequest StartChildRejected(string otpError) => new(CallKind.StartChild) { RejectedWith = RequireId(otpError) };

    /// <summary>The OTP error a rejected start_child spec is answered with (<see cref="StartChildRejected"/>).</summary>
    public string? RejectedWith { get; private init; }

    /// <summary>terminate_child by id.</summary>
    public static CallRequest TerminateChild(string childId) => new(CallKind.TerminateChild) { ChildId = RequireId(childId) };

    /// <summary>terminate_child of a simple_one_for_one instance.</summary>
    public static CallRequest TerminateInstance(long instance) => new(CallKind.TerminateChild) { Instance = RequireInstance(instance) };

    /// <summary>restart_child by id.</summary>
    public static CallRequest RestartChild(string childId) => new(CallKind.RestartChild) { ChildId = RequireId(childId) };

    /// <summary>delete_child by id.</summary>
    public static CallRequest DeleteChild(string childId) => new(CallKind.DeleteChild) { ChildId = RequireId(childId) };

    /// <summary>which_children.</summary>
    public static CallRequest WhichChildren() => new(CallKind.WhichChildren);

    /// <summary>count_children.</summary>
    public static CallRequest CountChildren() => new(CallKind.CountChildren);

    /// <summary>get_childspec by id (for simple_one_for_one, the template id or any instance gives the template).</summary>
    public static CallRequest GetChildSpec(string childId) => new(CallKind.GetChildSpec) { ChildId = RequireId(childId) };

    /// <summary>get_childspec of a simple_one_for_one instance.</summary>
    public static CallRequest GetInstanceSpec(long instance) => new(CallKind.GetChildSpec) { Instance = RequireInstance(instance) };

    private static string RequireId(string childId)
    {
        ArgumentException.ThrowIfNullOrEmpty(childId);
        return childId;
    }

    private static long RequireInstance(long instance)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(instance, 1);
        return instance;
    }
}

/// <summary>The kind of a <see cref="CallReply"/>.</summary>
public enum ReplyKind : byte
{
    /// <summary><c>ok</c>.</summary>
    Ok,
    /// <summary><c>{ok, Pid}</c>: the child was started; see <see cref="CallReply.Child"/>.</summary>
    Started,
    /// <summary><c>{ok, undefined}</c>: the start returned ignore.</summary>
    Ignored,
    /// <summary><c>{error, Token}</c>; see <see cref="CallReply.Error"/>.</summary>
    Error,
    /// <summary>which_children; see <see cref="CallReply.Children"/>.</summary>
    Children,
    /// <summary>count_children; see <see cref="CallReply.Counts"/>.</summary>
    Counts,
    /// <summary>get_childspec; see <see cref="CallReply.Spec"/>.</summary>
    Spec,
}

/// <summary>The state of a child as which_children shows it.</summary>
public enum ChildState : byte
{
    /// <summary>Not running (OTP's pid <c>undefined</c>).</summary>
    Undefined,
    /// <summary>Running.</summary>
    Running,
    /// <summary>A restart failed and a retry is queued.</summary>
    Restarting,
}

/// <summary>One entry of which_children.</summary>
/// <param name="Id">The child's id (for an instance: the template's id).</param>
/// <param name="Instance">The instance number of a simple_one_for_one instance; 0 otherwise.</param>
/// <param name="State">Running, undefined or restarting.</param>
/// <param name="Type">Worker or supervisor.</param>
/// <param name="Current">The current incarnation when running.</param>
public readonly record struct ChildInfo(string Id, long Instance, ChildState State, ChildType Type, ChildRef Current);

/// <summary>The answer of count_children.</summary>
/// <param name="Specs">Number of specs (1 for simple_one_for_one).</param>
/// <param name="Active">Children running.</param>
/// <param name="Supervisors">Supervisor children (specs or instances).</param>
/// <param name="Workers">Worker children (specs or instances).</param>
public readonly record struct ChildCounts(int Specs, int Active, int Supervisors, int Workers);

/// <summary>The answer to a <see cref="CallRequest"/>.</summary>
public sealed record CallReply
{
    /// <summary>The kind of answer.</summary>
    public required ReplyKind Kind { get; init; }

    /// <summary>The error token (<see cref="ReplyKind.Error"/>): <c>not_found</c>, <c>running</c>, a start error, ...</summary>
    public string? Error { get; init; }

    /// <summary>The child started (<see cref="ReplyKind.Started"/>).</summary>
    public ChildRef Child { get; init; }

    /// <summary>The id of the child started (<see cref="ReplyKind.Started"/>); the template id for an instance.</summary>
    public string? ChildId { get; init; }

    /// <summary>The instance number of the instance started; 0 for static children.</summary>
    public long Instance { get; init; }

    /// <summary>The children (<see cref="ReplyKind.Children"/>).</summary>
    public IReadOnlyList<ChildInfo>? Children { get; init; }

    /// <summary>The counts (<see cref="ReplyKind.Counts"/>).</summary>
    public ChildCounts Counts { get; init; }

    /// <summary>The spec (<see cref="ReplyKind.Spec"/>).</summary>
    public ChildSpec? Spec { get; init; }

    internal static readonly CallReply OkReply = new() { Kind = ReplyKind.Ok };
    internal static readonly CallReply IgnoredReply = new() { Kind = ReplyKind.Ignored };

    /// <summary>An error reply with OTP's token (for example <c>noproc</c> when the supervisor is gone).</summary>
    public static CallReply Failure(string token) => new() { Kind = ReplyKind.Error, Error = token };
}
