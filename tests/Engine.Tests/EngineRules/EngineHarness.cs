namespace Supervision.Engine.Tests.EngineRules;

/// <summary>
/// Drives one engine by hand: feeds events, collects decisions, and by default answers every start
/// decision with success at once (a test can instead hold or fail specific starts).
/// </summary>
internal sealed class EngineHarness
{
    public EngineHarness(SupervisorSpec spec) => Engine = new SupervisorEngine(spec, "sup");

    public SupervisorEngine Engine { get; }

    public List<Decision> Log { get; } = [];

    /// <summary>Decisions a test has taken and keeps for later lookups (the timers armed so far).</summary>
    public List<Decision> AllDecisions { get; } = [];

    public long Now { get; set; }

    /// <summary>Start results to give instead of success, by child id, consumed in order.</summary>
    public Dictionary<string, Queue<EventKind>> StartPlans { get; } = [];

    /// <summary>When true, start decisions are left unanswered (the test answers them).</summary>
    public bool HoldStarts { get; set; }

    /// <summary>When true, a stop decision is answered at once by the child's exit with <c>shutdown</c>.</summary>
    public bool AnswerStops { get; set; }

    public Dictionary<string, ChildRef> Current { get; } = [];

    public void Send(SupervisorEvent e)
    {
        var pending = new Queue<SupervisorEvent>();
        pending.Enqueue(e);
        while (pending.TryDequeue(out var next))
        {
            Engine.Handle(next);
            while (Engine.TryDequeueDecision(out var decision))
            {
                Log.Add(decision);
                if (decision.Kind == DecisionKind.StartChild && !HoldStarts)
                {
                    pending.Enqueue(Answer(decision));
                }
                else if (decision.Kind == DecisionKind.StopChild && AnswerStops)
                {
                    pending.Enqueue(SupervisorEvent.ChildExited(Now, decision.Child, ExitReason.Shutdown));
                }
            }
        }
    }

    private SupervisorEvent Answer(in Decision start)
    {
        var id = start.Spec!.Id;
        if (StartPlans.TryGetValue(id, out var plan) && plan.TryDequeue(out var kind))
        {
            return kind == EventKind.ChildIgnored
                ? SupervisorEvent.ChildIgnored(Now, start.Child)
                : SupervisorEvent.ChildStartFailed(Now, start.Child, ExitReason.Abnormal("nope"));
        }
        Current[id] = start.Child;
        return SupervisorEvent.ChildStarted(Now, start.Child);
    }

    public void Start() => Send(SupervisorEvent.Start(Now));

    public void Crash(string id, string reason = "boom") => Send(SupervisorEvent.ChildExited(Now, Current[id], ExitReason.Parse(reason)));

    public List<Decision> Take()
    {
        var taken = Log.ToList();
        Log.Clear();
        return taken;
    }

    /// <summary>A compact description of the decisions that act on children: "start a", "stop b", "kill c".</summary>
    public static List<string> Actions(IEnumerable<Decision> decisions) => decisions
        .Where(d => d.Kind is DecisionKind.StartChild or DecisionKind.StopChild or DecisionKind.KillChild)
        .Select(d => $"{d.Kind switch { DecisionKind.StartChild => "start", DecisionKind.StopChild => "stop", _ => "kill" }} {d.Spec!.Id}")
        .ToList();

    public static SupervisorSpec Spec(RestartStrategy strategy, int intensity, params string[] ids) =>
        new(ids.Select(id => new ChildSpec(id)).ToList()) { Strategy = strategy, Intensity = intensity, PeriodSeconds = 5 };
}
