namespace Supervision.Runtime.Tree;

/// <summary>Answering a health probe, on the supervisor's loop (the engine is read only there).</summary>
internal sealed partial class SupervisorProcess
{
    private void AnswerProbe(RestartLoadProbe probe) =>
        probe.Reply.TrySetResult(new RestartLoad(Path, _engine.RestartsInWindowAt(Now), _definition.Intensity, _definition.PeriodSeconds));
}
