namespace Supervision.Simulation.Timeline;

/// <summary>
/// What one supervisor did about one child's exit: the group restart its strategy chose (one band over the
/// children it stopped and started), or the give-up when the exit went over its intensity.
/// </summary>
/// <param name="supervisor">The supervisor's path.</param>
/// <param name="strategy">Its strategy's trace name (<c>one_for_all</c>), or <c>supervisor</c> when unknown.</param>
/// <param name="cause">The child whose exit it handled.</param>
/// <param name="reason">That exit's reason.</param>
internal sealed class RestartEpisode(string supervisor, string strategy, string cause, string reason)
{
    /// <summary>The supervisor's path.</summary>
    public string Supervisor { get; } = supervisor;

    /// <summary>Its strategy's trace name.</summary>
    public string Strategy { get; } = strategy;

    /// <summary>The child whose exit it handled.</summary>
    public string Cause { get; } = cause;

    /// <summary>That exit's reason.</summary>
    public string Reason { get; } = reason;

    /// <summary>The event of the cause's own <c>exit</c> (or <c>stop</c>) line, or -1 when it is not drawn.</summary>
    public int CauseEvent { get; init; } = -1;

    /// <summary>The first and last events that belong to it (-1 while it has none).</summary>
    public int First { get; set; } = -1;

    /// <summary>The last event that belongs to it.</summary>
    public int Last { get; set; } = -1;

    /// <summary>The paths of the direct children it stopped or started, in that order (the band covers their rows).</summary>
    public List<string> Children { get; } = [];

    /// <summary>Start attempts made in it: 1, plus one per retry after a failed start.</summary>
    public int Attempts { get; set; } = 1;

    /// <summary>Whether the supervisor gave up instead of restarting.</summary>
    public bool GaveUp { get; set; }

    /// <summary>Its start attempts have begun: a stop now would be a new action (unless a start failed).</summary>
    internal bool Starting { get; set; }

    /// <summary>The instant of its start attempts: a later instant ends it.</summary>
    internal long StartingAtMs { get; set; }

    /// <summary>Adds event <paramref name="index"/>, on <paramref name="child"/>'s subtree, to it.</summary>
    internal void Include(int index, string child)
    {
        if (!Children.Contains(child))
        {
            Children.Add(child);
        }
        Include(index);
    }

    /// <summary>Adds event <paramref name="index"/> to it.</summary>
    internal void Include(int index)
    {
        if (First < 0)
        {
            First = index;
        }
        Last = index;
    }
}
