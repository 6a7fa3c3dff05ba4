using System.Globalization;
using Supervision.Engine;
using Supervision.Simulation.Scenarios;

namespace Supervision.Simulation.Invariants;

/// <summary>
/// which_children and count_children replies against the checker's own view of which children are live.
/// A supervisor answers a call only after the exits already in its mailbox (docs/OTP-SEMANTICS.md §0), and every
/// exit is in the trace when it happens, so at the reply the live children are exactly those running.
/// </summary>
public sealed partial class TraceInvariantChecker
{
    private void CheckCallReply(SupervisorTrack track, TraceEvent e, CallStep? call)
    {
        var named = call?.Child is { } child ? track.Path + "/" + child : null;
        var state = named is null ? LifeState.Unknown : StateOf(named);
        switch (e.Call)
        {
            case "terminate_child" or "delete_child" when e.Detail == "ok" && state == LifeState.Live:
                Report(InvariantNames.CallReplies, $"{Describe(e)}, but \"{named}\" is still live");
                break;
            case "terminate_child" when e.Detail == "ok" && track.Run.Count == 1 && track.Run[0].Id != call?.Child:
                Report(InvariantNames.CallReplies, $"{Describe(e)} for \"{call?.Child}\", but the child stopped was \"{track.Run[0].Id}\"");
                break;
            case "start_child" or "restart_child" when e.Detail.StartsWith("ok:", StringComparison.Ordinal) && e.Detail != "ok:undefined"
                && StateOf(e.Detail[3..]) != LifeState.Live:
                var instance = track.Strategy == RestartStrategy.SimpleOneForOne;
                Report(instance ? InvariantNames.InstanceNaming : InvariantNames.CallReplies, $"{Describe(e)}, but \"{e.Detail[3..]}\" is not live");
                break;
            case "restart_child" or "delete_child" when e.Detail == "error:running" && state == LifeState.Gone:
                Report(InvariantNames.CallReplies, $"{Describe(e)}, but \"{named}\" is neither live nor just exited");
                break;
        }
    }

    private enum LifeState
    {
        Unknown,
        Live,
        Exited,
        Gone,
    }

    private LifeState StateOf(string path) =>
        !_life.TryGetValue(path, out var reason) ? LifeState.Gone : reason is null ? LifeState.Live : LifeState.Exited;

    private void CheckQueryReply(SupervisorTrack track, TraceEvent e)
    {
        if (!e.Detail.StartsWith('[') || !e.Detail.EndsWith(']'))
        {
            return;
        }
        var entries = e.Detail.Length == 2 ? [] : e.Detail[1..^1].Split(',');
        var live = Children(track.Path, exited: false);
        var maybe = Children(track.Path, exited: true);
        if (e.Call == "count_children")
        {
            var active = Array.Find(entries, x => x.StartsWith("active:", StringComparison.Ordinal));
            if (active is null || !int.TryParse(active.AsSpan("active:".Length), NumberStyles.None, CultureInfo.InvariantCulture, out var count))
            {
                Report(InvariantNames.QueryReplies, $"{Describe(e)} has no active count");
            }
            else if (track.Strategy != RestartStrategy.SimpleOneForOne && count != live.Count)
            {
                Report(InvariantNames.CountChildrenLiveCheck, $"{Describe(e)}, but {Live(live)}{Exited(maybe)}");
            }
            else if (count < live.Count || count > live.Count + maybe.Count)
            {
                Report(InvariantNames.QueryReplies, $"{Describe(e)}, but {Live(live)}{Exited(maybe)}");
            }
            return;
        }
        if (e.Call != "which_children")
        {
            return;
        }
        var running = new List<string>();
        long? previousKey = null;
        foreach (var entry in entries)
        {
            var colon = entry.LastIndexOf(':');
            var id = colon > 0 ? entry[..colon] : entry;
            if (colon > 0 && entry[(colon + 1)..] == "running")
            {
                running.Add(id);
            }
            if (track.Strategy == RestartStrategy.SimpleOneForOne)
            {
                continue;
            }
            var key = track.KeyOf(id);
            if (previousKey is { } newer && key >= newer)
            {
                Report(InvariantNames.QueryReplies, $"{Describe(e)}: \"{id}\" is listed after a younger sibling; which_children lists newest first");
            }
            previousKey = key;
        }
        var missing = live.Except(running, StringComparer.Ordinal).ToList();
        var extra = running.Except(live, StringComparer.Ordinal).Except(maybe, StringComparer.Ordinal).ToList();
        if (missing.Count > 0 || extra.Count > 0)
        {
            Report(InvariantNames.QueryReplies, $"{Describe(e)}, but {Live(live)}{Exited(maybe)}");
        }
    }

    /// <summary>The ids of the direct children of a supervisor that are live, or that exited on their own and were not stopped since.</summary>
    private List<string> Children(string supervisorPath, bool exited)
    {
        var prefix = supervisorPath + "/";
        var found = new List<string>();
        foreach (var (path, reason) in _life)
        {
            if ((reason is not null) == exited && path.StartsWith(prefix, StringComparison.Ordinal) && path.IndexOf('/', prefix.Length) < 0)
            {
                found.Add(path[prefix.Length..]);
            }
        }
        found.Sort(StringComparer.Ordinal);
        return found;
    }

    private static string Exited(List<string> exited) => exited.Count == 0
        ? ""
        : $" (and {string.Join(", ", exited)} exited, maybe still queued)";

    private static string Live(List<string> live) => live.Count == 0
        ? "no child is live"
        : $"the live children are {string.Join(", ", live)}";
}
