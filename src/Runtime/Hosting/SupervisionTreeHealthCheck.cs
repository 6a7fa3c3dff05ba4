using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Supervision.Runtime.Tree;

namespace Supervision.Runtime.Hosting;

/// <summary>
/// A hosted tree's health: <b>healthy</b> while it runs with no supervisor close to its restart intensity;
/// <b>degraded</b> while some supervisor is close: its restarts that still count in its current window reach
/// <see cref="SupervisionTreeHostOptions.DegradedRestartRatio"/> of its intensity (default half, rounded up, at least
/// one: 1 of 1, 2 of 3, 3 of 5), so that a few more crashes and it gives up; <b>unhealthy</b> (the registration's
/// failure status) when it is not running: not started yet, starting, ended on its own (it gave up, or
/// auto_shutdown), waiting to be restarted, or stopped. The data lists each supervisor with restarts in its window.
/// Register with <c>services.AddHealthChecks().AddSupervisionTree(name)</c> or <c>.AddSupervisionTrees()</c>.
/// </summary>
public sealed class SupervisionTreeHealthCheck : IHealthCheck
{
    /// <summary>At most this many supervisors are listed in the data (the most loaded first).</summary>
    private const int DataLimit = 20;

    private readonly SupervisionTreeHost _host;

    /// <summary>Creates the check of <paramref name="host"/>'s tree.</summary>
    public SupervisionTreeHealthCheck(SupervisionTreeHost host)
    {
        ArgumentNullException.ThrowIfNull(host);
        _host = host;
    }

    /// <summary>The check's registration name for the tree <paramref name="treeName"/>: <c>supervision-tree:orders</c> (<c>supervision-tree</c> for the tree without a name).</summary>
    public static string NameFor(string treeName)
    {
        ArgumentNullException.ThrowIfNull(treeName);
        return treeName.Length == 0 ? "supervision-tree" : "supervision-tree:" + treeName;
    }

    /// <summary>Reads each supervisor's restart window on its own loop (so a busy supervisor answers in its turn).</summary>
    /// <param name="context">The registration (its failure status is used for unhealthy).</param>
    /// <param name="cancellationToken">Stops the waiting for the supervisors' answers.</param>
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var failure = context?.Registration?.FailureStatus ?? HealthStatus.Unhealthy;
        var (status, tree) = _host.Snapshot();
        if (status != SupervisionTreeStatus.Running || tree is null)
        {
            return new HealthCheckResult(failure, NotRunning(status));
        }
        var loads = await tree.ReadRestartLoadsAsync(cancellationToken);
        (status, var now) = _host.Snapshot();
        if (status != SupervisionTreeStatus.Running || !ReferenceEquals(now, tree))
        {
            return new HealthCheckResult(failure, NotRunning(status));
        }
        var ratio = _host.Options.DegradedRestartRatio;
        var loaded = loads.Where(load => load.Restarts > 0).OrderByDescending(load => (double)load.Restarts / Math.Max(1, load.Intensity)).ToList();
        var data = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var load in loaded.Take(DataLimit))
        {
            data[load.Supervisor] = Describe(load);
        }
        if (loaded.Count > DataLimit)
        {
            data["more"] = string.Create(CultureInfo.InvariantCulture, $"{loaded.Count - DataLimit} more supervisors with restarts in their window");
        }
        var close = loaded.Where(load => IsClose(load, ratio)).ToList();
        return close.Count == 0
            ? HealthCheckResult.Healthy($"{Tree} is running; no supervisor is close to its restart intensity", data)
            : HealthCheckResult.Degraded($"{Tree} is running, but {close.Count} supervisor(s) are close to giving up: {Describe(close[0])}", data: data);
    }

    /// <summary>Close: the restarts still counting reach the ratio of the intensity (rounded up, at least one); never with intensity 0.</summary>
    internal static bool IsClose(RestartLoad load, double ratio) =>
        load.Intensity > 0 && load.Restarts >= Math.Max(1, (int)Math.Ceiling(load.Intensity * ratio));

    private static string Describe(RestartLoad load) =>
        string.Create(CultureInfo.InvariantCulture, $"{load.Supervisor} has {load.Restarts} of {load.Intensity} restart(s) in its {load.PeriodSeconds} s window");

    private string Tree => SupervisionTreeHost.Describe(_host.Name);

    private string NotRunning(SupervisionTreeStatus status) => status switch
    {
        SupervisionTreeStatus.NotStarted => $"{Tree} has not been started",
        SupervisionTreeStatus.Starting => $"{Tree} is starting",
        SupervisionTreeStatus.RestartPending => $"{Tree} ended on its own ({Ended()}) and waits to be restarted",
        SupervisionTreeStatus.Ended => $"{Tree} ended on its own: {Ended()}",
        _ => _host.LastExit is null ? $"{Tree} is stopped" : $"{Tree} is stopped; it had ended on its own: {Ended()}",
    };

    private string Ended() => _host.LastExit switch
    {
        { Cause: Engine.ExitCause.GaveUp } => "its root gave up (reached its maximum restart intensity)",
        { Cause: Engine.ExitCause.AutoShutdown } => "auto_shutdown",
        { } exit => $"its root exited with reason {exit.Reason}",
        null => "its root's init failed",
    };
}
