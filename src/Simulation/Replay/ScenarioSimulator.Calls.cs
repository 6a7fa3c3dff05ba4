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

    private static CallRequest ToRequest(SimulatedSupervisor node, CallStep step)
    {
        var simple = node.Engine.Spec.Strategy == RestartStrategy.SimpleOneForOne;
        var child = step.Child ?? string.Empty;
        switch (step.Call)
        {
            case ScenarioCall.StartChild when simple:
                return CallRequest.StartInstance(step.Args);
            case ScenarioCall.StartChild:
                if (step.Spec is null)
                {
                    return CallRequest.StartChildRejected("invalid_child_spec");
                }
                return step.Spec.TryBuild(node.Engine.Spec.AutoShutdown, out var spec, out var error)
                    ? CallRequest.StartChild(spec!)
                    : CallRequest.StartChildRejected(error ?? "invalid_child_spec");
            case ScenarioCall.TerminateChild when simple:
                return node.InstancesByName.TryGetValue(child, out var instance)
                    ? CallRequest.TerminateInstance(instance)
                    : child == node.Engine.Spec.Children[0].Id || !child.Contains('#')
                        ? CallRequest.TerminateChild(child)
                        : CallRequest.TerminateInstance(long.MaxValue);
            case ScenarioCall.TerminateChild:
                return CallRequest.TerminateChild(child);
            case ScenarioCall.RestartChild:
                return CallRequest.RestartChild(child);
            case ScenarioCall.DeleteChild:
                return CallRequest.DeleteChild(child);
            case ScenarioCall.WhichChildren:
                return CallRequest.WhichChildren();
            case ScenarioCall.CountChildren:
                return CallRequest.CountChildren();
            default:
                return simple && node.InstancesByName.TryGetValue(child, out var specInstance)
                    ? CallRequest.GetInstanceSpec(specInstance)
                    : CallRequest.GetChildSpec(child);
        }
    }

    private void PrintReply(SimulatedSupervisor node, long callId, CallReply reply)
    {
        if (!node.PendingCalls.Remove(callId, out var call))
        {
            return;
        }
        var rendered = TraceRendering.Reply(node.Path, reply, instance => node.InstanceNames.GetValueOrDefault(instance));
        _trace.Add(new TraceLine(_now, $"reply {call.Name} {call.SupPath} {rendered}"));
    }
}
