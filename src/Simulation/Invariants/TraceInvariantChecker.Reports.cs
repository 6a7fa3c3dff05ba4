using System.Globalization;
using Supervision.Engine;
using Supervision.Simulation.Replay;

namespace Supervision.Simulation.Invariants;

/// <summary>
/// The report invariants: supervisor reports are part of the trace, so a missing or an extra one is a
/// divergence. What OTP 25 reports, and where (docs/OTP-SEMANTICS.md §3, §5, §6, §7, §11):
/// <list type="bullet">
/// <item>child_terminated when a supervisor handles a child's own exit that is not a quiet end (permanent:
/// any reason; transient and temporary: an abnormal one), before it next starts that child; an exit
/// consumed by a termination (its <c>stop</c> line carries the exit's reason) is not handled, so not reported.</item>
/// <item>shutdown_error right after a termination whose outcome is not acceptable: brutal_kill accepts
/// <c>killed</c>, any other shutdown <c>shutdown</c>, and a child that is not permanent also ends
/// acceptably with <c>normal</c>, <c>shutdown</c> or <c>shutdown:x</c>. A simple_one_for_one supervisor's own
/// final (parallel) termination reports once per distinct unacceptable reason, naming the template, after
/// its instances' stops. A supervisor killed by its parent runs no termination, so its subtree's
/// <c>stop … killed</c> lines (docs/TRACE-RULES.md rule 6) owe nothing.</item>
/// <item>start_error right after a failed start attempt the supervisor made by itself (init, restart,
/// retry); a start_child or restart_child call's failure is answered by its reply instead.</item>
/// <item>reached_max_restart_intensity naming the child whose restart was attempted: the one reported
/// child_terminated just before, or one whose automatic restart failed (a retry); after it the supervisor
/// starts nothing.</item>
/// </list>
/// </summary>
public sealed partial class TraceInvariantChecker
{
    /// <summary>Line indexes of <c>stop … killed</c> lines of a killed supervisor's descendants, going down with it.</summary>
    private readonly HashSet<int> _cascade = [];

    /// <summary>A report owed right away: before the next line that is not a comment or a noproc reply.</summary>
    private (ReportLine Expected, int Line)? _immediate;

    /// <summary>The latest start_error report that answered a failed attempt, until the next line shows whose attempt it was.</summary>
    private ReportLine? _startErrorReported;

    /// <summary>
    /// Unreported <c>stop … killed</c> lines that may still turn out to be a killed supervisor's subtree going
    /// down with it (rule 6) when several supervisors die at once and their lines interleave: forgiven when the
    /// supervisor or an ancestor is killed before it acts again.
    /// </summary>
    private readonly List<(ReportLine Expected, int Line)> _unreportedKills = [];

    /// <summary>
    /// The open runs of stops of simple_one_for_one supervisors' instances, oldest first: several pools may be
    /// stopping their instances at once (one waits for a shutdown timeout while another part of the tree acts).
    /// </summary>
    private readonly List<InstanceStopGroup> _instanceGroups = [];

    private InstanceStopGroup? InstanceGroupOf(string supervisor) => _instanceGroups.Find(group => group.Supervisor == supervisor);

    /// <summary>
    /// Marks the stop lines that rule 6 prints for the descendants of a killed supervisor, before its own. Several
    /// supervisors may be killed together (a simple_one_for_one supervisor's instances), so within one run of
    /// consecutive <c>stop … killed</c> lines, a line goes down with a killed ancestor named later in the run.
    /// </summary>
    private void FindKilledSubtrees(IReadOnlyList<TraceLine> lines)
    {
        var killedLater = new HashSet<string>(StringComparer.Ordinal);
        for (var i = lines.Count - 1; i >= 0; i--)
        {
            var e = _events[i];
            if (IsNoprocReply(e))
            {
                continue; // A nested supervisor's queued calls are answered after its own stop line.
            }
            if (e is not { Kind: TraceEventKind.Stop, Detail: "killed" } killed)
            {
                killedLater.Clear();
                continue;
            }
            for (var cut = killed.Path.LastIndexOf('/'); cut > 0; cut = killed.Path.LastIndexOf('/', cut - 1))
            {
                if (killedLater.Contains(killed.Path[..cut]))
                {
                    _cascade.Add(i);
                    break;
                }
            }
            killedLater.Add(killed.Path);
        }
    }

    /// <summary>Before each line: an owed report that did not come, and the end of a run of instance stops.</summary>
    private void CheckOwedReports(TraceLine line)
    {
        if (!_reportsComplete)
        {
            return;
        }
        var report = _reports[_line];
        var e = _events[_line];
        if (report is { Kind: ReportLineKind.ShutdownError } shutdownError && InstanceGroupOf(shutdownError.Supervisor) is { } reporting)
        {
            reporting.Reports.Add(shutdownError);
        }
        if (line.IsComment || IsNoprocReply(e))
        {
            return;
        }
        for (var i = 0; i < _instanceGroups.Count;)
        {
            var group = _instanceGroups[i];
            if (group.Continues(e, _cascade.Contains(_line)))
            {
                i++;
                continue;
            }
            _instanceGroups.RemoveAt(i);
            if (!group.KilledBy(e, _cascade.Contains(_line)))
            {
                CloseInstanceGroup(group, e);
            }
        }
        if (_startErrorReported is { } reported)
        {
            _startErrorReported = null;
            // A call's own failed attempt is followed at once by its reply with the attempt's reason: the
            // attempt was the call's, which OTP answers by the reply alone.
            if (e is { Kind: TraceEventKind.Reply, Call: "start_child" or "restart_child" } answer && answer.Path == reported.Supervisor
                && answer.Detail == "error:" + reported.Reason)
            {
                Report(InvariantNames.StartErrorReport, $"\"{reported}\" reports the failed attempt of a {answer.Call} call (its reply follows): a call's failure is not reported");
            }
        }
        if (_immediate is { } pending)
        {
            _immediate = null;
            Unanswered(pending, e, line);
        }
        if (_unreportedKills.Count > 0)
        {
            SettleUnreportedKills(e, line);
        }
    }

    /// <summary>The line after an owed report is not that report.</summary>
    private void Unanswered((ReportLine Expected, int Line) pending, TraceEvent? e, TraceLine line)
    {
        var expected = pending.Expected;
        if (expected is { Kind: ReportLineKind.ShutdownError, Reason: "killed" })
        {
            _unreportedKills.Add(pending); // Maybe a killed supervisor's subtree: settled by what comes next.
            return;
        }
        var answeredByCall = expected.Kind == ReportLineKind.StartError
            && e is { Kind: TraceEventKind.Reply, Call: "start_child" or "restart_child" } reply && reply.Path == expected.Supervisor;
        if (!answeredByCall)
        {
            var invariant = expected.Kind == ReportLineKind.StartError ? InvariantNames.StartErrorReport : InvariantNames.ShutdownErrorReport;
            Report(invariant, F($"\"{expected}\" is owed after line {pending.Line}, but the next line is \"{line.Text}\""));
        }
    }

    /// <summary>
    /// A line after unreported kills: the kill of their supervisor or of an ancestor forgives them (they went down
    /// with it); any other action of their supervisor (a start attempt, a stop that is not a kill, a reply, its
    /// own end) shows that its termination ran and owed the report.
    /// </summary>
    private void SettleUnreportedKills(TraceEvent? e, TraceLine line)
    {
        if (e is not { } next)
        {
            return;
        }
        _unreportedKills.RemoveAll(pending =>
        {
            var supervisor = pending.Expected.Supervisor;
            if (next is { Kind: TraceEventKind.Stop, Detail: "killed" } && (supervisor == next.Path || supervisor.StartsWith(next.Path + "/", StringComparison.Ordinal)))
            {
                return true;
            }
            var acts = (next.Parent == supervisor && !(next.Kind == TraceEventKind.Stop && next.Detail == "killed") && next.Kind != TraceEventKind.Exit)
                || next.Path == supervisor;
            if (acts)
            {
                Report(InvariantNames.ShutdownErrorReport, F($"\"{pending.Expected}\" is owed after line {pending.Line}, but no report came and \"{supervisor}\" went on: \"{line.Text}\""));
            }
            return acts;
        });
    }

    /// <summary>A report line: it must answer something the trace owes.</summary>
    private void OnReport(ReportLine report)
    {
        if (!_reportsComplete)
        {
            return;
        }
        var invariant = Invariant(report.Kind);
        if (!report.NamesDirectChild)
        {
            Report(invariant, $"\"{report}\": \"{report.Child}\" is not a child of \"{report.Supervisor}\"");
            return;
        }
        if (_rootEnded || !_tracks.TryGetValue(report.Supervisor, out var track))
        {
            Report(invariant, $"\"{report}\": \"{report.Supervisor}\" is not running");
            return;
        }
        switch (report.Kind)
        {
            case ReportLineKind.ChildTerminated:
                OnChildTerminatedReport(track, report);
                break;
            case ReportLineKind.StartError:
                if (_immediate is { } pending && pending.Expected == report)
                {
                    _immediate = null;
                    _startErrorReported = report;
                    track.Restarting.Add(report.ChildId);
                }
                else
                {
                    Report(invariant, $"\"{report}\" does not follow a failed start attempt that {report.Supervisor} made by itself ({Owed()})");
                }
                break;
            case ReportLineKind.ShutdownError:
                if (InstanceGroupOf(report.Supervisor) is not null)
                {
                    break; // Judged when the run of instance stops ends.
                }
                if (_immediate is { } owed && owed.Expected == report)
                {
                    _immediate = null;
                }
                else
                {
                    Report(invariant, $"\"{report}\" does not follow a termination of \"{report.Child}\" that ended unacceptably ({Owed()})");
                }
                break;
            default:
                var justTerminated = track.LastChildTerminated is { } last && last.Line == _line - 1 && last.Id == report.ChildId;
                if (!justTerminated && !track.Restarting.Contains(report.ChildId))
                {
                    Report(invariant, $"\"{report}\": \"{report.Child}\" is neither the child reported child_terminated on the line before nor one waiting for a retry of its restart");
                }
                break;
        }
    }

    private void OnChildTerminatedReport(SupervisorTrack track, ReportLine report)
    {
        var index = track.ReportsOwed.FindIndex(owed => owed.Id == report.ChildId);
        if (index < 0)
        {
            Report(InvariantNames.ChildTerminatedReport, $"\"{report}\": no exit of \"{report.Child}\" that {report.Supervisor} has yet to handle warrants it (permanent: any exit; transient, temporary: an abnormal one)");
            return;
        }
        var (_, line, reason) = track.ReportsOwed[index];
        track.ReportsOwed.RemoveAt(index);
        if (report.Reason != reason)
        {
            Report(InvariantNames.ChildTerminatedReport, F($"\"{report}\": \"{report.Child}\" exited with {reason} (line {line})"));
        }
        track.LastChildTerminated = (report.ChildId, _line);
    }

    /// <summary>A start attempt under <paramref name="track"/>: no child_terminated may still be owed for it; a failure owes a start_error.</summary>
    private void ReportsOnStartAttempt(SupervisorTrack track, TraceEvent e)
    {
        if (!_reportsComplete)
        {
            return;
        }
        if (track.GaveUp)
        {
            Report(InvariantNames.GiveUpReport, $"{Describe(e)}, but \"{track.Path}\" reported reached_max_restart_intensity: it starts nothing more");
        }
        foreach (var (id, line, reason) in track.ReportsOwed)
        {
            if (id == e.Id)
            {
                Report(InvariantNames.ChildTerminatedReport, F($"{Describe(e)}: its exit with {reason} at line {line} was handled without a child_terminated report"));
            }
        }
        SupervisorTrack.RemoveFor(track.ReportsOwed, e.Id);
        track.Restarting.Remove(e.Id);
        if (e.Kind == TraceEventKind.StartError)
        {
            _immediate = (new ReportLine(track.Path, ReportLineKind.StartError, e.Path, e.Detail), _line);
        }
    }

    /// <summary>A child's own exit: its supervisor owes a child_terminated when it handles it, unless it is a quiet end.</summary>
    private void ReportsOnExit(SupervisorTrack track, TraceEvent e, RestartType restart)
    {
        if (restart == RestartType.Permanent || !TraceEvent.IsNormalReason(e.Detail))
        {
            track.ReportsOwed.Add((e.Id, _line, e.Detail));
        }
    }

    /// <summary>A termination ended: it consumed any pending exit of the child, and may owe a shutdown_error.</summary>
    private void ReportsOnStop(SupervisorTrack track, TraceEvent e)
    {
        SupervisorTrack.RemoveFor(track.ReportsOwed, e.Id);
        track.Restarting.Remove(e.Id);
        if (!_reportsComplete || _cascade.Contains(_line) || _specs.Child(e.Path) is not { } spec)
        {
            return;
        }
        var acceptable = IsAcceptableEnd(spec, e.Detail);
        if (track.Strategy == RestartStrategy.SimpleOneForOne)
        {
            if (InstanceGroupOf(track.Path) is not { } group)
            {
                group = new InstanceStopGroup(track.Path);
                _instanceGroups.Add(group);
            }
            group.Stops.Add((e.Path, e.Detail, acceptable));
        }
        else if (!acceptable)
        {
            _immediate = (new ReportLine(track.Path, ReportLineKind.ShutdownError, e.Path, e.Detail), _line);
        }
    }

    /// <summary>At a supervisor's end: every exit it was owed a report for was handled or consumed, unless it was killed.</summary>
    private void ReportsOnSupervisorEnd(string path, bool killed)
    {
        if (!_reportsComplete || killed || !_tracks.TryGetValue(path, out var track))
        {
            return;
        }
        foreach (var (id, line, reason) in track.ReportsOwed)
        {
            Report(InvariantNames.ChildTerminatedReport, F($"\"{path}/{id}\" exited with {reason} at line {line}, and \"{path}\" ended without reporting child_terminated or stopping it"));
        }
        track.ReportsOwed.Clear();
    }

    /// <summary>At the end of the trace: nothing may still be owed.</summary>
    private void ReportsAtEnd()
    {
        foreach (var group in _instanceGroups)
        {
            CloseInstanceGroup(group, null);
        }
        _instanceGroups.Clear();
        if (_reportsComplete && _immediate is { } pending)
        {
            _unreportedKills.Add(pending);
        }
        foreach (var (expected, line) in _unreportedKills)
        {
            Report(Invariant(expected.Kind), F($"\"{expected}\" is owed after line {line}, but the trace ends"));
        }
    }

    /// <summary>
    /// A run of instance stops ended. One stop answered by a terminate_child reply is the single-child protocol
    /// (a report naming the instance); otherwise it is the supervisor's own parallel termination (one report
    /// per distinct unacceptable reason, naming the template).
    /// </summary>
    private void CloseInstanceGroup(InstanceStopGroup group, TraceEvent? closer)
    {
        var single = group.Stops.Count == 1 && closer is { Kind: TraceEventKind.Reply, Call: "terminate_child" } reply && reply.Path == group.Supervisor;
        var expected = new List<ReportLine>();
        foreach (var (path, reason, acceptable) in group.Stops)
        {
            var subject = single ? path : path[..path.LastIndexOf('#')];
            var owed = new ReportLine(group.Supervisor, ReportLineKind.ShutdownError, subject, reason);
            if (!acceptable && !expected.Contains(owed))
            {
                expected.Add(owed);
            }
        }
        var reports = new List<ReportLine>(group.Reports);
        foreach (var owed in expected)
        {
            if (!reports.Remove(owed))
            {
                Report(InvariantNames.ShutdownErrorReport, $"\"{owed}\" is missing after the stops of {(single ? "the instance" : "the instances")} of \"{group.Supervisor}\"");
            }
        }
        foreach (var extra in reports)
        {
            Report(InvariantNames.ShutdownErrorReport, $"\"{extra}\" was not owed by the stops of {(single ? "the instance" : "the instances")} of \"{group.Supervisor}\"");
        }
    }

    /// <summary>OTP 25's termination outcome (docs/OTP-SEMANTICS.md §7.1): anything else is a shutdown_error.</summary>
    private static bool IsAcceptableEnd(ChildSpec spec, string reason)
    {
        var expected = spec.EffectiveShutdown.Kind == ShutdownKind.BrutalKill ? "killed" : "shutdown";
        return reason == expected || (spec.Restart != RestartType.Permanent && TraceEvent.IsNormalReason(reason));
    }

    private static bool IsNoprocReply(TraceEvent? e) => e is { Kind: TraceEventKind.Reply, Detail: "error:noproc" };

    private string Owed() => _immediate is { } pending ? $"owed: \"{pending.Expected}\"" : "nothing is owed";

    private static string Invariant(ReportLineKind kind) => kind switch
    {
        ReportLineKind.ChildTerminated => InvariantNames.ChildTerminatedReport,
        ReportLineKind.StartError => InvariantNames.StartErrorReport,
        ReportLineKind.ShutdownError => InvariantNames.ShutdownErrorReport,
        _ => InvariantNames.GiveUpReport,
    };
}

/// <summary>Consecutive stops of one simple_one_for_one supervisor's instances, and the shutdown_error reports among them.</summary>
internal sealed class InstanceStopGroup(string supervisor)
{
    public string Supervisor { get; } = supervisor;

    public List<(string Path, string Reason, bool Acceptable)> Stops { get; } = [];

    public List<ReportLine> Reports { get; } = [];

    /// <summary>
    /// Whether the run is still open after <paramref name="e"/>: one more stop of an instance of this supervisor (not
    /// one going down with a killed ancestor), an instance's own exit while they are being stopped in parallel, or a
    /// line about another part of the tree, which acts meanwhile (generated seed 1853777: a sibling restarted its
    /// child while this pool waited for an instance's shutdown timeout). A line about the supervisor itself or the
    /// rest of its subtree ends the run: its reports are due before it.
    /// </summary>
    public bool Continues(TraceEvent? e, bool cascade)
    {
        if (e is not { } line)
        {
            return false;
        }
        if (line.Kind is TraceEventKind.Stop or TraceEventKind.Exit && line.Parent == Supervisor)
        {
            return !cascade;
        }
        return line.Path != Supervisor && !line.Path.StartsWith(Supervisor + "/", StringComparison.Ordinal);
    }

    /// <summary>
    /// Whether the run ends because its supervisor is killed: a stop of its subtree going down with it (rule 6), or
    /// its own <c>stop ... killed</c>. A killed supervisor runs no termination of its own, so the reports of the
    /// instances it had stopped so far are never made (generated seed 2531403: an instance's own exit, then the pool
    /// killed at its shutdown timeout).
    /// </summary>
    public bool KilledBy(TraceEvent? e, bool cascade) => e is { Kind: TraceEventKind.Stop, Detail: "killed" } line
        && (line.Path == Supervisor || (cascade && line.Path.StartsWith(Supervisor + "/", StringComparison.Ordinal)));
}
