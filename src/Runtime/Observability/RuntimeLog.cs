using Microsoft.Extensions.Logging;
using Supervision.Engine;

namespace Supervision.Runtime;

/// <summary>
/// The runtime's log events, mirroring OTP's supervisor reports, with stable event ids and names
/// (documented in the README): 1 progress, 2 child_terminated, 3 start_error, 4 shutdown_error,
/// 5 reached_max_restart_intensity, 10 rogue_task_ended, 11 start_timeout, 12 child_crashed (debug),
/// 13 cancellation_callback_failed, 14 supervisor_faulted, 15 rogue_task, 16 host_stop_timed_out,
/// 17 health_probe_failed, 18 health_probe_threw, 19 health_probe_missing, 20 group_restart, 21 supervisor_exited,
/// 22 restart_delayed (opt-in backoff). Every message is bounded in size: lists of children and the
/// restart window are summarised past a limit, and an exception's message is cut (the exception itself
/// rides on the entry).
/// </summary>
internal sealed class RuntimeLog(ILogger logger)
{
    /// <summary>The longest exception message or exit reason quoted in a message's text.</summary>
    internal const int ExceptionMessageLimit = 500;

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
    public static readonly EventId GroupRestartId = new(20, "group_restart");
    public static readonly EventId SupervisorExitedId = new(21, "supervisor_exited");
    public static readonly EventId RestartDelayedId = new(22, "restart_delayed");

    public bool IsEnabled(LogLevel level) => logger.IsEnabled(level);

    public void ChildStarted(string supervisor, string child) => RuntimeLogMessages.Progress(logger, supervisor, child);

    /// <summary>Event 2: which child, why (the exception's type and message), what the strategy does, and the budget.</summary>
    public void ChildTerminated(string supervisor, string child, ExitReason reason, Exception? error, RestartStrategy strategy, string action, int restartsInWindow, int intensity, int periodSeconds)
    {
        if (!logger.IsEnabled(LogLevel.Error))
        {
            return;
        }
        var name = StrategyName(strategy);
        if (error is null)
        {
            ChildTerminatedMessages.ChildTerminated(logger, supervisor, child, Reason(reason), name, action, restartsInWindow, intensity, periodSeconds);
        }
        else
        {
            ChildCrashedTerminatedMessages.ChildTerminated(logger, error, supervisor, child, Reason(reason), ExceptionMessage(error), name, action, restartsInWindow, intensity, periodSeconds);
        }
    }

    public void StartError(string supervisor, string child, ExitReason reason, Exception? error, string action)
    {
        if (logger.IsEnabled(LogLevel.Error))
        {
            var described = error is null ? Reason(reason) : $"{Reason(reason)} ({ExceptionMessage(error)})";
            RuntimeLogMessages.StartError(logger, error, supervisor, child, described, action);
        }
    }

    public void RestartDelayed(string supervisor, string child, long delayMs, int attempt, ExitReason reason)
    {
        if (logger.IsEnabled(LogLevel.Warning))
        {
            RuntimeLogMessages.RestartDelayed(logger, supervisor, child, Reason(reason), delayMs, attempt);
        }
    }

    public void ShutdownError(string supervisor, string child, ExitReason reason, Exception? error, int count)
    {
        if (logger.IsEnabled(LogLevel.Error))
        {
            RuntimeLogMessages.ShutdownError(logger, error, supervisor, child, Reason(reason), count);
        }
    }

    /// <summary>Event 5, bounded: the window is itemised when small, summarised otherwise (see <see cref="LogText.Window"/>).</summary>
    public void GaveUp(string supervisor, string child, ExitReason lastReason, RestartWindowReport? window)
    {
        if (logger.IsEnabled(LogLevel.Error))
        {
            RuntimeLogMessages.GaveUp(logger, supervisor, window?.AttemptCount ?? 0, window?.PeriodSeconds ?? 0, window?.Intensity ?? 0, child, Reason(lastReason), LogText.Window(window));
        }
    }

    public void GroupRestart(string supervisor, RestartStrategy strategy, string child, IReadOnlyList<string> stopped, int stoppedCount, IReadOnlyList<string> restarting, int restartingCount) =>
        RuntimeLogMessages.GroupRestart(logger, supervisor, StrategyName(strategy), child, LogText.Names(stopped, stoppedCount), LogText.Names(restarting, restartingCount));

    public void SupervisorExited(string supervisor, ExitReason reason, ExitCause cause, IReadOnlyList<string> stopped, int stoppedCount) =>
        RuntimeLogMessages.SupervisorExited(logger, supervisor, Reason(reason), CauseName(cause), stoppedCount, LogText.Names(stopped, stoppedCount));

    public void RogueTask(string path, int incarnation, string cause, TimeSpan grace) =>
        RuntimeLogMessages.RogueTask(logger, path, incarnation, grace, cause);

    public void RogueTaskEnded(string path, int incarnation, ExitReason? outcome) =>
        RuntimeLogMessages.RogueTaskEnded(logger, path, incarnation, outcome?.ToString() ?? "in its start");

    public void HealthProbeFailed(string path, int failures) => RuntimeLogMessages.HealthProbeFailed(logger, path, failures);

    public void HealthProbeMissing(string path) => RuntimeLogMessages.HealthProbeMissing(logger, path);

    public void HealthProbeThrew(string path, Exception error) => RuntimeLogMessages.HealthProbeThrew(logger, error, path);

    public void HostStopTimedOut(string tree, IReadOnlyList<string> stillRunning) =>
        RuntimeLogMessages.HostStopTimedOut(logger, tree, LogText.Names(stillRunning, stillRunning.Count));

    public void StartTimedOut(string path, TimeSpan timeout) => RuntimeLogMessages.StartTimedOut(logger, path, timeout);

    public void ChildCrashed(string path, Exception error) => RuntimeLogMessages.ChildCrashed(logger, error, path);

    public void CancellationCallbackFailed(string path, Exception error) => RuntimeLogMessages.CancellationCallbackFailed(logger, error, path);

    public void SupervisorFaulted(string path, Exception error) => RuntimeLogMessages.SupervisorFaulted(logger, error, path);

    /// <summary>OTP's name of a strategy, as in logs, tags and the scenario format.</summary>
    public static string StrategyName(RestartStrategy strategy) => strategy switch
    {
        RestartStrategy.OneForAll => "one_for_all",
        RestartStrategy.RestForOne => "rest_for_one",
        RestartStrategy.SimpleOneForOne => "simple_one_for_one",
        _ => "one_for_one",
    };

    /// <summary>Why a supervisor exited, as in logs and tags.</summary>
    public static string CauseName(ExitCause cause) => cause switch
    {
        ExitCause.GaveUp => "gave up",
        ExitCause.AutoShutdown => "auto_shutdown",
        ExitCause.Stopped => "stopped",
        _ => "exited",
    };

    /// <summary>An exception's message on one line, cut at <see cref="ExceptionMessageLimit"/> characters.</summary>
    public static string ExceptionMessage(Exception error) => LogText.Cut(error.Message.ReplaceLineEndings(" "), ExceptionMessageLimit);

    /// <summary>An exit reason as a message quotes it: a reason is the user's token, of any length, so it is cut too.</summary>
    private static string Reason(ExitReason reason) => LogText.Cut(reason.ToString(), ExceptionMessageLimit);
}
