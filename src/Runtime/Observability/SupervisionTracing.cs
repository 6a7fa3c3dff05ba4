using System.Diagnostics;

namespace Supervision.Runtime;

/// <summary>
/// The runtime's traces: an <see cref="ActivitySource"/> named <see cref="ActivitySourceName"/> (add it to an
/// OpenTelemetry tracer with <c>AddSource("Supervision.Runtime")</c>). Spans, each a root span on the tree's
/// clock, tagged with <see cref="TreeTag"/>, <see cref="SupervisorTag"/>, <see cref="ChildTag"/>,
/// <see cref="ReasonTag"/> and <see cref="StrategyTag"/>:
/// <list type="bullet">
/// <item><see cref="RestartActivityName"/>: a one_for_one (or simple_one_for_one) restart, from the child's exit
/// to its restart (or the failed start); the exception, if the child threw, as an <c>exception</c> event.</item>
/// <item><see cref="GroupRestartActivityName"/>: a one_for_all or rest_for_one restart, from the exit to the last
/// child of the group restarted; the children stopped and restarted as <see cref="StoppedTag"/> and
/// <see cref="RestartedTag"/>, and one event per child (<c>child_stopped</c>, <c>child_started</c>).</item>
/// <item><see cref="GiveUpActivityName"/>: a supervisor exceeded its intensity, until it has stopped its children
/// and exited (status error); the window's count and its itemised attempts as <c>restart_attempt</c> events.</item>
/// </list>
/// Nothing is built when nobody listens (<see cref="ActivitySource.HasListeners"/>).
/// </summary>
public static class SupervisionTracing
{
    /// <summary>The activity source's name (the same as the meter's).</summary>
    public const string ActivitySourceName = "Supervision.Runtime";

    /// <summary>A one_for_one or simple_one_for_one restart of a child.</summary>
    public const string RestartActivityName = "supervision.restart";

    /// <summary>A one_for_all or rest_for_one restart of a group of children.</summary>
    public const string GroupRestartActivityName = "supervision.group_restart";

    /// <summary>A supervisor gives up (maximum restart intensity reached).</summary>
    public const string GiveUpActivityName = "supervision.give_up";

    /// <summary>Tag: the tree (its root supervisor's id).</summary>
    public const string TreeTag = "supervision.tree";

    /// <summary>Tag: the supervisor's path.</summary>
    public const string SupervisorTag = "supervision.supervisor";

    /// <summary>Tag: the path of the child whose exit caused the span.</summary>
    public const string ChildTag = "supervision.child";

    /// <summary>Tag: the exit reason that caused the span.</summary>
    public const string ReasonTag = "supervision.reason";

    /// <summary>Tag: the supervisor's strategy (one_for_one, one_for_all, rest_for_one, simple_one_for_one).</summary>
    public const string StrategyTag = "supervision.strategy";

    /// <summary>Tag: restart attempts in the window, this one included.</summary>
    public const string RestartsInWindowTag = "supervision.restarts_in_window";

    /// <summary>Tag: the supervisor's intensity.</summary>
    public const string IntensityTag = "supervision.intensity";

    /// <summary>Tag: the supervisor's period, in seconds.</summary>
    public const string PeriodTag = "supervision.period_s";

    /// <summary>Tag (group restarts): the paths of the children stopped, newest first.</summary>
    public const string StoppedTag = "supervision.stopped";

    /// <summary>Tag (group restarts): the paths of the children restarted, oldest first.</summary>
    public const string RestartedTag = "supervision.restarted";

    /// <summary>Tag: how the span ended: <c>restarted</c>, <c>start_failed</c>, <c>gave_up</c>, <c>interrupted</c> (restarts) or <c>exited</c> (give-ups).</summary>
    public const string OutcomeTag = "supervision.outcome";

    internal static readonly ActivitySource Source = new(ActivitySourceName, typeof(SupervisionTracing).Assembly.GetName().Version?.ToString());

    /// <summary>
    /// Starts a root span at <paramref name="start"/> without touching the caller's <see cref="Activity.Current"/>:
    /// a supervisor loop must not leak its spans into the children it starts next. Null when nobody listens.
    /// </summary>
    internal static Activity? StartRoot(string name, DateTimeOffset start)
    {
        var previous = Activity.Current;
        Activity.Current = null;
        try
        {
            return Source.StartActivity(name, ActivityKind.Internal, parentContext: default, startTime: start);
        }
        finally
        {
            Activity.Current = previous;
        }
    }

    /// <summary>Ends <paramref name="activity"/> at <paramref name="end"/>, leaving <see cref="Activity.Current"/> as it was.</summary>
    internal static void Stop(Activity activity, DateTimeOffset end)
    {
        var previous = Activity.Current;
        activity.SetEndTime(end.UtcDateTime);
        activity.Stop();
        Activity.Current = previous;
    }
}
