using Supervision.Engine;

namespace Supervision.Simulation.Timeline;

/// <summary>How a stretch of a lane's life ended.</summary>
internal enum SegmentEnd
{
    /// <summary>Still running when the trace ends (a stuck run).</summary>
    Open,
    /// <summary>It exited or was stopped.</summary>
    Ended,
    /// <summary>A supervisor whose init failed: it never ran.</summary>
    InitFailed,
}

/// <summary>
/// One life of a child on its lane, as indices into the events: from <see cref="Begin"/> (for a supervisor, the
/// first start attempt of its children, when its init began) through <see cref="Started"/> (its own
/// <c>start</c> line) to <see cref="End"/> (its <c>exit</c>/<c>stop</c>, or -1 while open).
/// </summary>
internal sealed record LaneSegment(int Begin, int Started, int End, SegmentEnd How);

/// <summary>One row of the picture: a child or supervisor path, with its lives.</summary>
internal sealed class TimelineLane(string path, int depth)
{
    /// <summary>The full path (<c>root/orders/cart</c>).</summary>
    public string Path { get; } = path;

    /// <summary>The last segment: the child id, or an instance name (<c>w#2</c>).</summary>
    public string Id => Path[(Path.LastIndexOf('/') + 1)..];

    /// <summary>The parent's path; null for the root.</summary>
    public string? Parent => Path.LastIndexOf('/') is var cut and > 0 ? Path[..cut] : null;

    /// <summary>0 for the root, 1 for its children, and so on.</summary>
    public int Depth { get; } = depth;

    /// <summary>The row it is drawn in, from 0 at the top; -1 when it is not drawn (over the lane limit).</summary>
    public int Row { get; set; } = -1;

    /// <summary>The child's spec when the scenario (or a start_child call) gives one; null for the root.</summary>
    public ChildSpec? Spec { get; set; }

    /// <summary>The supervisor's spec, for a supervisor whose spec is known (the root included).</summary>
    public SupervisorSpec? Supervisor { get; set; }

    /// <summary>True when the lane is a supervisor (by spec, or because it has children or is called).</summary>
    public bool IsSupervisor { get; set; }

    /// <summary>Its lives, in order.</summary>
    public List<LaneSegment> Segments { get; } = [];

    /// <summary>How many events are drawn on it (for the summary).</summary>
    public int EventCount { get; set; }

    /// <summary>The index of the event that began its current life (a supervisor's init), or -1.</summary>
    internal int PendingBegin { get; set; } = -1;

    /// <summary>The index of the event that began its current life (see <see cref="LaneSegment.Begin"/>).</summary>
    internal int RunningBegin { get; set; } = -1;

    /// <summary>The index of its latest <c>exit</c> or <c>stop</c> event, or -1.</summary>
    internal int LastEnd { get; set; } = -1;

    /// <summary>The index of its current life's <c>start</c> event, or -1 when it is not running.</summary>
    internal int RunningSince { get; set; } = -1;

    /// <summary>Whether its restart type is temporary (a temporary child's exit causes no restart).</summary>
    public bool IsTemporary => Spec?.Restart == RestartType.Temporary;

    /// <summary>The strategy's trace name, or null when it is no supervisor or its spec is unknown.</summary>
    public string? StrategyName => Supervisor?.Strategy switch
    {
        null => null,
        RestartStrategy.OneForOne => "one_for_one",
        RestartStrategy.OneForAll => "one_for_all",
        RestartStrategy.RestForOne => "rest_for_one",
        _ => "simple_one_for_one",
    };
}
