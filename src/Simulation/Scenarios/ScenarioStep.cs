using Supervision.Engine;

namespace Supervision.Simulation.Scenarios;

/// <summary>
/// One timed step of a scenario. A closed hierarchy: <see cref="ExitStep"/>, <see cref="FailStartStep"/>,
/// <see cref="IgnoreStartStep"/>, <see cref="StopDelayStep"/> and <see cref="CallStep"/>, so that a
/// consumer can switch on the type and the compiler knows each step's fields.
/// </summary>
/// <param name="At">Virtual milliseconds from the start (≥ 0, never less than the previous step's).</param>
/// <param name="Position">Where the step's object starts in the file.</param>
public abstract record ScenarioStep(long At, SourcePosition Position)
{
    /// <summary>The step's kind as written in the file: <c>exit</c>, <c>fail_start</c>, <c>ignore_start</c>, <c>stop_delay</c> or <c>call</c>.</summary>
    public abstract string KindName { get; }
}

/// <summary>The named running worker exits on its own.</summary>
/// <param name="At">Virtual milliseconds from the start.</param>
/// <param name="Position">Where the step's object starts in the file.</param>
/// <param name="Path">The worker's path (may name a simple_one_for_one instance, <c>root/pool/w#2</c>).</param>
/// <param name="Reason">The exit reason.</param>
public sealed record ExitStep(long At, SourcePosition Position, string Path, ExitReason Reason) : ScenarioStep(At, Position)
{
    /// <inheritdoc />
    public override string KindName => "exit";
}

/// <summary>The child's next <paramref name="Times"/> start attempts fail.</summary>
/// <param name="At">Virtual milliseconds from the start.</param>
/// <param name="Position">Where the step's object starts in the file.</param>
/// <param name="Path">The child's path: a child, a simple_one_for_one template or an instance.</param>
/// <param name="Times">How many of the next start attempts fail (≥ 1).</param>
/// <param name="Reason">The reason each failed attempt returns.</param>
public sealed record FailStartStep(long At, SourcePosition Position, string Path, int Times, ExitReason Reason) : ScenarioStep(At, Position)
{
    /// <inheritdoc />
    public override string KindName => "fail_start";
}

/// <summary>The child's next <paramref name="Times"/> start attempts return <c>ignore</c>.</summary>
/// <param name="At">Virtual milliseconds from the start.</param>
/// <param name="Position">Where the step's object starts in the file.</param>
/// <param name="Path">The child's path: a child, a simple_one_for_one template or an instance.</param>
/// <param name="Times">How many of the next start attempts are ignored (≥ 1).</param>
public sealed record IgnoreStartStep(long At, SourcePosition Position, string Path, int Times) : ScenarioStep(At, Position)
{
    /// <inheritdoc />
    public override string KindName => "ignore_start";
}

/// <summary>From now on the worker takes <paramref name="DelayMs"/> to exit when asked to stop.</summary>
/// <param name="At">Virtual milliseconds from the start.</param>
/// <param name="Position">Where the step's object starts in the file.</param>
/// <param name="Path">The worker's path (a template path applies to every instance).</param>
/// <param name="DelayMs">Virtual milliseconds it takes to exit (≥ 0); null for <c>"never"</c>: it ignores the request and must be killed.</param>
public sealed record StopDelayStep(long At, SourcePosition Position, string Path, long? DelayMs) : ScenarioStep(At, Position)
{
    /// <summary>True for <c>"ms": "never"</c>.</summary>
    public bool Never => DelayMs is null;

    /// <inheritdoc />
    public override string KindName => "stop_delay";
}

/// <summary>An operator call on a supervisor; its answer is printed as a <c>reply</c> line.</summary>
/// <param name="At">Virtual milliseconds from the start.</param>
/// <param name="Position">Where the step's object starts in the file.</param>
/// <param name="Call">Which call.</param>
/// <param name="Sup">The path of the supervisor called.</param>
/// <param name="Child">The child's id or instance name (<c>w#2</c>) for terminate_child, restart_child, delete_child and get_childspec; null otherwise.</param>
/// <param name="Spec">For start_child on a static supervisor: the child spec, checked only when the call runs (as OTP does); null otherwise.</param>
/// <param name="Args">For start_child on a simple_one_for_one supervisor: the raw JSON text of each extra argument (empty when none are given); null otherwise.</param>
public sealed record CallStep(
    long At,
    SourcePosition Position,
    ScenarioCallKind Call,
    string Sup,
    string? Child,
    ChildSpecDraft? Spec,
    IReadOnlyList<string>? Args) : ScenarioStep(At, Position)
{
    /// <summary>The call's name as written in the file and in <c>reply</c> lines, for example <c>terminate_child</c>.</summary>
    public string CallName => Call.ToToken();

    /// <inheritdoc />
    public override string KindName => "call";
}

/// <summary>The operator calls a scenario can make (OTP's supervisor API).</summary>
public enum ScenarioCallKind
{
    /// <summary><c>start_child</c>: add and start a child (static) or start an instance (simple_one_for_one).</summary>
    StartChild,
    /// <summary><c>terminate_child</c>: stop a child, keeping its spec (static), or stop an instance.</summary>
    TerminateChild,
    /// <summary><c>restart_child</c>: start a terminated child again.</summary>
    RestartChild,
    /// <summary><c>delete_child</c>: forget a terminated child's spec.</summary>
    DeleteChild,
    /// <summary><c>which_children</c>: list the children and their states.</summary>
    WhichChildren,
    /// <summary><c>count_children</c>: count specs, active children, supervisors and workers.</summary>
    CountChildren,
    /// <summary><c>stop</c>: stop the root and its whole tree.</summary>
    Stop,
    /// <summary><c>get_childspec</c>: return a child's spec.</summary>
    GetChildspec,
}

/// <summary>The scenario-file words for <see cref="ScenarioCallKind"/>.</summary>
public static class ScenarioCallKindExtensions
{
    /// <summary>The call's name as written in scenario files and <c>reply</c> lines, for example <c>start_child</c>.</summary>
    /// <param name="call">The call.</param>
    public static string ToToken(this ScenarioCallKind call) => call switch
    {
        ScenarioCallKind.StartChild => "start_child",
        ScenarioCallKind.TerminateChild => "terminate_child",
        ScenarioCallKind.RestartChild => "restart_child",
        ScenarioCallKind.DeleteChild => "delete_child",
        ScenarioCallKind.WhichChildren => "which_children",
        ScenarioCallKind.CountChildren => "count_children",
        ScenarioCallKind.Stop => "stop",
        ScenarioCallKind.GetChildspec => "get_childspec",
        _ => throw new ArgumentOutOfRangeException(nameof(call), call, "unknown call"),
    };
}
