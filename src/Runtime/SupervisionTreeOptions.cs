using Microsoft.Extensions.Logging;
using Supervision.Runtime.Scheduling;

namespace Supervision.Runtime;

/// <summary>How a tree runs: scheduling and time, logging, and limits OTP does not have.</summary>
public sealed record SupervisionTreeOptions
{
    /// <summary>Where work runs and where time comes from. Default: the thread pool and the system clock.</summary>
    public SupervisionScheduler Scheduler { get; init; } = SupervisionScheduler.Default;

    /// <summary>Loggers for the supervisor reports. Default: none.</summary>
    public ILoggerFactory? LoggerFactory { get; init; }

    /// <summary>
    /// How long a child's start phase may take before it counts as a failed start (<c>start_timeout</c>)
    /// and its task is abandoned. OTP waits forever (<see cref="Timeout.InfiniteTimeSpan"/>); the default,
    /// 30 s, keeps a hung start from hanging its supervisor.
    /// </summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Test hook (scenario replay): decides, by path, that a supervisor child's start fails or is ignored without starting it.</summary>
    internal Func<string, ChildStartResult?>? SupervisorStartGate { get; init; }

    /// <summary>Replaceable piece (systematic tests plug deliberately broken variants in): each supervisor's mailbox.</summary>
    internal Func<Tree.IMailbox>? MailboxFactory { get; init; }

    /// <summary>Replaceable piece (systematic tests): how a finished task is matched to its incarnation.</summary>
    internal Tree.ICompletionMatcher? CompletionMatcher { get; init; }
}
