using Microsoft.Extensions.Logging;
using Supervision.Engine;

namespace Supervision.Runtime.Hosting;

/// <summary>The root's end is the process's business: what the host does when its tree ends on its own.</summary>
public sealed partial class SupervisionTreeHost
{
    private ILogger? _logger;

    private ILogger Logger => _logger ??= _treeOptions.LoggerFactory?.CreateLogger("Supervision.Runtime") ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

    /// <summary>The name in log lines: the tree's name, or its root's id for the tree without a name.</summary>
    private string LogName => Name.Length == 0 ? _root.Id : Name;

    /// <summary>Waits for the tree to end; an end on its own gets the policy (and a restarted tree is watched in turn).</summary>
    private async Task WatchAsync(SupervisionTree tree)
    {
        try
        {
            for (var current = tree; current is not null;)
            {
                var ended = await current.Termination;
                lock (_gate)
                {
                    if (_stopRequested)
                    {
                        return;
                    }
                    // Stopped through the tree itself (its StopAsync or DisposeAsync): deliberate, not an end on its own.
                    _status = ended.Cause == ExitCause.Stopped ? SupervisionTreeStatus.Stopped : SupervisionTreeStatus.Ended;
                    if (ended.Cause == ExitCause.Stopped)
                    {
                        return;
                    }
                    _lastExit = ended;
                }
                current = await ApplyPolicyAsync(ended);
            }
        }
        catch (Exception error)
        {
            // Never unseen, and never an application left running without its tree by mistake.
            LifecycleLog.PolicyFailed(Logger, error, LogName);
            Environment.ExitCode = Options.ExitCode;
            _lifetime?.StopApplication();
        }
    }

    /// <summary>Applies <see cref="SupervisionTreeHostOptions.RootExit"/>; returns the restarted tree, if any.</summary>
    private async Task<SupervisionTree?> ApplyPolicyAsync(TreeTermination ended)
    {
        var why = Why(ended);
        // auto_shutdown is a designed end; giving up, a failed init or a fault is a failure.
        var level = ended.Cause == ExitCause.AutoShutdown ? LogLevel.Warning : LogLevel.Error;
        switch (Options.RootExit)
        {
            case RootExitPolicy.KeepRunning:
                LifecycleLog.TreeEnded(Logger, level, LogName, why, "The application keeps running without it (RootExit = KeepRunning); its health check reports unhealthy");
                return null;
            case RootExitPolicy.RestartTree:
                if (!Restarts.TryTake(_treeOptions.Scheduler.TimeProvider.GetElapsedTime(0), out var wait, out var inWindow))
                {
                    StopApplication(level, why, $"It was already restarted {Options.MaxTreeRestarts} time(s) within {Options.TreeRestartPeriod} (MaxTreeRestarts), so the policy escalates. ");
                    return null;
                }
                SetStatus(SupervisionTreeStatus.RestartPending);
                LifecycleLog.TreeEnded(Logger, level, LogName, why,
                    $"Restarting it in {wait} (tree restart {inWindow} of at most {Options.MaxTreeRestarts} within {Options.TreeRestartPeriod}; RootExit = RestartTree)");
                return await RestartAsync(wait, inWindow);
            default:
                StopApplication(level, why, "");
                return null;
        }
    }

    /// <summary>The process is the next supervisor up: the application stops with a failure exit code.</summary>
    private void StopApplication(LogLevel level, string why, string escalation)
    {
        var action = _lifetime is null
            ? $"{escalation}There is no application to stop (the host was made without one): the process exit code is set to {Options.ExitCode}"
            : $"{escalation}Stopping the application with exit code {Options.ExitCode}, so that whatever runs the process (systemd, Kubernetes, a service manager) restarts it";
        LifecycleLog.TreeEnded(Logger, level, LogName, why, action);
        Environment.ExitCode = Options.ExitCode;
        _lifetime?.StopApplication();
    }

    /// <summary>After the backoff, a new tree from the same definition (unless the host stops meanwhile).</summary>
    private async Task<SupervisionTree?> RestartAsync(TimeSpan wait, int inWindow)
    {
        try
        {
            await Task.Delay(wait, _treeOptions.Scheduler.TimeProvider, _stopping.Token);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
        SupervisionTree next;
        lock (_gate)
        {
            if (_stopRequested)
            {
                return null;
            }
            next = SupervisionTree.Create(_root, _treeOptions);
            _tree = next;
            _status = SupervisionTreeStatus.Starting;
        }
        try
        {
            await next.Started;
        }
        catch (SupervisorStartException)
        {
            // Its init failed: the tree has ended, and its end is handled as any other (the budget bounds the retries).
            return next;
        }
        SetStatus(SupervisionTreeStatus.Running);
        LifecycleLog.TreeRestarted(Logger, LogName, inWindow, Options.MaxTreeRestarts, Options.TreeRestartPeriod);
        return next;
    }

    /// <summary>Why the root ended, for a reader who must act on it.</summary>
    private string Why(TreeTermination ended)
    {
        var why = ended.Cause switch
        {
            ExitCause.GaveUp => $"its root supervisor {_root.Id} gave up after more than {_root.Intensity} restart(s) within {_root.PeriodSeconds} s" +
                (ended.GaveUpAfter is { } last ? $"; the last: child {_root.Id}/{last.ChildId}{(last.Instance > 0 ? $"#{last.Instance}" : "")} exited with reason {last.Reason}" : ""),
            ExitCause.AutoShutdown => $"its root supervisor {_root.Id} shut down by auto_shutdown (a significant child ended)",
            _ => $"its root supervisor {_root.Id} exited with reason {ended.Reason}",
        };
        return ended.RogueTasks.Count == 0 ? why : $"{why} ({ended.RogueTasks.Count} rogue task(s) still running)";
    }
}
