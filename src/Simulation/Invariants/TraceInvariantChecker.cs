using System.Globalization;
using Supervision.Engine;
using Supervision.Simulation.Replay;
using Supervision.Simulation.Scenarios;

namespace Supervision.Simulation.Invariants;

/// <summary>
/// An independent reference checker of supervision invariants over a scenario and its trace. It is written
/// from docs/OTP-SEMANTICS.md and docs/SCENARIO-FORMAT.md alone: it reads the scenario's specs and the trace's lines,
/// and never runs or consults the engine, so that a bug in the engine cannot hide itself by also being in
/// the checker. Each invariant is stated in <see cref="InvariantNames"/>; every line is checked as it comes.
/// The checker is deliberately lenient where the trace alone cannot tell (it may miss a bug, it must not
/// report a correct trace).
/// </summary>
public sealed partial class TraceInvariantChecker
{
    private readonly SpecLookup _specs;
    private readonly List<InvariantViolation> _violations = [];
    private readonly Dictionary<string, string?> _life = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SupervisorTrack> _tracks = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<CallStep>> _calls = new(StringComparer.Ordinal);
    private bool _rootEnded;
    private bool _reportsComplete = true;
    private long _lastAt;
    private int _line;
    // Each line read once, before any is checked: the event of a line that is not a comment, the report of one that is.
    private TraceEvent?[] _events = [];
    private ReportLine?[] _reports = [];

    private TraceInvariantChecker(Scenario scenario)
    {
        _specs = new SpecLookup(scenario);
        foreach (var step in scenario.Steps)
        {
            if (step is CallStep call)
            {
                if (!_calls.TryGetValue(call.Sup, out var queue))
                {
                    queue = [];
                    _calls.Add(call.Sup, queue);
                }
                queue.Add(call);
            }
        }
    }

    /// <summary>Checks every invariant over <paramref name="lines"/>, the trace of <paramref name="scenario"/>.</summary>
    /// <param name="scenario">The scenario that was run.</param>
    /// <param name="lines">Its trace, comments included (reports are read; other comments skipped).</param>
    /// <returns>The violations found, in line order; empty when the trace keeps every invariant.</returns>
    /// <param name="reportsComplete">
    /// The trace has every supervisor report (as the simulators print it). A hand-written trace may leave report
    /// lines out; then the invariants that need them (a give-up is only visible in its report) are not checked.
    /// </param>
    public static IReadOnlyList<InvariantViolation> Check(Scenario scenario, IReadOnlyList<TraceLine> lines, bool reportsComplete = true)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(lines);
        var checker = new TraceInvariantChecker(scenario) { _reportsComplete = reportsComplete };
        checker.ReadLines(lines);
        checker.FindKilledSubtrees(lines);
        for (var i = 0; i < lines.Count; i++)
        {
            checker._line = i;
            checker.Accept(lines[i]);
        }
        checker._line = lines.Count;
        checker.ReportsAtEnd();
        if (!checker._rootEnded)
        {
            checker.Report(InvariantNames.Completed, $"the trace ends without the end of the root \"{scenario.RootId}\"");
        }
        return checker._violations;
    }

    private void ReadLines(IReadOnlyList<TraceLine> lines)
    {
        _events = new TraceEvent?[lines.Count];
        _reports = new ReportLine?[lines.Count];
        for (var i = 0; i < lines.Count; i++)
        {
            if (lines[i].IsComment)
            {
                _reports[i] = ReportLine.TryParse(lines[i].Text);
            }
            else
            {
                _events[i] = TraceEvent.TryParse(lines[i].Text);
            }
        }
    }

    private void Accept(TraceLine line)
    {
        CheckGiveUpExpectation(line);
        CheckOwedReports(line);
        if (line.IsComment)
        {
            OnComment(line);
            return;
        }
        if (line.AtMs < _lastAt)
        {
            Report(InvariantNames.WellFormed, F($"time goes back from {_lastAt} to {line.AtMs}"));
        }
        _lastAt = line.AtMs;
        if (_events[_line] is not { } e)
        {
            Report(InvariantNames.WellFormed, $"cannot read \"{line.Text}\"");
            return;
        }
        if (e.Path != _specs.RootId && !e.Path.StartsWith(_specs.RootId + "/", StringComparison.Ordinal))
        {
            Report(InvariantNames.WellFormed, $"\"{line.Text}\" names a path outside the root \"{_specs.RootId}\"");
            return;
        }
        if (_rootEnded && e.Kind != TraceEventKind.Reply)
        {
            Report(InvariantNames.Completed, $"\"{line.Text}\" follows the end of the root; only replies may");
            return;
        }
        if (e.Kind != TraceEventKind.Reply && e.Path != _specs.RootId && _specs.Child(e.Path) is null && !ResolvePending(e.Path))
        {
            Report(InvariantNames.WellFormed, $"\"{e.Path}\" names nothing in the scenario");
            return;
        }
        switch (e.Kind)
        {
            case TraceEventKind.Start:
            case TraceEventKind.StartError:
            case TraceEventKind.Ignore:
                OnStartAttempt(e);
                break;
            case TraceEventKind.Exit:
                OnExit(e);
                break;
            case TraceEventKind.Stop:
                OnStop(e);
                break;
            default:
                OnReply(e);
                break;
        }
    }

    private void OnStartAttempt(TraceEvent e)
    {
        if (_life.TryGetValue(e.Path, out var exited) && exited is null)
        {
            Report(InvariantNames.SingleIncarnation, $"{Describe(e)}, but \"{e.Path}\" is already live");
        }
        if (e.Kind == TraceEventKind.Start)
        {
            _life[e.Path] = null;
            if (_specs.IsSupervisor(e.Path) && Track(e.Path) is { } own)
            {
                own.Running = true;
            }
        }
        else
        {
            _life.Remove(e.Path);
            if (e.Kind == TraceEventKind.StartError && _specs.IsSupervisor(e.Path))
            {
                SupervisorEnded(e.Path, excused: true);
                EndFailedInstanceInit(e.Path);
            }
        }
        if (e.Parent is not { } parent || Track(parent) is not { } track)
        {
            return;
        }
        CloseRun(track, e);
        OnBackoffStartAttempt(track, e);
        if (track.Strategy == RestartStrategy.SimpleOneForOne)
        {
            CheckInstanceName(e);
        }
        var restart = _specs.Child(e.Path)?.Restart ?? RestartType.Permanent;
        if (track.Running && !track.IsRestartJustified(e.Id, restart))
        {
            if (track.PendingCall is { } pending)
            {
                Report(InvariantNames.StartCause, F($"{Describe(e)} while the start attempt at line {pending.Line} still waits for its call's reply"));
            }
            track.PendingCall = (e.Id, _line);
        }
        else
        {
            track.IgnoredSpecs.Remove(e.Id); // A restart (a group's) decides its state anew; a call's attempt is judged by its reply.
        }
        ReportsOnStartAttempt(track, e);
        track.Attempted(e.Id, _line);
        // A start attempt answers that child's owed restart; under one_for_all any attempt answers them all (the
        // group restart is under way, and may stop at an older member's failed start).
        if (track.Strategy == RestartStrategy.OneForAll)
        {
            track.Owed.Clear();
        }
        else
        {
            SupervisorTrack.RemoveFor(track.Owed, e.Id);
        }
        track.AutoShutdownPending.Remove(e.Id); // Started again: a group restart revived it before its exit was handled.
        if (e.Kind == TraceEventKind.StartError)
        {
            track.Triggers.Add(new RestartTrigger(e.Id, track.KeyOf(e.Id), _line));
        }
    }

    private void OnExit(TraceEvent e)
    {
        if (!_life.TryGetValue(e.Path, out var exited) || exited is not null)
        {
            Report(InvariantNames.ExitOfLive, $"{Describe(e)}, but \"{e.Path}\" is not live");
        }
        _life[e.Path] = e.Detail;
        if (_specs.IsSupervisor(e.Path))
        {
            if (_reportsComplete && _tracks.TryGetValue(e.Path, out var own) && !own.GaveUp)
            {
                if (own.AutoShutdownBy is null && !own.MayAutoShutdown)
                {
                    Report(InvariantNames.SupervisorExitExplained, $"{Describe(e)}: \"{e.Path}\" neither gave up nor had a significant child end on its own");
                }
                else if (own.Spec.AutoShutdown == AutoShutdown.AllSignificant && FirstSignificantStop(e.Path, own.Run) is { } live)
                {
                    // all_significant shuts down only when no significant child is left: it cannot have stopped one.
                    Report(InvariantNames.SupervisorExitExplained, $"{Describe(e)}: all_significant, but its shutdown stopped the significant child \"{live.Id}\" (line {live.Line})");
                }
                else if (own.Spec.AutoShutdown == AutoShutdown.AllSignificant && FirstSignificant(e.Path, own.Restarting) is { } waiting)
                {
                    // A child waiting for the retry of its restart counts as having a pid (OTP-SEMANTICS §3); the
                    // shutdown skips it, so only the start_error report shows it was there.
                    Report(InvariantNames.SupervisorExitExplained, $"{Describe(e)}: all_significant, but its significant child \"{waiting}\" waits for the retry of its restart, which counts as alive");
                }
            }
            SupervisorEnded(e.Path, excused: _tracks.TryGetValue(e.Path, out var ended) && ended.GaveUp);
        }
        if (e.Parent is not { } parent || Track(parent) is not { } track)
        {
            return;
        }
        OnBackoffExit(track, e);
        var spec = _specs.Child(e.Path);
        var restart = spec?.Restart ?? RestartType.Permanent;
        ReportsOnExit(track, e, restart);
        var warranted = restart == RestartType.Permanent || (restart == RestartType.Transient && !TraceEvent.IsNormalReason(e.Detail));
        if (warranted)
        {
            track.Triggers.Add(new RestartTrigger(e.Id, track.KeyOf(e.Id), _line));
            track.Owed.Add((e.Id, _line, e.Detail ?? string.Empty));
        }
        else if (spec is { Significant: true } && track.Running && track.Spec.AutoShutdown == AutoShutdown.AnySignificant)
        {
            track.AutoShutdownPending.Add(e.Id);
        }
        else if (spec is { Significant: true } && track.Running && track.Spec.AutoShutdown == AutoShutdown.AllSignificant)
        {
            track.MayAutoShutdown = true;
        }
    }

    /// <summary>The first of <paramref name="ids"/> that names a significant child of the supervisor at <paramref name="path"/>.</summary>
    private string? FirstSignificant(string path, IEnumerable<string> ids) =>
        ids.FirstOrDefault(id => _specs.Child($"{path}/{id}") is { Significant: true });

    /// <summary>The first stop in <paramref name="run"/> of a significant child of the supervisor at <paramref name="path"/>.</summary>
    private StopRecord? FirstSignificantStop(string path, List<StopRecord> run) =>
        run.Find(stop => _specs.Child($"{path}/{stop.Id}") is { Significant: true }) is { Id: not null } stop ? stop : null;

    private void OnStop(TraceEvent e)
    {
        if (!_life.TryGetValue(e.Path, out var exited))
        {
            Report(InvariantNames.StopOfLive, $"{Describe(e)}, but \"{e.Path}\" is not live");
        }
        else if (exited is null && e.Detail is not ("shutdown" or "killed"))
        {
            Report(InvariantNames.StopOfLive, $"{Describe(e)}: a live child stopped by its supervisor ends shutdown or killed");
        }
        else if (exited is not null && exited != e.Detail)
        {
            Report(InvariantNames.StopOfLive, $"{Describe(e)}, but \"{e.Path}\" had already exited with {exited}");
        }
        _life.Remove(e.Path);
        if (_specs.IsSupervisor(e.Path))
        {
            if (_tracks.TryGetValue(e.Path, out var own) && (own.GaveUp || own.AutoShutdownBy is not null) && e.Detail != "killed" && exited is null)
            {
                var why = own.GaveUp ? "gave up (reached_max_restart_intensity)" : $"shuts itself down (significant \"{own.AutoShutdownBy}\" ended)";
                Report(InvariantNames.GiveUpEndsWithExit, $"{Describe(e)}, but \"{e.Path}\" {why}: it ends with exit {e.Path} shutdown");
            }
            SupervisorEnded(e.Path, excused: e.Detail == "killed" || (_tracks.TryGetValue(e.Path, out var stoppedTrack) && stoppedTrack.GaveUp), killed: e.Detail == "killed");
        }
        if (e.Parent is not { } parent || Track(parent) is not { } track)
        {
            return;
        }
        track.Acted();
        ReportsOnStop(track, e);
        SupervisorTrack.RemoveFor(track.Owed, e.Id);
        track.AutoShutdownPending.Remove(e.Id); // Its exit was consumed by a termination: no auto_shutdown from it.
        ReportUnexplainedStart(track, $"then it stopped \"{e.Id}\"");
        var key = track.KeyOf(e.Id);
        if (track.Strategy != RestartStrategy.SimpleOneForOne && track.Run.Count > 0 && track.Run[^1].Key <= key)
        {
            var previous = track.Run[^1];
            Report(InvariantNames.StopOrder, F($"{Describe(e)} after its older sibling \"{previous.Id}\" (line {previous.Line}): stopped: children stop newest first"));
        }
        track.Run.Add(new StopRecord(e.Id, key, _line));
    }

    private void OnReply(TraceEvent e)
    {
        var call = TakeCall(e);
        if (e.Detail == "error:noproc" || _rootEnded || Track(e.Path) is not { } track)
        {
            return; // The supervisor is not running: the reply is not one of its actions.
        }
        if (track.PendingCall is { } pending)
        {
            if (e.Call is not ("start_child" or "restart_child"))
            {
                Report(InvariantNames.StartCause, F($"the start attempt of \"{pending.Id}\" at line {pending.Line} has no cause: no restart-warranting exit or failed start, and the next reply is {e.Call}, not start_child or restart_child"));
            }
            track.PendingCall = null;
        }
        track.Acted();
        OnBackoffReply(track, e, call);
        CheckCallReply(track, e, call);
        CheckIgnoredStartReply(track, e, call);
        if (e.Call == "terminate_child" && e.Detail == "ok" && call?.Child is { } terminated)
        {
            track.Restarting.Remove(terminated); // A restarting child terminated is not running: its retry is void.
        }
        CloseRun(track, e);
        CheckQueryReply(track, e);
        if (call is { Call: ScenarioCallKind.StartChild, Spec: { } draft } && e.Detail.StartsWith("ok:", StringComparison.Ordinal)
            && track.Strategy != RestartStrategy.SimpleOneForOne && draft.TryBuild(track.Spec.AutoShutdown, out var spec, out _))
        {
            _specs.AddDynamic(e.Path + "/" + spec.Id, spec);
            track.MakeNewest(spec.Id);
        }
    }
}
