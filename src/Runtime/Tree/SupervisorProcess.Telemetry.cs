using Microsoft.Extensions.Logging;
using Supervision.Engine;

namespace Supervision.Runtime.Tree;

/// <summary>
/// What the supervisor's observers are told about its decisions: the log entries (with the exception that
/// ended a child, what the strategy does and the restart budget), the restart and give-up spans, the restart
/// duration. Nothing here decides anything; with nobody listening it costs a few checks.
/// </summary>
internal sealed partial class SupervisorProcess
{
    /// <summary>The most exceptions kept for reports not yet made (exits the engine has queued): old ones go first.</summary>
    private const int PendingErrorLimit = 64;

    /// <summary>Exceptions that ended a child (a crash or a failed start), kept until the engine's report about that child.</summary>
    private List<(ChildRef Child, Exception Error)>? _pendingErrors;
    private RestartObservation? _restart;
    private ShutdownObservation? _shutdown;

    /// <summary>The exception that ended <paramref name="child"/>, for the report the engine is about to make (or has queued).</summary>
    private void RememberError(ChildRef child, Exception? error)
    {
        if (error is null)
        {
            return;
        }
        _pendingErrors ??= [];
        if (_pendingErrors.Count == PendingErrorLimit)
        {
            // An exit the engine never reported (its supervisor was busy, then stopped): forgotten rather than kept.
            _pendingErrors.RemoveAt(0);
        }
        _pendingErrors.Add((child, error));
    }

    private Exception? TakeError(ChildRef child)
    {
        if (_pendingErrors is null)
        {
            return null;
        }
        var index = _pendingErrors.FindIndex(pending => pending.Child == child);
        if (index < 0)
        {
            return null;
        }
        var error = _pendingErrors[index].Error;
        _pendingErrors.RemoveAt(index);
        return error;
    }

    /// <summary>A report decision: logged here (this supervisor knows the exception, the strategy and the window), then published by the tree.</summary>
    private void OnReport(in Decision d)
    {
        var child = ChildPath(d);
        switch (d.Report)
        {
            case ReportKind.Progress:
                Tree.Log.ChildStarted(Path, child);
                _restart?.OnStarted(child);
                break;
            case ReportKind.ChildTerminated:
                OnChildTerminatedReport(d, child, TakeError(d.Child));
                break;
            case ReportKind.StartError:
                Tree.Log.StartError(Path, child, d.Reason, TakeError(d.Child), HasStarted ? "it is retried, as another restart" : "the supervisor's init fails");
                _restart?.OnStartFailed(child, d.Reason);
                break;
            case ReportKind.ShutdownError:
                Tree.Log.ShutdownError(Path, child, d.Reason, TakeError(d.Child), d.Count);
                break;
            case ReportKind.RestartDelayed:
                Tree.Log.RestartDelayed(Path, child, d.RestartDelayMs, d.Count, d.Reason);
                _restart?.End(Tree.TimeProvider, "delayed"); // the engine's restart is over until the delay has passed
                break;
            case ReportKind.ReachedMaxRestartIntensity:
                // The report's own reason is reached_max_restart_intensity; the reader wants the exit that tipped it over.
                var lastExit = d.RestartWindow is { Count: > 0 } window ? window[^1].Reason : d.Reason;
                Tree.Log.GaveUp(Path, child, lastExit, d.RestartWindow);
                _restart?.End(Tree.TimeProvider, "gave_up");
                _shutdown ??= new ShutdownObservation();
                _shutdown.BeginGiveUp(Tree.Root.Path, Path, _definition.Strategy, child, lastExit, d.RestartWindow, Tree.TimeProvider.GetUtcNow());
                break;
        }
        Tree.Report(this, d, child);
    }

    private void OnChildTerminatedReport(in Decision d, string child, Exception? error)
    {
        var spec = _engine.Spec;
        var counted = d.RestartsInWindow;
        var action = counted == 0 ? "not restarted (temporary)"
            : counted > spec.Intensity ? "not restarted: the restart intensity is exceeded, the supervisor gives up"
            : _definition.Strategy switch
            {
                RestartStrategy.OneForAll => "restarting every child",
                RestartStrategy.RestForOne => "restarting it and the children started after it",
                _ => "restarting it",
            };
        Tree.Log.ChildTerminated(Path, child, d.Reason, error, _definition.Strategy, action, counted == 0 ? _engine.RestartsInWindow : counted, spec.Intensity, spec.PeriodSeconds);
        if (counted == 0 || counted > spec.Intensity)
        {
            return;
        }
        var traced = SupervisionTracing.Source.HasListeners();
        var logGroup = Tree.Log.IsEnabled(LogLevel.Warning);
        if (traced || Tree.Metrics.RestartDurationEnabled || (logGroup && _definition.Strategy is RestartStrategy.OneForAll or RestartStrategy.RestForOne))
        {
            _restart ??= new RestartObservation(Tree.Root.Path, Path, _definition.Strategy);
            _restart.Begin(child, d.Reason, error, counted, spec, Tree.TimeProvider, traced, logGroup);
        }
    }

    /// <summary>Every decision passes here first: a group's stops and first start, and the children a shutdown stops.</summary>
    private void ObserveDecision(in Decision d)
    {
        if (d.Kind == DecisionKind.ChildTerminated)
        {
            if (_restart is { Active: true, Starting: false } restart)
            {
                restart.OnStopped(ChildPath(d), d.Reason);
            }
            else if (_engine.IsShuttingDown || _engine.Status == EngineStatus.Exited)
            {
                (_shutdown ??= new ShutdownObservation()).OnStopped(ChildPath(d));
            }
        }
        else if (d.Kind == DecisionKind.StartChild && _restart is { Active: true, Starting: false, IsGroup: true } group)
        {
            group.OnStartWalk(RestartGroup(d.Spec!.Id), Tree.Log);
        }
    }

    /// <summary>
    /// The children a group restart starts, oldest first: the engine's table from <paramref name="firstId"/> to the
    /// newest, read when the start walk begins (the stops are over and the temporary children are gone).
    /// </summary>
    private List<string> RestartGroup(string firstId)
    {
        var children = _engine.SnapshotChildren(); // newest first
        var group = new List<string>();
        for (var i = children.Count - 1; i >= 0; i--)
        {
            if (group.Count > 0 || children[i].Id == firstId)
            {
                group.Add($"{Path}/{children[i].Id}");
            }
        }
        return group;
    }

    /// <summary>After a batch of events: the restart being observed may be over.</summary>
    private void AfterPumpObserved()
    {
        if (_restart is { Active: true } restart && !_engine.IsRestarting)
        {
            restart.End(Tree.TimeProvider, null, Tree.Metrics);
        }
    }

    /// <summary>The supervisor exited on its own terms (a stop, a give-up, an auto_shutdown): one bounded entry, and the give-up span ends.</summary>
    private void OnExitedObserved(in Decision d)
    {
        var shutdown = _shutdown ?? new ShutdownObservation();
        if (Tree.Log.IsEnabled(LogLevel.Information))
        {
            Tree.Log.SupervisorExited(Path, d.Reason, d.ExitCause, shutdown.Stopped, shutdown.StoppedCount);
        }
        shutdown.EndGiveUp(Tree.TimeProvider.GetUtcNow(), "exited");
    }

    /// <summary>The supervisor is gone, whichever way: whatever is still observed ends here.</summary>
    private void EndObservations()
    {
        _restart?.End(Tree.TimeProvider, "interrupted");
        _shutdown?.EndGiveUp(Tree.TimeProvider.GetUtcNow(), "interrupted");
        _pendingErrors = null;
    }
}
