using Supervision.Engine;
using Supervision.Simulation.Scenarios;

namespace Supervision.Simulation.Invariants;

/// <summary>
/// What a static supervisor keeps after a start_child whose start ignored (<c>ok:undefined</c>): a permanent or
/// transient spec is kept, not running; a temporary one is not kept at all (OTP-SEMANTICS 6.3). The calls that
/// name that id next must answer accordingly, until a start attempt, a delete or the supervisor's end changes it.
/// </summary>
public sealed partial class TraceInvariantChecker
{
    private void CheckIgnoredStartReply(SupervisorTrack track, TraceEvent e, CallStep? call)
    {
        if (track.Strategy == RestartStrategy.SimpleOneForOne || call is null)
        {
            return;
        }
        var id = call.Call == ScenarioCallKind.StartChild
            ? call.Spec is { } draft && draft.TryBuild(track.Spec.AutoShutdown, out var spec, out _) ? spec.Id : null
            : call.Child;
        if (id is null)
        {
            if (e.Call == "which_children")
            {
                CheckIgnoredInList(track, e);
            }
            return;
        }
        if (track.IgnoredSpecs.TryGetValue(id, out var ignored))
        {
            var expected = Expected(call.Call, ignored.Kept, e.Detail);
            if (expected is not null)
            {
                Report(InvariantNames.IgnoredStartSpec, $"{Describe(e)}, but the start_child of \"{id}\" at line {ignored.Line} was ignored, so its spec is {(ignored.Kept ? "kept (not running)" : "not kept (temporary)")}: expected {expected}");
            }
            var started = call.Call is ScenarioCallKind.StartChild or ScenarioCallKind.RestartChild && e.Detail.StartsWith("ok:", StringComparison.Ordinal) && e.Detail != "ok:undefined";
            if ((call.Call == ScenarioCallKind.DeleteChild && e.Detail == "ok") || started)
            {
                track.IgnoredSpecs.Remove(id);
            }
        }
        if (call.Call == ScenarioCallKind.StartChild && e.Detail == "ok:undefined" && call.Spec is { } added && added.TryBuild(track.Spec.AutoShutdown, out var addedSpec, out _))
        {
            track.IgnoredSpecs[id] = (addedSpec.Restart != RestartType.Temporary, _line);
        }
    }

    /// <summary>The reply a call must have given, or null when <paramref name="detail"/> is one it may give.</summary>
    private static string? Expected(ScenarioCallKind call, bool kept, string detail) => call switch
    {
        ScenarioCallKind.StartChild when kept && detail != "error:already_present" => "error:already_present",
        ScenarioCallKind.StartChild when !kept && detail is "error:already_present" or "error:already_started" => "a start (ok:…, or a start error)",
        ScenarioCallKind.RestartChild or ScenarioCallKind.DeleteChild or ScenarioCallKind.TerminateChild when !kept && detail != "error:not_found" => "error:not_found",
        ScenarioCallKind.RestartChild when kept && detail is "error:not_found" or "error:running" => "a start (ok:…, or a start error)",
        ScenarioCallKind.DeleteChild or ScenarioCallKind.TerminateChild when kept && detail != "ok" => "ok",
        _ => null,
    };

    /// <summary>which_children lists a kept spec as not running, and no spec that was not kept.</summary>
    private void CheckIgnoredInList(SupervisorTrack track, TraceEvent e)
    {
        if (!e.Detail.StartsWith('[') || !e.Detail.EndsWith(']'))
        {
            return;
        }
        var entries = e.Detail.Length == 2 ? [] : e.Detail[1..^1].Split(',');
        foreach (var (id, (kept, line)) in track.IgnoredSpecs)
        {
            var listed = Array.Find(entries, entry => entry.StartsWith(id + ":", StringComparison.Ordinal));
            if (kept ? listed != id + ":undefined" : listed is not null)
            {
                Report(InvariantNames.IgnoredStartSpec, $"{Describe(e)}, but the start_child of \"{id}\" at line {line} was ignored: expected {(kept ? id + ":undefined" : "no entry")} for it");
            }
        }
    }
}
