using System.Globalization;
using Supervision.Engine;
using Supervision.Simulation.Replay;

namespace Supervision.Simulation.Invariants;

/// <summary>
/// The intensity invariant, read from the report lines (<c># report &lt;sup&gt; &lt;kind&gt; &lt;child&gt; &lt;reason&gt;</c>,
/// docs/TRACE-RULES.md rule 7). A child_terminated report of a child that is not temporary is one restart attempt
/// (docs/OTP-SEMANTICS.md §5); the supervisor checks its intensity there and either restarts or, in the very next
/// line, reports reached_max_restart_intensity.
/// </summary>
public sealed partial class TraceInvariantChecker
{
    /// <summary>The supervisor whose next line must (or must not) be its give-up report, and the line that says so.</summary>
    private (string Sup, bool MustGiveUp, int Line, string Why)? _giveUp;

    private void OnComment(TraceLine line)
    {
        if (TryRestartDelayed(line))
        {
            return;
        }
        if (_reports[_line] is not { } report)
        {
            if (ReportLine.LooksLikeReport(line.Text))
            {
                Report(InvariantNames.WellFormed, $"cannot read the report \"{line.Text}\"");
            }
            return;
        }
        OnReport(report);
        if (_rootEnded || !_tracks.TryGetValue(report.Supervisor, out var track))
        {
            return;
        }
        switch (report.Kind)
        {
            case ReportLineKind.StartError when track.Running:
                track.HadRetries = true;
                break;
            case ReportLineKind.ReachedMaxRestartIntensity:
                track.GaveUp = true;
                break;
            case ReportLineKind.ChildTerminated:
                CountRestartAttempt(track, report.Child, line.AtMs);
                break;
        }
    }

    /// <summary>OTP's rule: keep the attempts at seconds ≥ now − period, add this one, and give up when more than intensity remain.</summary>
    private void CountRestartAttempt(SupervisorTrack track, string childPath, long atMs)
    {
        if ((_specs.Child(childPath)?.Restart ?? RestartType.Permanent) == RestartType.Temporary)
        {
            return; // A temporary child is deleted, not restarted: no attempt.
        }
        var now = atMs / 1000;
        track.RestartSeconds.RemoveAll(second => second < now - track.Spec.PeriodSeconds);
        track.RestartSeconds.Add(now);
        var count = track.RestartSeconds.Count;
        var why = string.Create(CultureInfo.InvariantCulture,
            $"{count} restart attempt(s) of \"{track.Path}\" in the window of second {now} (period {track.Spec.PeriodSeconds}, seconds {string.Join(",", track.RestartSeconds)}) against intensity {track.Spec.Intensity}");
        if (count > track.Spec.Intensity)
        {
            _giveUp = (track.Path, true, _line, why);
        }
        else if (!track.HadRetries)
        {
            _giveUp = (track.Path, false, _line, why);
        }
    }

    /// <summary>The line after a child_terminated report: the give-up report must be there exactly when the count is exceeded.</summary>
    private void CheckGiveUpExpectation(TraceLine line)
    {
        if (_giveUp is not { } expected || expected.Line == _line)
        {
            return;
        }
        _giveUp = null;
        var gaveUp = line.Text.StartsWith($"# report {expected.Sup} reached_max_restart_intensity ", StringComparison.Ordinal);
        if (expected.MustGiveUp && !gaveUp)
        {
            Report(InvariantNames.Intensity, $"{expected.Why}: it must give up, but the next line is \"{line.Text}\"");
        }
        else if (!expected.MustGiveUp && gaveUp)
        {
            Report(InvariantNames.Intensity, $"{expected.Why}: it gave up, but the count does not exceed the intensity");
        }
    }
}
