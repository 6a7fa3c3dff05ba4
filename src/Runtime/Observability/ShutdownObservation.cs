using System.Diagnostics;
using Supervision.Engine;

namespace Supervision.Runtime;

/// <summary>
/// A supervisor's way out, as its observers see it: the children it stopped (counted, the first
/// <see cref="LogText.NamesLimit"/> named) for the supervisor_exited entry (event 21), and the give-up span
/// from the reached_max_restart_intensity report to the exit. Bounded whatever the number of children.
/// </summary>
internal sealed class ShutdownObservation
{
    private readonly List<string> _stopped = [];
    private Activity? _giveUp;

    public int StoppedCount { get; private set; }

    public IReadOnlyList<string> Stopped => _stopped;

    public void OnStopped(string child)
    {
        StoppedCount++;
        if (_stopped.Count < LogText.NamesLimit)
        {
            _stopped.Add(child);
        }
    }

    /// <summary>The supervisor gives up: the span opens now, with the window's count and its itemised attempts as events.</summary>
    public void BeginGiveUp(string tree, string supervisor, RestartStrategy strategy, string child, ExitReason reason, RestartWindowReport? window, DateTimeOffset now)
    {
        _giveUp = SupervisionTracing.StartRoot(SupervisionTracing.GiveUpActivityName, now);
        if (_giveUp is not { } activity)
        {
            return;
        }
        activity.SetTag(SupervisionTracing.TreeTag, tree);
        activity.SetTag(SupervisionTracing.SupervisorTag, supervisor);
        activity.SetTag(SupervisionTracing.ChildTag, child);
        activity.SetTag(SupervisionTracing.ReasonTag, reason.ToString());
        activity.SetTag(SupervisionTracing.StrategyTag, RuntimeLog.StrategyName(strategy));
        if (window is not null)
        {
            activity.SetTag(SupervisionTracing.RestartsInWindowTag, window.AttemptCount);
            activity.SetTag(SupervisionTracing.IntensityTag, window.Intensity);
            activity.SetTag(SupervisionTracing.PeriodTag, window.PeriodSeconds);
            // Bounded by the engine: at most RestartWindowReport.ItemisedLimit attempts.
            foreach (var attempt in window)
            {
                activity.AddEvent(new ActivityEvent("restart_attempt", tags: new ActivityTagsCollection
                {
                    [SupervisionTracing.ChildTag] = attempt.ChildId,
                    [SupervisionTracing.ReasonTag] = attempt.Reason.ToString(),
                    ["supervision.time_ms"] = attempt.TimeMs,
                }));
            }
        }
        activity.SetStatus(ActivityStatusCode.Error, "reached_max_restart_intensity");
    }

    /// <summary>The supervisor is gone (<paramref name="outcome"/>: <c>exited</c>, or <c>interrupted</c> when it was killed first).</summary>
    public void EndGiveUp(DateTimeOffset now, string outcome)
    {
        if (_giveUp is { } activity)
        {
            activity.SetTag(SupervisionTracing.OutcomeTag, outcome);
            activity.SetTag("supervision.stopped_count", StoppedCount);
            SupervisionTracing.Stop(activity, now);
            _giveUp = null;
        }
    }
}
