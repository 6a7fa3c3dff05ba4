namespace Supervision.Simulation.Generation;

/// <summary>
/// The kinds of fault and operator action a generated scenario may contain. Swarm testing: each seed
/// first draws which kinds are enabled for its run, so that some runs concentrate on a few kinds
/// (for example only exits in bursts) instead of every run being the same thin mixture of all of them.
/// </summary>
[Flags]
public enum FaultKinds
{
    /// <summary>Nothing enabled.</summary>
    None = 0,
    /// <summary><c>exit</c> steps: workers exiting with normal, shutdown, shutdown:x, killed or abnormal reasons.</summary>
    Exits = 1 << 0,
    /// <summary>Several steps at the same <c>at</c>.</summary>
    Bursts = 1 << 1,
    /// <summary>Steps placed a few milliseconds either side of a whole second (the intensity window's edges).</summary>
    SecondBoundaries = 1 << 2,
    /// <summary><c>fail_start</c> steps.</summary>
    FailStarts = 1 << 3,
    /// <summary><c>ignore_start</c> steps.</summary>
    IgnoreStarts = 1 << 4,
    /// <summary><c>stop_delay</c> steps with a number of milliseconds.</summary>
    StopDelays = 1 << 5,
    /// <summary><c>stop_delay</c> steps with <c>"never"</c> (only on workers whose shutdown ends with a kill).</summary>
    NeverStops = 1 << 6,
    /// <summary><c>which_children</c> and <c>count_children</c> calls.</summary>
    Queries = 1 << 7,
    /// <summary><c>terminate_child</c>, <c>restart_child</c> and <c>delete_child</c> calls.</summary>
    ChildCalls = 1 << 8,
    /// <summary><c>start_child</c> calls on static supervisors (new children, duplicates, bad specs).</summary>
    StartChild = 1 << 9,
    /// <summary>Supervisors with <c>auto_shutdown</c> and significant children.</summary>
    Significant = 1 << 10,
    /// <summary>An explicit <c>stop</c> call on the root.</summary>
    StopCall = 1 << 11,
    /// <summary>Every kind.</summary>
    All = (1 << 12) - 1,
}
