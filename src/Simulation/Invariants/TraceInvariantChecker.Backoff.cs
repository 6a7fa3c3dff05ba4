using System.Globalization;
using Supervision.Engine;
using Supervision.Simulation.Replay;
using Supervision.Simulation.Scenarios;

namespace Supervision.Simulation.Invariants;

/// <summary>
/// The backoff invariants (<see cref="BackoffInvariantNames"/>), read from <c># report &lt;sup&gt; restart_delayed
/// &lt;child&gt; &lt;N&gt;ms</c> lines and the start, exit and reply lines around them. The delay's bounds are computed
/// here from the scenario's <c>backoff</c> object as docs/OTP-SEMANTICS.md states them, with the attempt counted
/// from the trace; the jitter itself is not recomputed (any value within the bounds is accepted).
/// </summary>
public sealed partial class TraceInvariantChecker
{
    private readonly Dictionary<SupervisorTrack, BackoffTrack> _backoff = [];

    private BackoffTrack BackoffOf(SupervisorTrack track)
    {
        if (!_backoff.TryGetValue(track, out var state))
        {
            state = new BackoffTrack();
            _backoff.Add(track, state);
        }
        return state;
    }

    /// <summary>
    /// A backoff line, <c># report &lt;sup&gt; restart_delayed &lt;child&gt; &lt;N&gt;ms</c> (not one of OTP's reports, so not a
    /// <see cref="ReportLine"/>): checked here; true when <paramref name="line"/> is one.
    /// </summary>
    private bool TryRestartDelayed(TraceLine line)
    {
        var parts = line.Text.Split(' ');
        if (parts.Length != 6 || parts[0] != "#" || parts[1] != "report" || parts[3] != "restart_delayed")
        {
            return false;
        }
        if (!_rootEnded && _tracks.TryGetValue(parts[2], out var track))
        {
            OnRestartDelayed(track, parts[4], parts[5], line.AtMs);
        }
        return true;
    }

    private void OnRestartDelayed(SupervisorTrack track, string childPath, string delayText, long atMs)
    {
        var state = BackoffOf(track);
        if (track.Spec.Backoff is not { } backoff || !TryParseDelay(delayText, out var delay))
        {
            Report(BackoffInvariantNames.Configured, $"\"{track.Path}\" reports restart_delayed {delayText} for \"{childPath}\", but it has no backoff (or the delay is not N ms)");
            return;
        }
        var id = childPath[(childPath.LastIndexOf('/') + 1)..];
        var ran = state.RanFor.TryGetValue(childPath, out var ranFor);
        var attempt = ran && ranFor >= backoff.ResetAfterMs ? 1 : state.Attempts.GetValueOrDefault(childPath) + 1;
        state.Attempts[childPath] = attempt;
        state.RanFor.Remove(childPath);
        var baseDelay = ExpectedBaseDelay(backoff, attempt);
        if (delay > baseDelay || delay + 1 <= baseDelay * (1 - backoff.Jitter))
        {
            Report(BackoffInvariantNames.DelayBounds, F($"restart of \"{childPath}\" delayed {delay} ms: attempt {attempt} (ran {(ran ? ranFor + " ms" : "not at all")}, reset_after {backoff.ResetAfterMs}) allows {Math.Ceiling(baseDelay * (1 - backoff.Jitter))} ... {baseDelay} ms"));
        }
        // The report stands where the strategy's starts would: it closes a group's stops and answers the owed restart.
        CloseRun(track, new TraceEvent(TraceEventKind.Start, childPath, "", ""));
        var key = track.KeyOf(id);
        // The new restart's group stops the waiting children in it: their waits end, replaced by this one.
        state.Waits.RemoveAll(wait => Covers(track.Strategy, new BackoffWait(id, key, 0, 0), wait.Id, wait.Key));
        state.Waits.Add(new BackoffWait(id, key, atMs + delay, _line));
        track.Owed.RemoveAll(owed => owed.Id == id || track.Strategy == RestartStrategy.OneForAll
            || (track.Strategy == RestartStrategy.RestForOne && track.KeyOf(owed.Id) >= key));
    }

    /// <summary>The base delay of attempt <paramref name="attempt"/>, from the documented formula.</summary>
    private static double ExpectedBaseDelay(RestartBackoff backoff, int attempt)
    {
        var grown = backoff.InitialDelayMs * Math.Pow(backoff.Multiplier, attempt - 1);
        return Math.Min(backoff.MaxDelayMs, Math.Floor(grown));
    }

    private static bool TryParseDelay(string text, out long delay)
    {
        delay = 0;
        return text.EndsWith("ms", StringComparison.Ordinal)
            && long.TryParse(text.AsSpan(0, text.Length - 2), NumberStyles.None, CultureInfo.InvariantCulture, out delay);
    }

    /// <summary>Whether child <paramref name="id"/> is in the group that the restart <paramref name="wait"/> stops and starts.</summary>
    private static bool Covers(RestartStrategy strategy, BackoffWait wait, string id, long key) => strategy switch
    {
        RestartStrategy.OneForAll => true,
        RestartStrategy.RestForOne => wait.Key <= key,
        _ => wait.Id == id,
    };

    /// <summary>
    /// Whether the restart <paramref name="wait"/> holds back a start attempt of <paramref name="id"/>: its own child;
    /// under one_for_all any child, as the group starts from the oldest. Under rest_for_one a newer sibling may be
    /// restarted on its own meanwhile (its group is itself and newer), so only the trigger, which starts first, is held.
    /// </summary>
    private static bool HoldsBack(RestartStrategy strategy, BackoffWait wait, string id) =>
        strategy == RestartStrategy.OneForAll || wait.Id == id;

    private void OnBackoffStartAttempt(SupervisorTrack track, TraceEvent e)
    {
        if (track.Spec.Backoff is null)
        {
            return;
        }
        var state = BackoffOf(track);
        if (e.Kind == TraceEventKind.Start)
        {
            state.StartedAt[e.Path] = _lastAt;
        }
        state.RanFor.Remove(e.Path); // a failed or ignored start: the next delay follows a child that never ran
        // A wait that is over and covers this start: its group restart is under way, and its walk ended the waits in its group.
        foreach (var over in state.Waits.Where(wait => HoldsBack(track.Strategy, wait, e.Id) && _lastAt >= wait.NotBefore).ToList())
        {
            state.Waits.RemoveAll(wait => Covers(track.Strategy, over, wait.Id, wait.Key));
        }
        foreach (var wait in state.Waits)
        {
            if (HoldsBack(track.Strategy, wait, e.Id) && _lastAt < wait.NotBefore && !NextCallStarts(track, e.Id))
            {
                Report(BackoffInvariantNames.NotEarly, F($"{Describe(e)}, but the restart delayed at line {wait.Line} may not start before {wait.NotBefore}"));
            }
        }
        state.Waits.RemoveAll(wait => wait.Id == e.Id);
    }

    /// <summary>Lenient: an operator's start_child or restart_child may start a child of a group that waits.</summary>
    private bool NextCallStarts(SupervisorTrack track, string id) =>
        _calls.TryGetValue(track.Path, out var queue) && queue.Count > 0
        && queue[0] is { Call: ScenarioCallKind.StartChild or ScenarioCallKind.RestartChild } call
        && call.At <= _lastAt && (call.Child is null || call.Child == id);

    private void OnBackoffExit(SupervisorTrack track, TraceEvent e)
    {
        if (track.Spec.Backoff is not null && BackoffOf(track).StartedAt.TryGetValue(e.Path, out var started))
        {
            BackoffOf(track).RanFor[e.Path] = _lastAt - started;
        }
    }

    private void OnBackoffReply(SupervisorTrack track, TraceEvent e, CallStep? call)
    {
        if (track.Spec.Backoff is null || call is null)
        {
            return;
        }
        var state = BackoffOf(track);
        foreach (var wait in state.Waits)
        {
            if (wait.NotBefore < call.At)
            {
                Report(BackoffInvariantNames.Due, F($"\"{track.Path}\" answered {e.Call} (called at {call.At}) while the restart of \"{wait.Id}\" delayed at line {wait.Line} until {wait.NotBefore} had not started"));
            }
        }
        if (call.Call == ScenarioCallKind.TerminateChild && call.Child is { } ended)
        {
            state.Waits.RemoveAll(wait => wait.Id == ended); // terminate_child ends the wait, as for OTP's restarting child
        }
        if (call.Call == ScenarioCallKind.StartChild && e.Detail.StartsWith("ok:", StringComparison.Ordinal))
        {
            state.Attempts.Remove(e.Detail[3..]); // a child added anew starts its attempts afresh
        }
    }

    private readonly record struct BackoffWait(string Id, long Key, long NotBefore, int Line);

    /// <summary>What the checker knows of one supervisor incarnation's backoff: waits, attempts and run times by child path.</summary>
    private sealed class BackoffTrack
    {
        public List<BackoffWait> Waits { get; } = [];
        public Dictionary<string, int> Attempts { get; } = new(StringComparer.Ordinal);
        public Dictionary<string, long> StartedAt { get; } = new(StringComparer.Ordinal);
        public Dictionary<string, long> RanFor { get; } = new(StringComparer.Ordinal);
    }
}
