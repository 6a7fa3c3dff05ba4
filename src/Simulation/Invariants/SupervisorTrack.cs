using Supervision.Engine;

namespace Supervision.Simulation.Invariants;

/// <summary>A stop of a direct child, as seen in the trace.</summary>
internal readonly record struct StopRecord(string Id, long Key, int Line);

/// <summary>
/// Something that entitles a running supervisor to start a child again: a restart-warranting exit or a failed
/// start attempt of child <see cref="Id"/>. The supervisor may handle it much later than its line (its mailbox
/// is FIFO and it may be busy), so a trigger stays open until it has been handled: its child has been
/// attempted after it and the supervisor has since done something else (a stop or a reply).
/// </summary>
internal sealed class RestartTrigger(string id, long key, int line)
{
    public string Id { get; } = id;

    public long Key { get; } = key;

    public int Line { get; } = line;

    /// <summary>Its child has been attempted since: the restart it asked for has happened.</summary>
    public bool Handled { get; set; }
}

/// <summary>
/// What the checker knows about one incarnation of one supervisor: whether it has finished starting, the
/// position of each child (OTP keeps children newest first; a restart keeps a child's place, start_child
/// makes it the newest), the current run of stops of its children, and what would justify a restart.
/// A supervisor that ends loses all of this: its next incarnation starts again from its spec.
/// </summary>
internal sealed class SupervisorTrack
{
    private readonly Dictionary<string, long> _keys = new(StringComparer.Ordinal);
    private long _nextKey;

    public SupervisorTrack(string path, SupervisorSpec spec)
    {
        Path = path;
        Spec = spec;
        for (var i = 0; i < spec.Children.Count; i++)
        {
            _keys[spec.Children[i].Id] = _nextKey++;
        }
    }

    public string Path { get; }

    public SupervisorSpec Spec { get; }

    public RestartStrategy Strategy => Spec.Strategy;

    /// <summary>True once its own <c>start</c> line is printed; before that it is still in its init.</summary>
    public bool Running { get; set; }

    /// <summary>The stops of its children since its last action of another kind, oldest line first.</summary>
    public List<StopRecord> Run { get; } = [];

    public List<RestartTrigger> Triggers { get; } = [];

    /// <summary>Exits that warrant a restart and have not been answered yet (by a start attempt or a stop line): child id and line.</summary>
    public List<(string Id, int Line, string Reason)> Owed { get; } = [];

    /// <summary>A start attempt that only a start_child or restart_child call can explain: the next reply must be that call's.</summary>
    public (string Id, int Line)? PendingCall { get; set; }

    /// <summary>
    /// The whole seconds of the restart attempts known for certain (one per child_terminated report of a child
    /// that is not temporary); the retries after failed restarts come on top, at times the trace does not show.
    /// </summary>
    public List<long> RestartSeconds { get; } = [];

    /// <summary>It reported reached_max_restart_intensity: it is shutting down on its own and must end with an <c>exit</c> line.</summary>
    public bool GaveUp { get; set; }

    /// <summary>
    /// Under any_significant: the significant child whose own final exit (temporary, or transient with a normal
    /// reason) makes this supervisor shut itself down once it handles it; null when there is none pending.
    /// </summary>
    public string? AutoShutdownBy => AutoShutdownPending.Count > 0 ? AutoShutdownPending[0] : null;

    /// <summary>Every significant child whose own final exit is pending (several may be queued; each may be consumed by a termination).</summary>
    public List<string> AutoShutdownPending { get; } = [];

    /// <summary>
    /// Under all_significant: a significant child ended on its own, so the supervisor may shut itself down once
    /// no significant child is left. Permitted, not required: it handles the exit later (a group restart may have
    /// revived another significant child); its shutdown then must not stop a significant child.
    /// </summary>
    public bool MayAutoShutdown { get; set; }

    /// <summary>
    /// Exits of its children that owe a child_terminated report once it handles them (permanent: any; transient,
    /// temporary: abnormal), until reported or consumed by a termination: child id, line and reason.
    /// </summary>
    public List<(string Id, int Line, string Reason)> ReportsOwed { get; } = [];

    /// <summary>Children whose automatic start attempt failed (start_error reported): a retry of their restart is queued.</summary>
    public HashSet<string> Restarting { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Children whose start_child was answered <c>ok:undefined</c> (the start ignored) and not started or deleted
    /// since: whether the spec was kept (not temporary), and the reply's line.
    /// </summary>
    public Dictionary<string, (bool Kept, int Line)> IgnoredSpecs { get; } = new(StringComparer.Ordinal);

    /// <summary>The child of the latest child_terminated report, and its line: a give-up right after it names that child.</summary>
    public (string Id, int Line)? LastChildTerminated { get; set; }

    /// <summary>A restart failed in this incarnation (a start_error report while running), so retries have counted too.</summary>
    public bool HadRetries { get; set; }

    /// <summary>The child's position: larger is newer. A child never seen before becomes the newest.</summary>
    public long KeyOf(string id)
    {
        if (!_keys.TryGetValue(id, out var key))
        {
            key = _nextKey++;
            _keys[id] = key;
        }
        return key;
    }

    /// <summary>start_child added the child: it is now the newest, wherever an earlier child with its id stood.</summary>
    public void MakeNewest(string id) => _keys[id] = _nextKey++;

    /// <summary>
    /// Whether an open trigger entitles this supervisor to start the child now: its own (one_for_one,
    /// simple_one_for_one), its own or an older sibling's (rest_for_one), anyone's (one_for_all). A temporary
    /// child is never restarted, so nothing entitles it.
    /// </summary>
    public bool IsRestartJustified(string id, RestartType restart)
    {
        if (restart == RestartType.Temporary)
        {
            return false;
        }
        var key = KeyOf(id);
        foreach (var trigger in Triggers)
        {
            var covers = Strategy switch
            {
                RestartStrategy.OneForAll => true,
                RestartStrategy.RestForOne => trigger.Key <= key,
                _ => trigger.Id == id,
            };
            if (covers)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>A start attempt of <paramref name="id"/> at <paramref name="line"/> handles the triggers of that child from earlier lines.</summary>
    public void Attempted(string id, int line)
    {
        foreach (var trigger in Triggers)
        {
            if (trigger.Id == id && trigger.Line < line)
            {
                trigger.Handled = true;
            }
        }
    }

    /// <summary>The supervisor did something other than a start attempt: the restarts it had handled are over.</summary>
    public void Acted() => Triggers.RemoveAll(t => t.Handled);

    /// <summary>Removes the entries of child <paramref name="id"/> from a list of owed restarts or reports.</summary>
    public static void RemoveFor(List<(string Id, int Line, string Reason)> owed, string id)
    {
        for (var i = owed.Count - 1; i >= 0; i--)
        {
            if (owed[i].Id == id)
            {
                owed.RemoveAt(i);
            }
        }
    }
}
