using Supervision.Engine;

namespace Supervision.Simulation.Replay;

/// <summary>A child process in the simulation: a worker or a supervisor.</summary>
internal abstract class SimulatedProcess
{
    protected SimulatedProcess(string path, SimulatedSupervisor? owner, ChildRef reference)
    {
        Path = path;
        Owner = owner;
        Reference = reference;
    }

    /// <summary>The child's path (ids joined with '/'; instances named template#n).</summary>
    public string Path { get; }

    /// <summary>The supervisor that started it; null for the root.</summary>
    public SimulatedSupervisor? Owner { get; }

    /// <summary>Its handle in the owner's engine.</summary>
    public ChildRef Reference { get; }

    /// <summary>False once it has exited.</summary>
    public bool Alive { get; set; } = true;
}

/// <summary>A simulated worker: alive until it exits, is killed, or completes a requested stop.</summary>
internal sealed class SimulatedWorker(string path, SimulatedSupervisor owner, ChildRef reference)
    : SimulatedProcess(path, owner, reference)
{
    /// <summary>The sequence number of its scheduled exit after a stop request; 0 when none is scheduled.</summary>
    public long ScheduledExit { get; set; }
}

/// <summary>One incarnation of a supervisor: its engine and the processes it started.</summary>
internal sealed class SimulatedSupervisor(string path, SimulatedSupervisor? owner, ChildRef reference, SupervisorEngine engine)
    : SimulatedProcess(path, owner, reference)
{
    public SupervisorEngine Engine { get; } = engine;

    /// <summary>The children it started, by handle.</summary>
    public Dictionary<ChildRef, SimulatedProcess> Children { get; } = [];

    /// <summary>Names of simple_one_for_one instances, by engine instance number.</summary>
    public Dictionary<long, string> InstanceNames { get; } = [];

    /// <summary>Engine instance numbers by name.</summary>
    public Dictionary<string, long> InstancesByName { get; } = new(StringComparer.Ordinal);

    /// <summary>Mirrors the engine's instance counter (assigned on each successful new instance).</summary>
    public long LastInstance { get; set; }

    /// <summary>Operator calls sent and not answered yet, by call id.</summary>
    public Dictionary<long, PendingCall> PendingCalls { get; } = [];

    /// <summary>Its parent (or the scenario's stop call) asked it to stop.</summary>
    public bool StopRequested { get; set; }

    /// <summary>The call id of a <c>call stop</c> to answer once it has stopped; 0 when none.</summary>
    public long StopCallId { get; set; }

    /// <summary>Its init finished (it printed <c>start</c>).</summary>
    public bool Started { get; set; }

    /// <summary>For a new simple_one_for_one supervisor instance: the number it gets if its init succeeds; 0 otherwise.</summary>
    public long PendingInstanceNumber { get; set; }

    /// <summary>The armed timer token, or 0.</summary>
    public long ArmedTimer { get; set; }
}

/// <summary>An operator call waiting for its reply.</summary>
/// <param name="Name">The call's name as printed (<c>start_child</c>, ...).</param>
/// <param name="SupPath">The supervisor path as printed.</param>
internal sealed record PendingCall(string Name, string SupPath);
