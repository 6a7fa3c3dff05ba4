using Supervision.Engine;
using Supervision.Runtime;
using Supervision.Runtime.Scheduling;
using Supervision.Runtime.Tree;
using Supervision.Simulation.Replay;
using Supervision.Simulation.Scenarios;
using ScenarioCall = Supervision.Simulation.Scenarios.ScenarioCallKind;

namespace Supervision.Simulation.RuntimeReplay;

/// <summary>
/// Runs a scenario through the real runtime (src/Runtime: mailbox loops, child tasks, timers) on a
/// deterministic scheduler and virtual time, and prints the same trace as the engine-only replay.
/// </summary>
public sealed partial class RuntimeScenarioRunner : IRuntimeObserver
{
    private readonly Scenario _scenario;
    private readonly DeterministicScheduler _scheduler;
    private readonly List<TraceLine> _trace = [];
    private readonly WorkerScript _script = new();
    private readonly Dictionary<string, ScriptedWorker> _live = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _instanceCounters = new(StringComparer.Ordinal);
    private readonly Dictionary<(SupervisorProcess, long), string> _instanceNames = [];
    private readonly Dictionary<string, string> _traceByRuntimePath = new(StringComparer.Ordinal);
    // The reverse maps of the two above, so that a call step finds its target in constant time.
    private readonly Dictionary<(SupervisorProcess, string), long> _instancesByName = [];
    private readonly Dictionary<string, string> _runtimeByTracePath = new(StringComparer.Ordinal);
    private readonly bool _includeReports;
    private SupervisionTree _tree = null!;
    private bool _stopCalled;

    private readonly Func<SupervisionTreeOptions, SupervisionTreeOptions>? _configure;
    private readonly List<string> _violations = [];
    /// <summary>Every call made, with its reply: each must be answered once the tree has stopped (noproc at the latest).</summary>
    private readonly List<(CallStep Step, long At, Task<CallReply> Reply)> _calls = [];

    /// <summary>Apply steps that share an instant concurrently (each its own work item), so a controlled scheduler explores their races.</summary>
    private bool _race;

    /// <summary>Scripted starts wait once before deciding (see <see cref="Run(Scenario, DeterministicScheduler, bool, Func{SupervisionTreeOptions, SupervisionTreeOptions}?, bool, bool)"/>).</summary>
    internal bool AsyncStarts { get; private init; }

    private RuntimeScenarioRunner(Scenario scenario, DeterministicScheduler scheduler, bool includeReports, Func<SupervisionTreeOptions, SupervisionTreeOptions>? configure)
    {
        _scenario = scenario;
        _scheduler = scheduler;
        _includeReports = includeReports;
        _configure = configure;
    }

    /// <summary>Runs <paramref name="scenario"/> through the runtime and returns the trace.</summary>
    public static SimulationResult Run(Scenario scenario, bool includeReports = true) =>
        Run(scenario, new DeterministicScheduler(), includeReports, null);

    /// <summary>Runs <paramref name="scenario"/> through the runtime on <paramref name="scheduler"/> (a controlled scheduler explores orders).</summary>
    /// <param name="scenario">The scenario.</param>
    /// <param name="scheduler">The scheduler to run on.</param>
    /// <param name="includeReports">Print report comment lines.</param>
    /// <param name="configure">Adjusts the runtime's options (tests plug replaceable runtime pieces in).</param>
    /// <param name="raceSameInstantSteps">Apply steps that share an instant concurrently instead of one after another.</param>
    /// <param name="asyncStarts">
    /// Every child's start phase waits once before it decides, so the runtime takes its asynchronous start
    /// path (the start outcome as a message, under the start timeout) instead of completing the start on
    /// the supervisor's loop.
    /// </param>
    public static SimulationResult Run(Scenario scenario, DeterministicScheduler scheduler, bool includeReports = true, Func<SupervisionTreeOptions, SupervisionTreeOptions>? configure = null, bool raceSameInstantSteps = false, bool asyncStarts = false)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(scheduler);
        return new RuntimeScenarioRunner(scenario, scheduler, includeReports, configure) { _race = raceSameInstantSteps, AsyncStarts = asyncStarts }.RunAll();
    }

    private long Now => (long)_scheduler.Clock.Elapsed.TotalMilliseconds;

    private SimulationResult RunAll()
    {
        var options = new SupervisionTreeOptions
        {
            Scheduler = _scheduler,
            StartTimeout = Timeout.InfiniteTimeSpan,
            SupervisorStartGate = path => TakeSupervisorStart(path),
        };
        options = _configure?.Invoke(options) ?? options;
        _tree = SupervisionTree.Create(ToDefinition(_scenario.RootId, _scenario.Tree), options, this);
        RunWithinLimits(TimeSpan.Zero);
        for (var index = 0; index < _scenario.Steps.Count;)
        {
            var at = _scenario.Steps[index].At;
            var end = index + 1;
            while (_race && end < _scenario.Steps.Count && _scenario.Steps[end].At == at)
            {
                end++;
            }
            if (_tree.Completion.IsCompleted)
            {
                break;
            }
            RunWithinLimits(TimeSpan.FromMilliseconds(at));
            if (_tree.Completion.IsCompleted)
            {
                break;
            }
            if (end - index == 1)
            {
                ApplyStep(_scenario.Steps[index]);
            }
            else
            {
                for (var i = index; i < end; i++)
                {
                    var step = _scenario.Steps[i];
                    _scheduler.Post($"step{i}", () => ApplyStep(step));
                }
            }
            RunWithinLimits(TimeSpan.FromMilliseconds(at));
            index = end;
        }
        RunWithinLimits();
        if (!_tree.Completion.IsCompleted && !_stopCalled)
        {
            _ = _tree.StopAsync();
            RunWithinLimits();
        }
        var outcome = _tree.Completion.IsCompleted ? RunOutcome.Completed : RunOutcome.Stuck;
        if (outcome == RunOutcome.Stuck)
        {
            _trace.Add(new TraceLine(Now, "# stuck: the tree can make no more progress and has not stopped"));
        }
        if (_scheduler.Faults.Count > 0 || _scheduler.EscapedWorkCount > 0)
        {
            throw new InvalidOperationException($"the runtime escaped the deterministic scheduler: {_scheduler.EscapedWorkCount} escaped items, faults: {string.Join("; ", _scheduler.Faults)}");
        }
        foreach (var worker in _workers.Concat(_workersByPath.Values.SelectMany(same => same)).Distinct())
        {
            if ((worker.Alive || worker.TaskActive) && _tree.Completion.IsCompleted)
            {
                _violations.Add($"{worker.TracePath} is still running after the tree stopped");
            }
        }
        foreach (var (step, at, reply) in _calls)
        {
            if (_tree.Completion.IsCompleted && !reply.IsCompleted)
            {
                _violations.Add($"the {step.CallName} call to {step.Sup} made at {at} ms was never answered");
            }
        }
        return new SimulationResult(_trace, outcome, _scheduler.StepsRun, 0, Now) { Violations = _violations };
    }

    private SupervisorDefinition ToDefinition(string id, SupervisorSpec spec) => new(id, spec.Children.Select(ToDefinition).ToList())
    {
        Strategy = spec.Strategy,
        Intensity = spec.Intensity,
        PeriodSeconds = spec.PeriodSeconds,
        AutoShutdown = spec.AutoShutdown,
        Backoff = spec.Backoff,
    };

    private ChildDefinition ToDefinition(ChildSpec spec)
    {
        var child = spec.EffectiveType == ChildType.Supervisor
            ? ChildDefinition.Supervisor(ToDefinition(spec.Id, spec.Supervisor ?? new SupervisorSpec([])))
            : ChildDefinition.Worker(spec.Id, _ => new ScriptedWorker(this));
        return child with { Restart = spec.Restart, Shutdown = spec.Shutdown, Significant = spec.Significant };
    }

    private void ApplyStep(ScenarioStep step)
    {
        switch (step)
        {
            case ExitStep exit:
                if (_live.TryGetValue(exit.Path, out var worker) && worker.Alive)
                {
                    Print("exit", exit.Path, exit.Reason.ToString());
                    worker.Alive = false;
                    worker.Exit(exit.Reason);
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

    private void ApplyCall(CallStep step)
    {
        var runtimePath = RuntimePathOf(step.Sup);
        if (!_tree.TryGetSupervisor(runtimePath, out var process) || !process.IsAlive)
        {
            _trace.Add(new TraceLine(Now, $"reply {step.CallName} {step.Sup} error:noproc"));
            return;
        }
        if (step.Call == ScenarioCall.Stop)
        {
            _stopCalled = true;
            _ = _tree.StopAsync();
            return;
        }
        var (request, definition) = ToRequest(process, step);
        _calls.Add((step, Now, process.CallAsync(request, step.CallName, definition)));
    }

    private (CallRequest Request, ChildDefinition? Definition) ToRequest(SupervisorProcess process, CallStep step)
    {
        var request = ScenarioCalls.ToRequest(step, process.IsSimple, process.TemplateId, process.SpecAutoShutdown,
            name => InstanceByTraceName(process, $"{step.Sup}/{name}"));
        // The runtime adds a child from a definition (how to run it), not from a bare spec.
        return request is { Kind: CallKind.StartChild, Spec: { } spec }
            ? (CallRequest.StartInstance(null), ToDefinition(spec))
            : (request, null);
    }

    private long InstanceByTraceName(SupervisorProcess process, string traceName) =>
        _instancesByName.GetValueOrDefault((process, traceName));

    private void Print(string kind, string path, string? detail = null) =>
        _trace.Add(new TraceLine(Now, detail is null ? $"{kind} {path}" : $"{kind} {path} {detail}"));
}
