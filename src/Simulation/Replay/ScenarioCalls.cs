using Supervision.Engine;
using Supervision.Simulation.Scenarios;
using ScenarioCall = Supervision.Simulation.Scenarios.ScenarioCallKind;

namespace Supervision.Simulation.Replay;

/// <summary>How every driver turns a scenario's <c>call</c> step into the engine's call.</summary>
internal static class ScenarioCalls
{
    /// <summary>An instance number no instance ever has: the engine answers it <c>not_found</c>, as OTP answers an unknown pid.</summary>
    private const long NoSuchInstance = long.MaxValue;

    /// <summary>The engine call for <paramref name="step"/> on a supervisor.</summary>
    /// <param name="step">The call step (not <c>stop</c>, which is not an engine call).</param>
    /// <param name="simple">The supervisor is simple_one_for_one.</param>
    /// <param name="templateId">Its template's id (simple_one_for_one only).</param>
    /// <param name="autoShutdown">Its auto_shutdown flag: start_child specs are checked against it, as OTP does.</param>
    /// <param name="instanceOf">The engine's instance number for an instance name of the step (<c>w#2</c>); 0 when unknown.</param>
    public static CallRequest ToRequest(CallStep step, bool simple, string? templateId, AutoShutdown autoShutdown, Func<string, long> instanceOf)
    {
        var child = step.Child ?? string.Empty;
        switch (step.Call)
        {
            case ScenarioCall.StartChild when simple:
                return CallRequest.StartInstance(step.Args);
            case ScenarioCall.StartChild when step.Spec is null:
                return CallRequest.StartChildRejected("invalid_child_spec");
            case ScenarioCall.StartChild:
                return step.Spec.TryBuild(autoShutdown, out var spec, out var error)
                    ? CallRequest.StartChild(spec)
                    : CallRequest.StartChildRejected(error);
            case ScenarioCall.TerminateChild when simple:
                var instance = instanceOf(child);
                return instance > 0
                    ? CallRequest.TerminateInstance(instance)
                    : child == templateId || !child.Contains('#')
                        ? CallRequest.TerminateChild(child) // an id: OTP answers simple_one_for_one
                        : CallRequest.TerminateInstance(NoSuchInstance);
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
                var specInstance = simple ? instanceOf(child) : 0;
                return specInstance > 0 ? CallRequest.GetInstanceSpec(specInstance) : CallRequest.GetChildSpec(child);
        }
    }
}
