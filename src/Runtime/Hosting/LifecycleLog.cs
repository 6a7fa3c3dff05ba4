using Microsoft.Extensions.Logging;

namespace Supervision.Runtime;

/// <summary>
/// Log events of a tree's life as a whole and of its children's resources (category <c>Supervision.Runtime</c>,
/// beside the supervisor reports): 20 tree ended on its own, 21 tree restarted, 22 dispose failed, 23 root exit
/// policy failed.
/// </summary>
internal static partial class LifecycleLog
{
    [LoggerMessage(EventId = 30, EventName = "tree_ended", Message = "Supervision tree {Tree} ended on its own: {Why}. {Action}")]
    public static partial void TreeEnded(ILogger logger, LogLevel level, string tree, string why, string action);

    [LoggerMessage(EventId = 31, EventName = "tree_restarted", Level = LogLevel.Warning, Message = "Supervision tree {Tree} restarted (tree restart {Restart} of at most {MaxRestarts} within {Period})")]
    public static partial void TreeRestarted(ILogger logger, string tree, int restart, int maxRestarts, TimeSpan period);

    [LoggerMessage(EventId = 32, EventName = "dispose_failed", Level = LogLevel.Warning, Message = "Disposing the {What} of child {Child} (incarnation {Incarnation}) threw; ignored")]
    public static partial void DisposeFailed(ILogger logger, Exception error, string child, int incarnation, string what);

    [LoggerMessage(EventId = 33, EventName = "root_exit_policy_failed", Level = LogLevel.Critical, Message = "Applying the root exit policy of supervision tree {Tree} failed; stopping the application")]
    public static partial void PolicyFailed(ILogger logger, Exception error, string tree);
}
