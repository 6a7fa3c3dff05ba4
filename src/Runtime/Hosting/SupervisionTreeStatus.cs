namespace Supervision.Runtime.Hosting;

/// <summary>Where a hosted tree is in its life (see <see cref="SupervisionTreeHost.Status"/>).</summary>
public enum SupervisionTreeStatus
{
    /// <summary>The host has not started it yet.</summary>
    NotStarted,
    /// <summary>Its root is in its init (children starting).</summary>
    Starting,
    /// <summary>It runs.</summary>
    Running,
    /// <summary>It ended on its own and will be started again after a backoff (<see cref="RootExitPolicy.RestartTree"/>).</summary>
    RestartPending,
    /// <summary>It ended on its own (see <see cref="SupervisionTreeHost.LastExit"/>) and is not restarted.</summary>
    Ended,
    /// <summary>The host stopped it (or someone stopped it through the tree itself).</summary>
    Stopped,
}
