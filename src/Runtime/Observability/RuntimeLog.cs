using Microsoft.Extensions.Logging;
using Supervision.Engine;

namespace Supervision.Runtime;

/// <summary>
/// The runtime's log events, mirroring OTP's supervisor reports, with stable event ids (documented in
/// the README): 1 progress, 2 child_terminated, 3 start_error, 4 shutdown_error,
/// 5 reached_max_restart_intensity, 10 rogue task ended, 11 start timed out, 12 child crashed,
/// 13 cancellation callback failed, 14 supervisor faulted, 15 rogue task, 16 host shutdown timed out, 20 restart delayed (backoff).
/// </summary>
internal sealed class RuntimeLog(ILogger logger)
{
    public static readonly EventId Progress = new(1, "progress");
    public static readonly EventId ChildTerminatedId = new(2, "child_terminated");
    public static readonly EventId StartErrorId = new(3, "start_error");
    public static readonly EventId ShutdownErrorId = new(4, "shutdown_error");
    public static readonly EventId GaveUpId = new(5, "reached_max_restart_intensity");
    public static readonly EventId RogueEndedId = new(10, "rogue_task_ended");
    public static readonly EventId StartTimedOutId = new(11, "start_timeout");
    public static readonly EventId ChildCrashedId = new(12, "child_crashed");
    public static readonly EventId CancellationFailedId = new(13, "cancellation_callback_failed");
    public static readonly EventId SupervisorFaultedId = new(14, "supervisor_faulted");
    public static readonly EventId RogueTaskId = new(15, "rogue_task");
    public static readonly EventId HostStopTimedOutId = new(16, "host_stop_timed_out");
    public static readonly EventId HealthProbeFailedId = new(17, "health_probe_failed");
    public static readonly EventId HealthProbeThrewId = new(18, "health_probe_threw");
    public static readonly EventId HealthProbeMissingId = new(19, "health_probe_missing");
    public static readonly EventId RestartDelayedId = new(20, "restart_delayed");

    public void Report(ReportKind kind, string supervisor, string child, ExitReason reason, int count, IReadOnlyList<RestartAttempt>? window)
    {
        // Checked first: the arguments (a formatted reason, a params array) would be built for nothing.
        if (!logger.IsEnabled(kind == ReportKind.Progress ? LogLevel.Information : LogLevel.Error))
        {
            return;
        }
        switch (kind)
        {
            case ReportKind.Progress:
                logger.LogInformation(Progress, "Supervisor {Supervisor} started child {Child}", supervisor, child);
                break;
            case ReportKind.ChildTerminated:
                logger.LogError(ChildTerminatedId, "Supervisor {Supervisor}: child {Child} terminated with reason {Reason}", supervisor, child, reason.ToString());
                break;
            case ReportKind.StartError:
                logger.LogError(StartErrorId, "Supervisor {Supervisor}: child {Child} failed to start: {Reason}", supervisor, child, reason.ToString());
                break;
            case ReportKind.ShutdownError:
                logger.LogError(ShutdownErrorId, "Supervisor {Supervisor}: child {Child} ended with {Reason} when asked to stop ({Count} children)", supervisor, child, reason.ToString(), count);
                break;
            default:
                logger.LogError(GaveUpId, "Supervisor {Supervisor} reached its maximum restart intensity after {Child}; restarts in the window: {RestartWindow}", supervisor, child, Describe(window));
                break;
        }
    }

    /// <summary>Each counted attempt: time, child and reason, so a reader sees why the supervisor gave up.</summary>
    public static string Describe(IReadOnlyList<RestartAttempt>? window)
    {
        if (window is null || window.Count == 0)
        {
            return "[]";
        }
        return "[" + string.Join(", ", window.Select(a => $"{a.TimeMs} ms {a.ChildId}{(a.Instance > 0 ? $"#{a.Instance}" : "")} {a.Reason}")) + "]";
    }

    public void RestartDelayed(string supervisor, string child, long delayMs, int attempt, ExitReason reason)
    {
        if (logger.IsEnabled(LogLevel.Warning))
        {
            logger.LogWarning(RestartDelayedId, "Supervisor {Supervisor}: restart of {Child} (after {Reason}) waits {DelayMs} ms, backoff attempt {Attempt}", supervisor, child, reason.ToString(), delayMs, attempt);
        }
    }

    public void RogueTask(string path, int incarnation, string cause, TimeSpan grace) =>
        logger.LogError(RogueTaskId, "Child {Child} (incarnation {Incarnation}) still runs {Grace} after its {Cause}: abandoned as a rogue task; the next incarnation may run beside it", path, incarnation, grace, cause);

    public void RogueTaskEnded(string path, int incarnation, ExitReason? outcome)
    {
        if (logger.IsEnabled(LogLevel.Warning))
        {
            logger.LogWarning(RogueEndedId, "Rogue task of child {Child} (incarnation {Incarnation}) ended ({Reason}); ignored", path, incarnation, outcome?.ToString() ?? "in its start");
        }
    }

    public void HealthProbeFailed(string path, int failures) =>
        logger.LogError(HealthProbeFailedId, "Child {Child} failed {Failures} health probes in a row: it is ended with health_probe_failed", path, failures);

    public void HealthProbeMissing(string path) =>
        logger.LogError(HealthProbeMissingId, "Child {Child} has health probing on but no probe: neither HealthProbeOptions.Probe nor IHealthProbe on the child object; it runs unprobed", path);

    public void HealthProbeThrew(string path, Exception error) =>
        logger.LogWarning(HealthProbeThrewId, error, "The health probe of child {Child} threw (a failed probe)", path);

    public void HostStopTimedOut(string tree, IReadOnlyList<string> stillRunning) =>
        logger.LogError(HostStopTimedOutId, "The host's shutdown timeout ran out before tree {Tree} stopped: every child was asked to stop; still running: {Children}", tree, stillRunning.Count == 0 ? "none" : string.Join(", ", stillRunning.Take(20)) + (stillRunning.Count > 20 ? $" and {stillRunning.Count - 20} more" : ""));

    public void StartTimedOut(string path, TimeSpan timeout) =>
        logger.LogError(StartTimedOutId, "Child {Child} did not finish starting within {Timeout}; counted as a failed start", path, timeout);

    public void ChildCrashed(string path, Exception error) =>
        logger.LogWarning(ChildCrashedId, error, "Child {Child} threw", path);

    public void CancellationCallbackFailed(string path, Exception error) =>
        logger.LogWarning(CancellationFailedId, error, "A cancellation callback of child {Child} threw", path);

    public void SupervisorFaulted(string path, Exception error) =>
        logger.LogCritical(SupervisorFaultedId, error, "Supervisor {Supervisor} failed; its subtree is killed", path);
}
