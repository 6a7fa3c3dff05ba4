using Supervision.Engine;
using Supervision.Simulation.Scenarios;
using ScenarioCall = Supervision.Simulation.Scenarios.ScenarioCallKind;

namespace Supervision.Simulation.Replay;

/// <summary>
/// Runs a scenario deterministically on virtual time: one <see cref="SupervisorEngine"/> per supervisor
/// incarnation, simulated workers, and the scenario's faults and calls; produces the trace of
/// docs/SCENARIO-FORMAT.md. Single-threaded; the same scenario always gives the same trace.
/// </summary>
public sealed partial class ScenarioSimulator
{
    private readonly Scenario _scenario;
    private readonly List<TraceLine> _trace = [];
    private readonly Queue<(SimulatedSupervisor Target, SupervisorEvent Event)> _deliveries = new();
    // Ordered by time, then by class, then arrival. Classes: a worker stopping with no delay (its exit is work
    // that is ready now, so it comes before any timer falling due at this instant, as in the runtime's
    // deterministic scheduler, which fires a due timer only when no work is ready); then supervisors' timers;
    // then workers' delayed exits (OTP arms the shutdown timer before the child can run, so on a tie the timer
    // wins: the child ends killed). Two timers due at one instant fire in arrival order, each after everything
    // the previous one caused, zero-delay exits included (seed 19171 of explore --generated).
    private readonly PriorityQueue<TimedItem, (long, int, long)> _timed = new();
    private readonly WorkerScript _script = new();
    private readonly Dictionary<string, long> _instanceCounters = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SimulatedSupervisor> _supervisors = new(StringComparer.Ordinal);
    // The newest worker started at each path, so that an exit step finds its target without a scan.
    private readonly Dictionary<string, SimulatedWorker> _workers = new(StringComparer.Ordinal);
    private readonly bool _includeReports;
    private SimulatedSupervisor _root = null!;
    private long _now;
    private long _sequence;
    private long _nextCallId;
    private long _engineEvents;
    private readonly TraceLengthCounter _traceLength = new();

    private ScenarioSimulator(Scenario scenario, bool includeReports)
    {
        _scenario = scenario;
        _includeReports = includeReports;
    }

    /// <summary>Runs <paramref name="scenario"/> to its end and returns the trace.</summary>
    /// <param name="scenario">A scenario read by <see cref="ScenarioReader"/>.</param>
    /// <param name="includeReports">Also print supervisor reports as <c># report</c> lines.</param>
    /// <exception cref="ScenarioLimitExceededException">The run needed more engine events, or printed a longer trace, than the scenario's <see cref="Scenario.Limits"/> allow.</exception>
    public static SimulationResult Run(Scenario scenario, bool includeReports = true)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        return new ScenarioSimulator(scenario, includeReports).RunAll();
    }

    /// <summary>Runs like <see cref="Run"/>, and counts the processes still held in the supervisors' tables at the end.</summary>
    /// <remarks>For tests: a long run must not keep every exited incarnation (that made replay quadratic in steps).</remarks>
    internal static SimulationResult RunCountingTracked(Scenario scenario, out int trackedProcesses)
    {
        var simulator = new ScenarioSimulator(scenario, includeReports: true);
        var result = simulator.RunAll();
        trackedProcesses = simulator._supervisors.Values.Sum(supervisor => supervisor.Children.Count);
        return result;
    }

    private SimulationResult RunAll()
    {
        _root = NewSupervisor(_scenario.RootId, _scenario.Tree, owner: null, ChildRef.None);
        Deliver(_root, SupervisorEvent.Start(_now));
        RunInstant();
        foreach (var step in _scenario.Steps)
        {
            if (!_root.Alive)
            {
                break; // Nothing follows the root's exit (docs/TRACE-RULES.md rule 9).
            }
            AdvanceTo(step.At);
            if (!_root.Alive)
            {
                break;
            }
            ApplyStep(step);
            RunInstant();
        }
        // "When the last step has been applied and the tree is quiet": finish everything pending first.
        AdvanceTo(long.MaxValue);
        if (_root.Alive && !_root.StopRequested)
        {
            _root.StopRequested = true;
            Deliver(_root, SupervisorEvent.StopRequested(_now, ExitReason.Shutdown));
            RunInstant();
        }
        AdvanceTo(long.MaxValue);
        var outcome = _root.Alive ? RunOutcome.Stuck : RunOutcome.Completed;
        if (outcome == RunOutcome.Stuck)
        {
            Comment("# stuck: the tree can make no more progress and has not stopped");
        }
        long stale = 0;
        foreach (var supervisor in _supervisors.Values)
        {
            stale += supervisor.Engine.StaleEventCount;
        }
        return new SimulationResult(_trace, outcome, _engineEvents, stale + _retiredStale, _now);
    }

    private long _retiredStale;

    /// <summary>Processes everything due up to <paramref name="time"/>, then sets the clock to it.</summary>
    private void AdvanceTo(long time)
    {
        while (_timed.TryPeek(out _, out var due) && due.Item1 <= time)
        {
            var item = _timed.Dequeue();
            if (!IsLive(item))
            {
                continue; // A cancelled timer or a superseded exit must not move the clock.
            }
            _now = Math.Max(_now, item.Time);
            Fire(item);
            RunInstant();
        }
        if (time != long.MaxValue)
        {
            _now = Math.Max(_now, time);
        }
    }

    /// <summary>Runs the current instant to quiescence: deliveries first, then anything timed at this instant.</summary>
    private void RunInstant()
    {
        while (true)
        {
            while (_deliveries.TryDequeue(out var delivery))
            {
                HandleEvent(delivery.Target, delivery.Event);
            }
            if (_timed.TryPeek(out _, out var due) && due.Item1 <= _now)
            {
                var item = _timed.Dequeue();
                if (IsLive(item))
                {
                    Fire(item);
                }
                continue;
            }
            return;
        }
    }

    private void HandleEvent(SimulatedSupervisor target, SupervisorEvent e)
    {
        CheckLimits();
        target.Engine.Handle(e);
        while (target.Engine.TryDequeueDecision(out var decision))
        {
            Execute(target, decision);
        }
        // Once its supervisor has taken in an exit, a dead incarnation is never named again: dropping it keeps
        // the children table the size of what runs, so that a long run of restarts stays linear.
        if (e.Kind == EventKind.ChildExited && target.Children.TryGetValue(e.Child, out var exited) && !exited.Alive)
        {
            target.Children.Remove(e.Child);
        }
    }

    /// <summary>Every trace line is printed by an event's handling, so counting at each event bounds the trace too.</summary>
    private void CheckLimits()
    {
        var limits = _scenario.Limits;
        if (++_engineEvents > limits.MaxEngineEvents)
        {
            throw new ScenarioLimitExceededException(_scenario.SourceFile,
                ScenarioLimits.Exceeded("engine events", limits.MaxEngineEvents, "--max-events", nameof(ScenarioLimits.MaxEngineEvents)));
        }
        if (_traceLength.Exceeded(_trace, limits) is { } exceeded)
        {
            throw new ScenarioLimitExceededException(_scenario.SourceFile, exceeded);
        }
    }

    private void Deliver(SimulatedSupervisor target, SupervisorEvent e) => _deliveries.Enqueue((target, e));

    private long Schedule(long time, SimulatedWorker? worker, SimulatedSupervisor? supervisor, long token)
    {
        var sequence = ++_sequence;
        var itemClass = worker is null ? 1 : time == _now ? 0 : 2;
        _timed.Enqueue(new TimedItem(time, sequence, worker, supervisor, token), (time, itemClass, sequence));
        return sequence;
    }

    private static bool IsLive(TimedItem item) => item.Worker is { } worker
        ? worker.Alive && worker.ScheduledExit == item.Sequence
        : item.Supervisor is { } supervisor && supervisor.Alive && supervisor.ArmedTimer == item.Token;

    private void Fire(TimedItem item)
    {
        if (item.Worker is { } worker)
        {
            ExitWorker(worker, ExitReason.Shutdown);
        }
        else if (item.Supervisor is { } supervisor)
        {
            supervisor.ArmedTimer = 0;
            Deliver(supervisor, SupervisorEvent.TimerFired(_now, item.Token));
        }
    }

    private void ApplyStep(ScenarioStep step)
    {
        switch (step)
        {
            case ExitStep exit:
                if (FindWorker(exit.Path) is { } worker)
                {
                    Print("exit", worker.Path, exit.Reason.ToString());
                    ExitWorker(worker, exit.Reason);
                }
                break;
            case FailStartStep or IgnoreStartStep or StopDelayStep:
                _script.Apply(step);
                break;
            case CallStep call:
                ApplyCall(call);
                break;
        }
    }

    private void ExitWorker(SimulatedWorker worker, ExitReason reason)
    {
        worker.Alive = false;
        worker.ScheduledExit = 0;
        Deliver(worker.Owner!, SupervisorEvent.ChildExited(_now, worker.Reference, reason));
    }

    /// <summary>The running worker at <paramref name="path"/> under the current incarnation of its supervisor, if any.</summary>
    private SimulatedWorker? FindWorker(string path)
    {
        var cut = path.LastIndexOf('/');
        if (cut < 0 || !_supervisors.TryGetValue(path[..cut], out var owner) || !owner.Alive)
        {
            return null;
        }
        // A path's newest worker is the only one that can be running: an older incarnation has exited first.
        return _workers.TryGetValue(path, out var worker) && worker.Alive && ReferenceEquals(worker.Owner, owner) ? worker : null;
    }

    private SimulatedSupervisor NewSupervisor(string path, SupervisorSpec spec, SimulatedSupervisor? owner, ChildRef reference)
    {
        var node = new SimulatedSupervisor(path, owner, reference, new SupervisorEngine(spec, path));
        if (_supervisors.TryGetValue(path, out var previous))
        {
            _retiredStale += previous.Engine.StaleEventCount;
        }
        _supervisors[path] = node;
        return node;
    }

    private void Print(string kind, string path, string? detail = null) =>
        _trace.Add(new TraceLine(_now, detail is null ? $"{kind} {path}" : $"{kind} {path} {detail}"));

    private void Comment(string text)
    {
        if (_includeReports || !text.StartsWith("# report", StringComparison.Ordinal))
        {
            _trace.Add(new TraceLine(_now, text));
        }
    }

    /// <summary>Something that happens at a virtual time: a worker's delayed exit, or an engine's timer.</summary>
    private sealed record TimedItem(long Time, long Sequence, SimulatedWorker? Worker, SimulatedSupervisor? Supervisor, long Token);
}
