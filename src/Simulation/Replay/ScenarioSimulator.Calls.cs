using Supervision.Engine;
using Supervision.Simulation.Scenarios;
using ScenarioCall = Supervision.Simulation.Scenarios.ScenarioCallKind;

namespace Supervision.Simulation.Replay;

/// <summary>Operator calls from the scenario, and how their replies are printed.</summary>
public sealed partial class ScenarioSimulator
{
    private void ApplyCall(CallStep step)
    {
        var name = step.CallName;
        if (!_supervisors.TryGetValue(step.Sup, out var node) || !node.Alive)
        {
            _trace.Add(new TraceLine(_now, $"reply {name} {step.Sup} error:noproc"));
            return;
        }
        if (step.Call == ScenarioCall.Stop)
        {
            node.StopRequested = true;
            node.StopCallId = ++_nextCallId;
            Deliver(node, SupervisorEvent.StopRequested(_now, ExitReason.Shutdown));
            return;
        }
        var callId = ++_nextCallId;
        node.PendingCalls[callId] = new PendingCall(name, step.Sup);
        Deliver(node, SupervisorEvent.CallReceived(_now, callId, ToRequest(node, step)));
    }

    private static CallRequest ToRequest(SimulatedSupervisor node, CallStep step) => ScenarioCalls.ToRequest(
        step,
        node.Engine.Spec.Strategy == RestartStrategy.SimpleOneForOne,
        node.Engine.Spec.Children.Count > 0 ? node.Engine.Spec.Children[0].Id : null,
        node.Engine.Spec.AutoShutdown,
        name => node.InstancesByName.GetValueOrDefault(name));

    private void PrintReply(SimulatedSupervisor node, long callId, CallReply reply)
    {
        if (!node.Alive && node.Owner is not null && node.PendingCalls.ContainsKey(callId))
        {
            // A child supervisor that has exited answers its queued calls noproc; those lines follow its
            // parent's stop line (TRACE-RULES rule 16), printed with AnswerPendingWithNoproc.
            return;
        }
        if (!node.PendingCalls.Remove(callId, out var call))
        {
            return;
        }
        var rendered = TraceRendering.Reply(node.Path, reply, instance => node.InstanceNames.GetValueOrDefault(instance));
        _trace.Add(new TraceLine(_now, $"reply {call.Name} {call.SupPath} {rendered}"));
    }
}
