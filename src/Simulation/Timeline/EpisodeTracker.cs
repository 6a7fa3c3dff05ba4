namespace Supervision.Simulation.Timeline;

/// <summary>
/// Groups the lines a supervisor prints while it handles one child's exit into a <see cref="RestartEpisode"/>.
/// An episode opens at the <c>child_terminated</c> report and takes, in order, the stops of the children its
/// strategy terminates and the start attempts of those it restarts (with their subtrees' lines), or after a
/// give-up the stops up to the supervisor's own exit. Other supervisors' lines in between (they run
/// concurrently) are passed over. It closes at the supervisor's next action of another kind: a reply, its own
/// line, another report, a stop after its starts (unless a failed start is retried), or a later instant once
/// its starts began (starts take no virtual time).
/// </summary>
internal sealed class EpisodeTracker(TimelineModel model)
{
    private readonly Dictionary<string, RestartEpisode> _open = new(StringComparer.Ordinal);

    /// <summary>A <c>child_terminated</c> report of a child that will be restarted (or will make it give up).</summary>
    public void Begin(TimelineLane supervisor, string child, string reason)
    {
        Close(supervisor.Path);
        var cause = model.LaneByPath.GetValueOrDefault(child);
        _open[supervisor.Path] = new RestartEpisode(supervisor.Path, supervisor.StrategyName ?? "supervisor", child, reason)
        {
            CauseEvent = cause?.LastEnd ?? -1,
        };
    }

    /// <summary>A failed start in a restart: the retry may stop the siblings it had restarted again.</summary>
    public void Retry(string supervisor)
    {
        if (_open.TryGetValue(supervisor, out var episode))
        {
            episode.Attempts++;
            episode.Starting = false;
        }
    }

    /// <summary>The supervisor gives up: the episode goes on to its own exit.</summary>
    public void GiveUp(string supervisor)
    {
        if (_open.TryGetValue(supervisor, out var episode))
        {
            episode.GaveUp = true;
        }
    }

    /// <summary>Offers event <paramref name="index"/> to every open episode.</summary>
    public void Observe(int index, TimelineEvent e)
    {
        List<string>? closing = null;
        foreach (var (supervisor, episode) in _open)
        {
            if (Takes(episode, index, e) is Verdict.Close or Verdict.TakeAndClose)
            {
                (closing ??= []).Add(supervisor);
            }
        }
        foreach (var supervisor in closing ?? [])
        {
            Close(supervisor);
        }
    }

    /// <summary>Closes every open episode (the trace ended).</summary>
    public void Finish()
    {
        foreach (var supervisor in _open.Keys.ToList())
        {
            Close(supervisor);
        }
    }

    private enum Verdict
    {
        Pass,
        Take,
        Close,
        TakeAndClose,
    }

    /// <summary>Whether <paramref name="episode"/> takes the event, and whether it ends with (or before) it.</summary>
    private static Verdict Takes(RestartEpisode episode, int index, TimelineEvent e)
    {
        var supervisor = episode.Supervisor;
        if (episode.Starting && e.AtMs > episode.StartingAtMs)
        {
            return Verdict.Close; // Its starts all happened at one instant.
        }
        if (e.Path == supervisor)
        {
            if (e.Kind == TimelineEventKind.GiveUp || (episode.GaveUp && e.Kind is TimelineEventKind.Exit or TimelineEventKind.Stop))
            {
                episode.Include(index);
                return e.Kind == TimelineEventKind.GiveUp ? Verdict.Take : Verdict.TakeAndClose;
            }
            return e.Kind is TimelineEventKind.Call or TimelineEventKind.Plan ? Verdict.Pass : Verdict.Close;
        }
        if (!e.Path.StartsWith(supervisor + "/", StringComparison.Ordinal))
        {
            return Verdict.Pass; // Another part of the tree, running concurrently.
        }
        var cut = e.Path.IndexOf('/', supervisor.Length + 1);
        var child = cut < 0 ? e.Path : e.Path[..cut];
        var direct = cut < 0;
        switch (e.Kind)
        {
            case TimelineEventKind.Stop when episode.Starting && direct:
                return Verdict.Close; // A stop after the starts is a new action (a call, the final shutdown).
            case TimelineEventKind.Stop when episode.Starting && !episode.Children.Contains(child):
                return Verdict.Pass;
            case TimelineEventKind.Stop:
                break;
            case TimelineEventKind.Start or TimelineEventKind.StartError or TimelineEventKind.Ignore:
                if (direct)
                {
                    episode.Starting = true;
                    episode.StartingAtMs = e.AtMs;
                }
                break;
            default:
                return Verdict.Pass; // A crash printed while it is busy, a reply from below: not part of it.
        }
        episode.Include(index, child);
        return Verdict.Take;
    }

    private void Close(string supervisor)
    {
        if (_open.Remove(supervisor, out var episode) && (episode.First >= 0 || episode.GaveUp))
        {
            model.Episodes.Add(episode);
        }
    }
}
