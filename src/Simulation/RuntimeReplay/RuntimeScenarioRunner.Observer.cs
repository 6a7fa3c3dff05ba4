using System.Globalization;
using Supervision.Engine;
using Supervision.Runtime;
using Supervision.Runtime.Tree;
using Supervision.Simulation.Replay;

namespace Supervision.Simulation.RuntimeReplay;

/// <summary>Turning the runtime's notices into trace lines, and the scripted children's plans.</summary>
public sealed partial class RuntimeScenarioRunner
{
    void IRuntimeObserver.OnNotice(RuntimeNotice notice)
    {
        CountNotice();
        var supervisor = notice.Supervisor;
        switch (notice.Kind)
        {
            case NoticeKind.ChildStartResult:
                var path = TraceChildPath(supervisor, notice.Spec!.Id, notice.Instance, notice.StartKind == ChildStartKind.Started && notice.NewInstance);
                if (notice.StartKind == ChildStartKind.Started)
                {
                    Print("start", path);
                }
                else if (notice.StartKind == ChildStartKind.Ignored)
                {
                    Print("ignore", path);
                }
                else
                {
                    Print("start_error", path, notice.Reason.ToString());
                }
                break;
            case NoticeKind.ChildStopped:
                var stopped = TraceChildPath(supervisor, notice.Spec!.Id, notice.Instance, newInstance: false);
                MarkDead(stopped);
                Print("stop", stopped, notice.Reason.ToString());
                FlushDeferred(stopped);
                break;
            case NoticeKind.ChildKilledWithParent:
                var killed = TracePathOfRuntime(notice.ChildPath!);
                MarkDead(killed);
                if (!notice.StillStarting)
                {
                    Print("stop", killed, "killed");
                }
                FlushDeferred(killed);
                break;
            case NoticeKind.SupervisorStarted:
                var startedPath = TraceSupervisorPath(supervisor);
                if (IsUnnamedInstance(supervisor))
                {
                    NameInstance(supervisor.Parent!, supervisor.InstanceInParent, startedPath[..startedPath.LastIndexOf('#')]);
                }
                Print("start", startedPath);
                break;
            case NoticeKind.SupervisorInitFailed:
                var failedPath = TraceSupervisorPath(supervisor);
                Print("start_error", IsUnnamedInstance(supervisor) ? failedPath[..failedPath.LastIndexOf('#')] : failedPath, notice.Reason.ToString());
                // Its queued calls are answered noproc right after this line: nobody prints a stop line for it.
                _exitedOnItsOwn.Add(supervisor);
                break;
            case NoticeKind.SupervisorExited:
                OnSupervisorExited(supervisor, notice.Reason, notice.ExitCause);
                break;
            case NoticeKind.Replied:
                var rendered = TraceRendering.Reply(TraceSupervisorPath(supervisor), notice.Reply!, instance => _instanceNames.GetValueOrDefault((supervisor, instance)));
                var line = new TraceLine(Now, $"reply {notice.CallName} {TraceSupervisorPath(supervisor)} {rendered}");
                // A child supervisor's noproc replies follow its own stop line, printed by its parent (TRACE-RULES rule 16).
                if (supervisor.Parent is not null && notice.Reply!.Kind == ReplyKind.Error && notice.Reply.Error == "noproc" && !_exitedOnItsOwn.Contains(supervisor))
                {
                    _deferred.Add((supervisor, line.Text));
                }
                else
                {
                    _trace.Add(line);
                }
                break;
            case NoticeKind.Report when notice.Report != ReportKind.Progress && _includeReports:
                _trace.Add(new TraceLine(Now, $"# report {TraceSupervisorPath(supervisor)} {TraceRendering.ReportName(notice.Report)} {TracePathOfRuntime(notice.ChildPath!)} {TraceRendering.ReportDetail(notice.Report, notice.Reason, notice.RestartDelayMs)}"));
                break;
        }
    }

    private void OnSupervisorExited(SupervisorProcess supervisor, ExitReason reason, ExitCause cause)
    {
        var path = TraceSupervisorPath(supervisor);
        var stopped = cause == ExitCause.Stopped;
        if (supervisor.Parent is null)
        {
            Print(stopped ? "stop" : "exit", path, reason.ToString());
            if (_stopCalled)
            {
                _trace.Add(new TraceLine(Now, $"reply stop {path} {(stopped ? "ok" : "error:noproc")}"));
            }
        }
        else if (!stopped)
        {
            Print("exit", path, reason.ToString());
            _exitedOnItsOwn.Add(supervisor);
        }
    }

    /// <summary>The trace says the worker is gone. Its task ends by itself (a kill reaches it through its context).</summary>
    private void MarkDead(string tracePath)
    {
        if (_live.Remove(tracePath, out var worker))
        {
            worker.Alive = false;
        }
    }

    private readonly HashSet<SupervisorProcess> _exitedOnItsOwn = [];
    private readonly List<(SupervisorProcess Supervisor, string Line)> _deferred = [];

    /// <summary>Prints the noproc replies held back for the supervisor whose stop line was just printed.</summary>
    private void FlushDeferred(string tracePath)
    {
        foreach (var entry in _deferred.Where(d => TraceSupervisorPath(d.Supervisor) == tracePath).ToList())
        {
            _trace.Add(new TraceLine(Now, entry.Line));
            _deferred.Remove(entry);
        }
    }

    /// <summary>A worker's body starts: it is the live incarnation of its path.</summary>
    internal void RegisterLive(string tracePath, ScriptedWorker worker)
    {
        CheckSingleIncarnation(tracePath, worker);
        _live[tracePath] = worker;
    }

    /// <summary>One incarnation at a time: when a worker starts or runs, no other of its path may be running (in the trace's view, or as a task).</summary>
    internal void CheckSingleIncarnation(string tracePath, ScriptedWorker worker)
    {
        if (!_workersByPath.TryGetValue(tracePath, out var same))
        {
            _workersByPath[tracePath] = same = [];
        }
        // Workers that are over leave the list here, so a path's list stays short however often it restarts.
        same.RemoveAll(static other => !other.TaskActive && !other.Alive);
        if (same.Exists(other => !ReferenceEquals(other, worker)))
        {
            _violations.Add($"{tracePath} has two live incarnations at {Now} ms");
        }
        if (!same.Contains(worker))
        {
            same.Add(worker);
        }
    }

    /// <summary>The workers of each trace path that may still be running (pruned as they are checked).</summary>
    private readonly Dictionary<string, List<ScriptedWorker>> _workersByPath = new(StringComparer.Ordinal);

    internal void Violation(string message) => _violations.Add($"{message} at {Now} ms");

    /// <summary>Every worker made in this run, so that the end of the run can check none is still running.</summary>
    private readonly List<ScriptedWorker> _workers = [];

    internal void TrackWorker(ScriptedWorker worker)
    {
        if (_workers.Count >= _workersPruneAt)
        {
            // Workers that are over need no end-of-run check: dropping them keeps a restart loop linear.
            _workers.RemoveAll(static done => !done.TaskActive && !done.Alive);
            _workersPruneAt = Math.Max(64, 2 * _workers.Count);
        }
        _workers.Add(worker);
    }

    private int _workersPruneAt = 64;

    /// <summary>The trace path a starting worker's plans are looked up by: its own name, or its template's for a new instance.</summary>
    internal string TracePathForStart(ChildContext context)
    {
        var owner = OwnerOf(context.Path);
        return TraceChildPath(owner, context.Id, context.Instance, newInstance: false);
    }

    internal ChildStartResult TakeStartResult(ChildContext context, string tracePath)
    {
        var owner = OwnerOf(context.Path);
        var isNew = owner.IsSimple && !_instanceNames.ContainsKey((owner, context.Instance));
        var templatePath = isNew ? null : owner.IsSimple ? $"{TraceSupervisorPath(owner)}/{context.Id}" : null;
        var result = TakePlan(tracePath, templatePath);
        if (result.Kind == ChildStartKind.Started && isNew)
        {
            NameInstance(owner, context.Instance, tracePath);
        }
        return result;
    }

    internal long? StopDelay(string tracePath) => _script.StopDelay(tracePath);

    private ChildStartResult? TakeSupervisorStart(string runtimePath)
    {
        var owner = OwnerOf(runtimePath);
        var id = runtimePath[(runtimePath.LastIndexOf('/') + 1)..];
        var hash = id.IndexOf('#', StringComparison.Ordinal);
        var instance = hash > 0 ? long.Parse(id[(hash + 1)..], CultureInfo.InvariantCulture) : 0;
        id = hash > 0 ? id[..hash] : id;
        var isNew = owner.IsSimple && !_instanceNames.ContainsKey((owner, instance));
        var tracePath = TraceChildPath(owner, id, instance, newInstance: false);
        var result = TakePlan(tracePath, isNew || !owner.IsSimple ? null : $"{TraceSupervisorPath(owner)}/{id}");
        return result.Kind == ChildStartKind.Started ? null : result;
    }

    private ChildStartResult TakePlan(string path, string? fallback) => _script.TakeStart(path, fallback) switch
    {
        null => ChildStartResult.Started,
        { Ignore: true } => ChildStartResult.Ignore,
        { } failing => ChildStartResult.Failed(failing.Error),
    };

    private void NameInstance(SupervisorProcess owner, long instance, string templateTracePath)
    {
        var number = _instanceCounters[templateTracePath] = _instanceCounters.GetValueOrDefault(templateTracePath) + 1;
        var name = $"{templateTracePath}#{number}";
        _instanceNames[(owner, instance)] = name;
        _instancesByName[(owner, name)] = instance;
        var runtimePath = $"{owner.Path}/{owner.TemplateId}#{instance}";
        _traceByRuntimePath[runtimePath] = name;
        _runtimeByTracePath[name] = runtimePath;
    }

    private SupervisorProcess OwnerOf(string runtimePath)
    {
        var cut = runtimePath.LastIndexOf('/');
        return _tree.TryGetSupervisor(runtimePath[..cut], out var owner)
            ? owner
            : throw new InvalidOperationException($"no live supervisor owns '{runtimePath}'");
    }

    /// <summary>The trace path of a child: instances by their run-wide names, everything else by id under its supervisor's trace path.</summary>
    private string TraceChildPath(SupervisorProcess owner, string id, long instance, bool newInstance)
    {
        if (owner.IsSimple && instance > 0 && _instanceNames.TryGetValue((owner, instance), out var name))
        {
            return name;
        }
        return $"{TraceSupervisorPath(owner)}/{id}";
    }

    private string TraceSupervisorPath(SupervisorProcess process)
    {
        if (process.Parent is null)
        {
            return process.Path;
        }
        if (process.Parent.IsSimple && _instanceNames.TryGetValue((process.Parent, process.InstanceInParent), out var name))
        {
            return name;
        }
        var template = $"{TraceSupervisorPath(process.Parent)}/{process.SpecInParent!.Id}";
        // A new supervisor instance still in its init: the number it gets if the init succeeds.
        return IsUnnamedInstance(process) ? $"{template}#{_instanceCounters.GetValueOrDefault(template) + 1}" : template;
    }

    private bool IsUnnamedInstance(SupervisorProcess process) =>
        process.Parent is { IsSimple: true } && process.NewInstance && !_instanceNames.ContainsKey((process.Parent, process.InstanceInParent));

    private string TracePathOfRuntime(string runtimePath)
    {
        if (_traceByRuntimePath.TryGetValue(runtimePath, out var known))
        {
            return known;
        }
        var cut = runtimePath.LastIndexOf('/');
        return cut < 0 ? runtimePath : $"{TracePathOfRuntime(runtimePath[..cut])}{runtimePath[cut..]}";
    }

    private string RuntimePathOf(string tracePath)
    {
        if (_runtimeByTracePath.TryGetValue(tracePath, out var runtime))
        {
            return runtime;
        }
        var cut = tracePath.LastIndexOf('/');
        return cut < 0 ? tracePath : $"{RuntimePathOf(tracePath[..cut])}{tracePath[cut..]}";
    }
}
