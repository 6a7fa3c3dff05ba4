namespace Supervision.Runtime.Tree;

/// <summary>How close one supervisor is to giving up, read on its own loop (health reports).</summary>
/// <param name="Supervisor">The supervisor's path.</param>
/// <param name="Restarts">Restart attempts that still count against its intensity now.</param>
/// <param name="Intensity">Its intensity: one more attempt than this within the period and it gives up.</param>
/// <param name="PeriodSeconds">Its period.</param>
internal readonly record struct RestartLoad(string Supervisor, int Restarts, int Intensity, int PeriodSeconds);

/// <summary>A request for a supervisor's <see cref="RestartLoad"/>; answered null when the supervisor is gone.</summary>
internal sealed class RestartLoadProbe
{
    public TaskCompletionSource<RestartLoad?> Reply { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
