using System.Globalization;
using System.Text;
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
        _trace.Add(new TraceLine(_now, $"reply {call.Name} {call.SupPath} {RenderReply(node, reply)}"));
    }

    private static string RenderReply(SimulatedSupervisor node, CallReply reply) => reply.Kind switch
    {
        ReplyKind.Ok => "ok",
        ReplyKind.Ignored => "ok:undefined",
        ReplyKind.Error => $"error:{reply.Error}",
        ReplyKind.Started => reply.Instance != 0 && node.InstanceNames.TryGetValue(reply.Instance, out var name)
            ? $"ok:{name}"
            : $"ok:{node.Path}/{reply.ChildId}",
        ReplyKind.Children => RenderChildren(node, reply.Children!),
        ReplyKind.Counts => string.Create(CultureInfo.InvariantCulture,
            $"[specs:{reply.Counts.Specs},active:{reply.Counts.Active},supervisors:{reply.Counts.Supervisors},workers:{reply.Counts.Workers}]"),
        _ => RenderSpec(reply.Spec!),
    };

    private static string RenderChildren(SimulatedSupervisor node, IReadOnlyList<ChildInfo> children)
    {
        var text = new StringBuilder("[");
        foreach (var child in children)
        {
            if (text.Length > 1)
            {
                text.Append(',');
            }
            var name = child.Instance != 0 && node.InstanceNames.TryGetValue(child.Instance, out var path)
                ? path[(node.Path.Length + 1)..]
                : child.Id;
            text.Append(name).Append(':').Append(child.State switch
            {
                ChildState.Running => "running",
                ChildState.Restarting => "restarting",
                _ => "undefined",
            });
        }
        return text.Append(']').ToString();
    }

    private static string RenderSpec(ChildSpec spec) => string.Create(CultureInfo.InvariantCulture,
        $"ok:{{id:{spec.Id},restart:{spec.Restart.ToString().ToLowerInvariant()},shutdown:{spec.EffectiveShutdown},type:{spec.EffectiveType.ToString().ToLowerInvariant()},significant:{(spec.Significant ? "true" : "false")}}}");
}
