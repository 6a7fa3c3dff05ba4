using System.Globalization;
using Supervision.Engine;
using Supervision.Simulation.Scenarios;

namespace Supervision.Simulation.Invariants;

/// <summary>The checker's bookkeeping: supervisors' incarnations, runs of stops, and naming children that start_child is adding.</summary>
public sealed partial class TraceInvariantChecker
{
    /// <summary>The running incarnation of the supervisor at <paramref name="path"/>; created at its first line.</summary>
    private SupervisorTrack? Track(string path)
    {
        if (_tracks.TryGetValue(path, out var track))
        {
            return track;
        }
        if (_specs.Supervisor(path) is not { } spec)
        {
            Report(InvariantNames.WellFormed, $"\"{path}\" has children in the trace but is not a supervisor in the scenario");
            return null;
        }
        track = new SupervisorTrack(path, spec);
        _tracks.Add(path, track);
        return track;
    }

    /// <summary>
    /// A supervisor stopped, exited or failed its init: none of its descendants may still be live, and its next
    /// incarnation starts afresh from its spec (start_child additions, positions and triggers forgotten). A
    /// supervisor <paramref name="killed"/> by its parent ran no termination of its own, so owed reports die with it.
    /// </summary>
    private void SupervisorEnded(string path, bool excused = false, bool killed = false)
    {
        ReportsOnSupervisorEnd(path, killed);
        var prefix = path + "/";
        // Restarts it owed and never attempted: a lost restart, unless it gave up or was killed first.
        foreach (var (trackPath, track) in _tracks)
        {
            if (_reportsComplete && !excused && (trackPath == path || trackPath.StartsWith(prefix, StringComparison.Ordinal)) && !track.GaveUp)
            {
                foreach (var (id, line, reason) in track.Owed)
                {
                    Report(InvariantNames.RestartOwed, F($"\"{trackPath}/{id}\" exited with {reason} at line {line} and was neither restarted nor consumed before \"{path}\" ended"));
                }
            }
        }
        List<string>? live = null;
        foreach (var (child, exited) in _life)
        {
            if (child.StartsWith(prefix, StringComparison.Ordinal))
            {
                if (exited is null)
                {
                    (live ??= []).Add(child);
                }
                _life.Remove(child); // Removing the current entry keeps a dictionary's enumeration valid.
            }
        }
        if (live is not null)
        {
            live.Sort(StringComparer.Ordinal);
            var name = path == _specs.RootId ? InvariantNames.AllStoppedAtEnd : InvariantNames.SupervisorEndsAlone;
            Report(name, $"\"{path}\" ended while {string.Join(", ", live.Select(p => $"\"{p}\""))} {(live.Count == 1 ? "is" : "are")} still live");
        }
        if (_tracks.TryGetValue(path, out var ending))
        {
            ReportUnexplainedStart(ending, "then it ended");
        }
        foreach (var key in _tracks.Keys)
        {
            if (key == path || key.StartsWith(prefix, StringComparison.Ordinal))
            {
                _tracks.Remove(key);
            }
        }
        _specs.ForgetUnder(path);
        if (path == _specs.RootId)
        {
            _rootEnded = true;
        }
    }

    /// <summary>
    /// A line other than a stop ends the current run of stops of <paramref name="track"/>'s children: check
    /// that the run had a cause. A supervisor's own end is handled by <see cref="SupervisorEnded"/> (any run is
    /// fine: its final shutdown).
    /// </summary>
    private void CloseRun(SupervisorTrack track, TraceEvent closer)
    {
        if (track.Run.Count == 0)
        {
            return;
        }
        var run = track.Run;
        if (closer.Kind == TraceEventKind.Reply)
        {
            if (closer.Call != "terminate_child" || run.Count != 1)
            {
                Report(InvariantNames.StopCause, $"\"{track.Path}\" stopped {Stopped(run)} and then replied to {closer.Call}: only a terminate_child stops a child (exactly one) before a reply");
            }
        }
        else if (track.Strategy is RestartStrategy.OneForOne or RestartStrategy.SimpleOneForOne)
        {
            Report(InvariantNames.StopCause, $"{track.Strategy} supervisor \"{track.Path}\" stopped {Stopped(run)} and then made a start attempt of \"{closer.Id}\": it restarts only the child that failed and stops no sibling");
        }
        else if (track.Strategy == RestartStrategy.RestForOne)
        {
            var first = track.KeyOf(closer.Id);
            foreach (var record in run)
            {
                if (record.Key <= first)
                {
                    Report(InvariantNames.StopCause, $"rest_for_one supervisor \"{track.Path}\" stopped \"{record.Id}\" (line {record.Line}) in a group restart that starts again from \"{closer.Id}\": the group holds only children newer than the failed one");
                }
            }
        }
        run.Clear();
    }

    /// <summary>The children of a run of stops, quoted, for a message.</summary>
    private static string Stopped(List<StopRecord> run) => string.Join(", ", run.Select(r => $"\"{r.Id}\""));

    /// <summary>
    /// The call step a reply answers. A supervisor answers its calls in mailbox order, so a reply answers the
    /// oldest unanswered call on it. Two exceptions, where the order is the replay driver's choice and not a
    /// supervisor's: <c>stop</c> is a signal rather than a queued call, and the <c>error:noproc</c> replies of
    /// calls left queued in a supervisor that died may come in any order.
    /// </summary>
    private CallStep? TakeCall(TraceEvent e)
    {
        var pending = _calls.GetValueOrDefault(e.Path);
        var noproc = e.Detail == "error:noproc";
        var index = pending?.FindIndex(c => noproc || e.Call == "stop" ? c.CallName == e.Call : c.Call != ScenarioCallKind.Stop) ?? -1;
        if (pending is null || index < 0 || pending[index].CallName != e.Call)
        {
            var next = index >= 0 ? pending![index].CallName : "none";
            Report(InvariantNames.WellFormed, $"reply to {e.Call} on \"{e.Path}\", but the oldest unanswered call on it is {next}");
            return null;
        }
        var call = pending[index];
        pending.RemoveAt(index);
        return call;
    }

    /// <summary>
    /// A child named by a start or stop line may be one that a start_child call is adding right now (its lines
    /// come before the call's reply): take its spec from the oldest unanswered call on its supervisor.
    /// </summary>
    private bool ResolvePending(string path)
    {
        var segments = path.Split('/');
        var prefix = segments[0];
        for (var i = 1; i < segments.Length; i++)
        {
            var childPath = prefix + "/" + segments[i];
            if (_specs.Child(childPath) is null)
            {
                var call = _calls.GetValueOrDefault(prefix)?.Find(c => c.Call != ScenarioCallKind.Stop);
                if (call is not { Call: ScenarioCallKind.StartChild, Spec: { } draft } || draft.Id != segments[i]
                    || _specs.Supervisor(prefix) is not { } supervisor || !draft.TryBuild(supervisor.AutoShutdown, out var spec, out _))
                {
                    return false;
                }
                _specs.AddDynamic(childPath, spec);
            }
            prefix = childPath;
        }
        return true;
    }

    /// <summary>A start attempt waiting for its call's reply, when the supervisor does something else instead.</summary>
    private void ReportUnexplainedStart(SupervisorTrack track, string instead)
    {
        if (track.PendingCall is { } pending)
        {
            Report(InvariantNames.StartCause, string.Create(CultureInfo.InvariantCulture,
                $"the start attempt of \"{pending.Id}\" at line {pending.Line} has no cause: no restart-warranting exit or failed start, and no start_child or restart_child reply follows; {instead}"));
            track.PendingCall = null;
        }
    }

    /// <summary>
    /// A new instance of a supervisor template whose init failed is reported on the template's path, but its
    /// children's lines carry the number it would have had: that initializing instance ends here too.
    /// </summary>
    private void EndFailedInstanceInit(string templatePath)
    {
        var prefix = templatePath + "#";
        foreach (var path in _tracks.Where(t => !t.Value.Running && t.Key.StartsWith(prefix, StringComparison.Ordinal)
            && t.Key.IndexOf('/', prefix.Length) < 0).Select(t => t.Key).ToList())
        {
            SupervisorEnded(path, excused: true);
        }
    }

    /// <summary>Per template path: how many instances have started so far (across the whole run), and their names.</summary>
    private readonly Dictionary<string, HashSet<string>> _instances = new(StringComparer.Ordinal);

    /// <summary>A start attempt under a simple_one_for_one supervisor: new instances are numbered in order of successful start.</summary>
    private void CheckInstanceName(TraceEvent e)
    {
        var hash = e.Path.LastIndexOf('#');
        if (hash < e.Path.LastIndexOf('/'))
        {
            return; // The template's own path: a failed or ignored new instance.
        }
        var template = e.Path[..hash];
        if (!_instances.TryGetValue(template, out var started))
        {
            started = new HashSet<string>(StringComparer.Ordinal);
            _instances.Add(template, started);
        }
        if (started.Contains(e.Path))
        {
            return; // A restart keeps the instance's name.
        }
        if (e.Kind != TraceEventKind.Start)
        {
            Report(InvariantNames.InstanceNaming, $"{Describe(e)}: a new instance that did not start has no number yet; it is printed on \"{template}\"");
            return;
        }
        var expected = string.Create(CultureInfo.InvariantCulture, $"{template}#{started.Count + 1}");
        if (e.Path != expected)
        {
            Report(InvariantNames.InstanceNaming, $"{Describe(e)}: {started.Count} instance(s) of \"{template}\" started before, so the new one is \"{expected}\"");
        }
        started.Add(e.Path);
    }

    private void Report(string invariant, string message) => _violations.Add(new InvariantViolation(invariant, _line, message));

    private static string Describe(TraceEvent e) => e.Kind switch
    {
        TraceEventKind.Start => $"start {e.Path}",
        TraceEventKind.StartError => $"start_error {e.Path} {e.Detail}",
        TraceEventKind.Ignore => $"ignore {e.Path}",
        TraceEventKind.Exit => $"exit {e.Path} {e.Detail}",
        TraceEventKind.Stop => $"stop {e.Path} {e.Detail}",
        _ => $"reply {e.Call} {e.Path} {e.Detail}",
    };

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
