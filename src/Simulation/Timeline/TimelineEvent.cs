namespace Supervision.Simulation.Timeline;

/// <summary>What a mark on a lane stands for.</summary>
internal enum TimelineEventKind
{
    /// <summary><c>start p</c>: a start attempt succeeded.</summary>
    Start,
    /// <summary><c>start_error p R</c>: a start attempt failed.</summary>
    StartError,
    /// <summary><c>ignore p</c>: a start attempt returned ignore.</summary>
    Ignore,
    /// <summary><c>exit p R</c>: the child exited by itself.</summary>
    Exit,
    /// <summary><c>stop p R</c>: its supervisor terminated it.</summary>
    Stop,
    /// <summary><c>reply call sup result</c>: the answer to an operator call (the lane is the supervisor's).</summary>
    Reply,
    /// <summary>An operator call arriving (a scenario step; the trace prints only its reply).</summary>
    Call,
    /// <summary>A <c>fail_start</c>, <c>ignore_start</c> or <c>stop_delay</c> step: a plan for later attempts.</summary>
    Plan,
    /// <summary><c># report sup reached_max_restart_intensity</c>: the supervisor gives up.</summary>
    GiveUp,
}

/// <summary>
/// One mark of the picture, in the order the run produced it: a trace line, a call step or a plan step.
/// </summary>
/// <param name="Kind">What it is.</param>
/// <param name="AtMs">Virtual milliseconds.</param>
/// <param name="Path">The lane: the child's path, or the supervisor's for calls, replies and give-ups.</param>
/// <param name="Detail">The reason, the reply's result, or the plan's description; empty when none.</param>
/// <param name="Call">The call's name for <see cref="TimelineEventKind.Call"/> and <see cref="TimelineEventKind.Reply"/>; otherwise empty.</param>
/// <param name="Line">The 1-based trace line it comes from; 0 for a scenario step.</param>
/// <param name="Step">The 1-based scenario step it comes from; 0 for a trace line.</param>
internal sealed record TimelineEvent(TimelineEventKind Kind, long AtMs, string Path, string Detail, string Call, int Line, int Step)
{
    /// <summary>For a call: the index of its reply's event; for a reply: the index of its call's event; otherwise -1.</summary>
    public int Partner { get; set; } = -1;

    /// <summary>The kind as a CSS class and as printed in the trace (<c>start_error</c>, <c>give_up</c>).</summary>
    public string KindName => Kind switch
    {
        TimelineEventKind.Start => "start",
        TimelineEventKind.StartError => "start_error",
        TimelineEventKind.Ignore => "ignore",
        TimelineEventKind.Exit => "exit",
        TimelineEventKind.Stop => "stop",
        TimelineEventKind.Reply => "reply",
        TimelineEventKind.Call => "call",
        TimelineEventKind.Plan => "plan",
        _ => "give_up",
    };
}
