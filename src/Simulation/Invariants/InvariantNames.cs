namespace Supervision.Simulation.Invariants;

/// <summary>The names of the invariants <see cref="TraceInvariantChecker"/> checks, as used in <see cref="InvariantViolation.Invariant"/>.</summary>
public static class InvariantNames
{
    /// <summary>Every line parses, times never decrease, and each path lies under the root.</summary>
    public const string WellFormed = "well-formed";

    /// <summary>No path has two live incarnations: no start attempt for a path that is already live.</summary>
    public const string SingleIncarnation = "single-incarnation";

    /// <summary>An <c>exit</c> line concerns a live child.</summary>
    public const string ExitOfLive = "exit-of-live";

    /// <summary>
    /// A <c>stop</c> line concerns a live child, with reason <c>shutdown</c> or <c>killed</c>, or a child that
    /// already exited on its own (a race), with that exit's own reason.
    /// </summary>
    public const string StopOfLive = "stop-of-live";

    /// <summary>When a supervisor stops, exits or fails its init, none of its descendants is still live.</summary>
    public const string SupervisorEndsAlone = "supervisor-ends-alone";

    /// <summary>Consecutive stops of a static supervisor's children go newest first (restarted children keep their position).</summary>
    public const string StopOrder = "stop-order";

    /// <summary>
    /// Stops of a supervisor's children have a cause: its own end, a terminate_child (exactly one stop, then the
    /// reply), or, for one_for_all and rest_for_one only, a group restart (followed by a start attempt; for
    /// rest_for_one only children newer than the first one started again). A one_for_one or simple_one_for_one
    /// supervisor never stops a sibling of a crashed child.
    /// </summary>
    public const string StopCause = "stop-cause";

    /// <summary>
    /// A start attempt in a running supervisor has a cause: a restart-warranting exit (permanent: any reason;
    /// transient: abnormal) or a failed start of that child (one_for_one, simple_one_for_one), of that child or
    /// an older sibling (rest_for_one) or of any child (one_for_all) since the child's previous start attempt;
    /// or a start_child / restart_child call, whose reply follows at once. So transient children are never
    /// restarted after normal, shutdown or shutdown:x, and temporary children never.
    /// </summary>
    public const string StartCause = "start-cause";

    /// <summary>
    /// A supervisor gives up (reports reached_max_restart_intensity right after a child_terminated report) exactly
    /// when OTP's count exceeds its intensity: restart attempts whose whole second <c>floor(at / 1000)</c> is at
    /// least the current second minus the period, the current one included. Retries after failed restarts
    /// count too; their times are not in the trace, so a give-up is only called early when there were none.
    /// </summary>
    public const string Intensity = "intensity";

    /// <summary>
    /// A supervisor that gave up (reported reached_max_restart_intensity) or shuts itself down (any_significant,
    /// after a significant child's own final exit that no group termination consumed) ends with
    /// <c>exit &lt;path&gt; shutdown</c> (docs/SCENARIO-FORMAT.md, docs/TRACE-RULES.md rule 4), not with a <c>stop</c> line, even
    /// when a stop request arrives meanwhile (its mailbox holds the exit first); only a kill by its parent
    /// (<c>stop &lt;path&gt; killed</c>) can cut that short.
    /// </summary>
    public const string GiveUpEndsWithExit = "give-up-ends-with-exit";

    /// <summary>
    /// Replies about children agree with the trace. A supervisor answers calls in mailbox order, so a child
    /// that exited after the call was queued may still have its pid: which_children lists as <c>running</c>
    /// every live child and otherwise only children that exited but whose exit may still be queued; a static
    /// supervisor lists newest first; a simple_one_for_one supervisor's count_children <c>active</c> (table size
    /// minus restarting entries, no live check) lies between those two counts too.
    /// </summary>
    public const string QueryReplies = "query-replies";

    /// <summary>
    /// Replies to calls on one child agree with the trace: after <c>terminate_child ... ok</c> and
    /// <c>delete_child ... ok</c> the child is not live (and a terminate_child stopped that child, not another);
    /// after <c>start_child</c> / <c>restart_child ... ok:&lt;path&gt;</c> that path is live; <c>error:running</c> names a
    /// child that is live or whose exit may still be queued.
    /// </summary>
    public const string CallReplies = "call-replies";

    /// <summary>
    /// simple_one_for_one instances are numbered per template path from 1 in order of successful start, across
    /// the whole run (docs/TRACE-RULES.md rule 14): a new instance's <c>start</c> line takes the next number, a failed
    /// or ignored start of a new instance is printed on the template's path, and start_child's
    /// <c>ok:&lt;instance&gt;</c> reply names the instance that just started.
    /// </summary>
    public const string InstanceNaming = "instance-naming";

    /// <summary>
    /// A static supervisor's count_children <c>active</c> is the number of children whose process is alive:
    /// OTP 25 checks <c>is_process_alive</c> for each pid (docs/OTP-SEMANTICS.md §8), so a child that has exited but
    /// whose exit is still queued is not active.
    /// </summary>
    public const string CountChildrenLiveCheck = "count-children-live-check";

    /// <summary>The trace ends with the root's end (<c>stop</c>, <c>exit</c> or a failed start); only replies follow it.</summary>
    public const string Completed = "completed";

    /// <summary>
    /// An exit that warrants a restart (permanent; transient with an abnormal reason, a child supervisor that
    /// gave up included) is followed by a start attempt of that child, or is consumed by a termination (a stop
    /// line), unless its supervisor gives up or is killed first (OTP-SEMANTICS 3, 4, 5).
    /// </summary>
    public const string RestartOwed = "restart-owed";

    /// <summary>
    /// A supervisor exits on its own only when it gave up, or when auto_shutdown applies: any_significant after
    /// a significant child's own final exit; all_significant only when no other significant child is left (OTP-SEMANTICS 9).
    /// </summary>
    public const string SupervisorExitExplained = "supervisor-exit-explained";

    /// <summary>
    /// A child_terminated report for each child exit its supervisor handles that is not a quiet end (permanent:
    /// any reason; transient and temporary: an abnormal one), with the exit's reason, before that child's next
    /// start attempt; none for an exit a termination consumed (its <c>stop</c> line) or that never had one;
    /// a supervisor ends owing none unless it was killed (OTP-SEMANTICS 3, 11).
    /// </summary>
    public const string ChildTerminatedReport = "child-terminated-report";

    /// <summary>
    /// A shutdown_error report right after each termination whose outcome is unacceptable, and none otherwise:
    /// brutal_kill accepts <c>killed</c>, other shutdowns <c>shutdown</c>, and a child that is not permanent also
    /// <c>normal</c>, <c>shutdown</c> or <c>shutdown:x</c>. A simple_one_for_one supervisor's own termination
    /// reports once per distinct unacceptable reason, naming the template. The stops of a killed supervisor's
    /// subtree owe none (OTP-SEMANTICS 7.1, 7.2; TRACE-RULES rule 6).
    /// </summary>
    public const string ShutdownErrorReport = "shutdown-error-report";

    /// <summary>
    /// A start_error report right after each failed start attempt a supervisor made by itself (init, restart,
    /// retry), with the attempt's reason; a start_child or restart_child call's failure has its reply instead,
    /// and no report (OTP-SEMANTICS 6, 8).
    /// </summary>
    public const string StartErrorReport = "start-error-report";

    /// <summary>
    /// reached_max_restart_intensity names the child whose restart was attempted: the child reported
    /// child_terminated on the line before, or one whose automatic restart failed and waits for its retry;
    /// after it, the supervisor starts nothing (OTP-SEMANTICS 5).
    /// </summary>
    public const string GiveUpReport = "give-up-report";

    /// <summary>
    /// After a start_child whose start ignored (<c>ok:undefined</c>) on a static supervisor, a permanent or transient
    /// spec is kept, not running, and a temporary one is not kept: the next start_child of that id answers
    /// already_present or starts it, restart_child and delete_child find it or answer not_found, and
    /// which_children lists it as undefined or not at all (OTP-SEMANTICS 6.3, 8).
    /// </summary>
    public const string IgnoredStartSpec = "ignored-start-spec";

    /// <summary>At the end of a completed trace nothing that was started is still live.</summary>
    public const string AllStoppedAtEnd = "all-stopped-at-end";
}
