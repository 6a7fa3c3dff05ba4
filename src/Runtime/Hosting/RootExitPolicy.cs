namespace Supervision.Runtime.Hosting;

/// <summary>
/// What a hosted tree's host does when the tree's root supervisor ends on its own: it gave up (more restarts than
/// its intensity allows), <c>auto_shutdown</c> ended it, or a restart of the tree failed in its init. A stop made
/// by the host, or by a call to the tree's own <c>StopAsync</c>/<c>DisposeAsync</c>, is not such an end.
/// </summary>
public enum RootExitPolicy
{
    /// <summary>
    /// The default: the process is the next supervisor up. The application is stopped
    /// (<c>IHostApplicationLifetime.StopApplication</c>, so every other tree stops in order) and the process exit code
    /// is set to <see cref="SupervisionTreeHostOptions.ExitCode"/> (non-zero by default), so that whatever runs the
    /// process (systemd's <c>Restart=on-failure</c>, a Kubernetes pod, a service manager) sees a failure and restarts it.
    /// </summary>
    StopApplication,

    /// <summary>
    /// The tree is started again inside the process, after a backoff, a bounded number of times: at most
    /// <see cref="SupervisionTreeHostOptions.MaxTreeRestarts"/> within <see cref="SupervisionTreeHostOptions.TreeRestartPeriod"/>,
    /// the n-th of them after <see cref="SupervisionTreeHostOptions.TreeRestartDelay"/> × 2^(n-1), at most
    /// <see cref="SupervisionTreeHostOptions.MaxTreeRestartDelay"/>. One more end within the period and the policy
    /// escalates to <see cref="StopApplication"/>, as a supervisor escalates to its parent.
    /// </summary>
    RestartTree,

    /// <summary>The end is logged and the application keeps running without the tree; its health check reports unhealthy.</summary>
    KeepRunning,
}
