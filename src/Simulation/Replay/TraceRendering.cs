using System.Globalization;
using System.Text;
using Supervision.Engine;

namespace Supervision.Simulation.Replay;

/// <summary>How replies and reports are printed in a trace (docs/SCENARIO-FORMAT.md), shared by every driver.</summary>
public static class TraceRendering
{
    /// <summary>The result column of a <c>reply</c> line.</summary>
    /// <param name="supervisorPath">The supervisor that answered.</param>
    /// <param name="reply">Its answer.</param>
    /// <param name="instancePath">The trace path of a simple_one_for_one instance by the engine's instance number, if known.</param>
    public static string Reply(string supervisorPath, CallReply reply, Func<long, string?> instancePath)
    {
        ArgumentNullException.ThrowIfNull(reply);
        ArgumentNullException.ThrowIfNull(instancePath);
        return reply.Kind switch
        {
            ReplyKind.Ok => "ok",
            ReplyKind.Ignored => "ok:undefined",
            ReplyKind.Error => $"error:{reply.Error}",
            ReplyKind.Started => reply.Instance != 0 && instancePath(reply.Instance) is { } name
                ? $"ok:{name}"
                : $"ok:{supervisorPath}/{reply.ChildId}",
            ReplyKind.Children => Children(supervisorPath, reply.Children!, instancePath),
            ReplyKind.Counts => string.Create(CultureInfo.InvariantCulture,
                $"[specs:{reply.Counts.Specs},active:{reply.Counts.Active},supervisors:{reply.Counts.Supervisors},workers:{reply.Counts.Workers}]"),
            _ => Spec(reply.Spec!),
        };
    }

    /// <summary>A report's kind as printed in <c># report</c> lines.</summary>
    public static string ReportName(ReportKind kind) => kind switch
    {
        ReportKind.Progress => "progress",
        ReportKind.ChildTerminated => "child_terminated",
        ReportKind.StartError => "start_error",
        ReportKind.ShutdownError => "shutdown_error",
        ReportKind.RestartDelayed => "restart_delayed",
        _ => "reached_max_restart_intensity",
    };

    /// <summary>
    /// The last field of a <c># report</c> line: the reason, or for restart_delayed the delay (<c>250ms</c>), which a
    /// reader cannot find elsewhere (the reason is on the child_terminated or start_error line before it).
    /// </summary>
    public static string ReportDetail(ReportKind kind, ExitReason reason, long restartDelayMs) =>
        kind == ReportKind.RestartDelayed ? restartDelayMs.ToString(CultureInfo.InvariantCulture) + "ms" : reason.ToString();

    private static string Children(string supervisorPath, IReadOnlyList<ChildInfo> children, Func<long, string?> instancePath)
    {
        var text = new StringBuilder("[");
        foreach (var child in children)
        {
            if (text.Length > 1)
            {
                text.Append(',');
            }
            var name = child.Instance != 0 && instancePath(child.Instance) is { } path
                ? path[(supervisorPath.Length + 1)..]
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

    private static string Spec(ChildSpec spec) => string.Create(CultureInfo.InvariantCulture,
        $"ok:{{id:{spec.Id},restart:{spec.Restart.ToString().ToLowerInvariant()},shutdown:{spec.EffectiveShutdown},type:{spec.EffectiveType.ToString().ToLowerInvariant()},significant:{(spec.Significant ? "true" : "false")}}}");
}
