using System.Diagnostics;
using Supervision.Engine;

namespace Supervision.Runtime;

/// <summary>
/// One supervisor's restart in progress, as its observers see it: the span (<see cref="SupervisionTracing"/>),
/// the group_restart log entry (event 20) and the restart-duration measurement. It begins at the
/// child_terminated report of a child that is restarted and ends when the engine's restart is over (every
/// child of the group started, a start failed, a give-up, or the supervisor ended). Made only when somebody
/// listens, and reused from one restart to the next: an unobserved restart costs nothing here.
/// </summary>
internal sealed class RestartObservation(string tree, string supervisor, RestartStrategy strategy)
{
    private readonly List<string> _stopped = [];
    private readonly List<string> _restarting = [];
    private Activity? _activity;
    private string _child = string.Empty;
    private long _startTimestamp;
    private int _stoppedCount;
    private bool _logGroup;
    private bool _startFailed;

    /// <summary>A restart is being observed.</summary>
    public bool Active { get; private set; }

    /// <summary>The group's start walk has begun (its stops are over).</summary>
    public bool Starting { get; private set; }

    public bool IsGroup => strategy is RestartStrategy.OneForAll or RestartStrategy.RestForOne;

    /// <summary>
    /// Observes a restart that begins now (the previous one, if any, is over: the engine restarts one at a time).
    /// </summary>
    public void Begin(string child, ExitReason reason, Exception? error, int restartsInWindow, SupervisorSpec spec, TimeProvider clock, bool traced, bool logGroup)
    {
        if (Active)
        {
            End(clock, null);
        }
        Active = true;
        Starting = false;
        _startFailed = false;
        _child = child;
        _logGroup = logGroup && IsGroup;
        _stopped.Clear();
        _restarting.Clear();
        _stoppedCount = 0;
        _startTimestamp = clock.GetTimestamp();
        _activity = traced ? SupervisionTracing.StartRoot(IsGroup ? SupervisionTracing.GroupRestartActivityName : SupervisionTracing.RestartActivityName, clock.GetUtcNow()) : null;
        if (_activity is { } activity)
        {
            activity.SetTag(SupervisionTracing.TreeTag, tree);
            activity.SetTag(SupervisionTracing.SupervisorTag, supervisor);
            activity.SetTag(SupervisionTracing.ChildTag, child);
            activity.SetTag(SupervisionTracing.ReasonTag, reason.ToString());
            activity.SetTag(SupervisionTracing.StrategyTag, RuntimeLog.StrategyName(strategy));
            activity.SetTag(SupervisionTracing.RestartsInWindowTag, restartsInWindow);
            activity.SetTag(SupervisionTracing.IntensityTag, spec.Intensity);
            activity.SetTag(SupervisionTracing.PeriodTag, spec.PeriodSeconds);
            if (error is not null)
            {
                activity.AddException(error);
            }
        }
    }

    /// <summary>A child of the group ended during the stop phase (it was stopped, killed, or had already exited).</summary>
    public void OnStopped(string child, ExitReason reason)
    {
        _stoppedCount++;
        if (_activity is not null || _stopped.Count < LogText.NamesLimit)
        {
            _stopped.Add(child);
        }
        _activity?.AddEvent(new ActivityEvent("child_stopped", tags: new ActivityTagsCollection { [SupervisionTracing.ChildTag] = child, [SupervisionTracing.ReasonTag] = reason.ToString() }));
    }

    /// <summary>
    /// The first start of the restart: the group's stops are over and the start walk begins with
    /// <paramref name="restarting"/> (oldest first), which the group_restart entry names.
    /// </summary>
    public void OnStartWalk(IReadOnlyList<string> restarting, RuntimeLog log)
    {
        Starting = true;
        _restarting.AddRange(restarting);
        if (_logGroup)
        {
            log.GroupRestart(supervisor, strategy, _child, _stopped, _stoppedCount, _restarting, _restarting.Count);
        }
    }

    public void OnStarted(string child) =>
        _activity?.AddEvent(new ActivityEvent("child_started", tags: new ActivityTagsCollection { [SupervisionTracing.ChildTag] = child }));

    public void OnStartFailed(string child, ExitReason reason)
    {
        _startFailed = true;
        _activity?.AddEvent(new ActivityEvent("start_failed", tags: new ActivityTagsCollection { [SupervisionTracing.ChildTag] = child, [SupervisionTracing.ReasonTag] = reason.ToString() }));
    }

    /// <summary>
    /// The restart is over. <paramref name="outcome"/>: <c>gave_up</c> or <c>interrupted</c>; null for the
    /// engine's end of the restart (<c>restarted</c>, or <c>start_failed</c> when a start failed and is retried).
    /// </summary>
    public void End(TimeProvider clock, string? outcome, SupervisionMetrics? metrics = null)
    {
        if (!Active)
        {
            return;
        }
        Active = false;
        outcome ??= _startFailed ? "start_failed" : "restarted";
        if (outcome == "restarted" && metrics is { RestartDurationEnabled: true })
        {
            metrics.RestartDuration(clock.GetElapsedTime(_startTimestamp), supervisor, RuntimeLog.StrategyName(strategy));
        }
        if (_activity is { } activity)
        {
            activity.SetTag(SupervisionTracing.OutcomeTag, outcome);
            if (IsGroup)
            {
                activity.SetTag(SupervisionTracing.StoppedTag, _stopped.ToArray());
                activity.SetTag(SupervisionTracing.RestartedTag, _restarting.ToArray());
            }
            if (outcome != "restarted")
            {
                activity.SetStatus(ActivityStatusCode.Error, outcome);
            }
            SupervisionTracing.Stop(activity, clock.GetUtcNow());
            _activity = null;
        }
    }
}
