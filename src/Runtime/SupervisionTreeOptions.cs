using System.Diagnostics.Metrics;
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
    /// Where the tree's meter comes from (see <see cref="SupervisionMetrics"/>): a host's factory from DI, so
    /// that its metrics are scoped and disposed with the host. Default: one meter shared by the process.
    /// </summary>
    public IMeterFactory? MeterFactory { get; init; }

    private readonly int _eventBufferCapacity = DefaultEventBufferCapacity;

    /// <summary>The default of <see cref="EventBufferCapacity"/>.</summary>
    public const int DefaultEventBufferCapacity = 1024;

    /// <summary>
    /// How many events each <see cref="SupervisionTree.EventsAsync(CancellationToken)"/> reader may have unread
    /// before the oldest are dropped (reported to it as one <see cref="SupervisionEventKind.EventsDropped"/> event).
    /// Default 1024.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Less than 1.</exception>
    public int EventBufferCapacity
    {
        get => _eventBufferCapacity;
        init => _eventBufferCapacity = value >= 1
            ? value
            : throw new ArgumentOutOfRangeException(nameof(EventBufferCapacity), value, $"{nameof(EventBufferCapacity)} must be 1 or more; got {value}");
    }

    private readonly TimeSpan _startTimeout = TimeSpan.FromSeconds(30);
    private readonly TimeSpan _killGrace = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long a child's start phase may take before it counts as a failed start (<c>start_timeout</c>):
    /// the start is killed (see <see cref="KillGrace"/>) and its body never runs. OTP waits forever
    /// (<see cref="Timeout.InfiniteTimeSpan"/>); the default, 30 s, keeps a hung start from hanging its
    /// supervisor. Any non-negative <see cref="TimeSpan"/> up to <see cref="TimeSpan.MaxValue"/> works.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Negative (other than <see cref="Timeout.InfiniteTimeSpan"/>).</exception>
    public TimeSpan StartTimeout
    {
        get => _startTimeout;
        init => _startTimeout = NonNegativeOrInfinite(value, nameof(StartTimeout));
    }

    /// <summary>
    /// After a kill (<c>brutal_kill</c>, a shutdown timeout that ran out, a start timeout, the kill of a
    /// supervisor), how long the supervisor waits for the killed task to end before it abandons it as a
    /// rogue (logged, counted, listed in <see cref="SupervisionTree.RogueTasks"/>) and goes on. A .NET task
    /// cannot be killed; until it ends or is declared rogue, the child's next incarnation does not start, as
    /// in OTP where a killed process is gone before its restart. A task that honours
    /// <see cref="ChildContext.Stopping"/> or <see cref="ChildContext.Killed"/> ends at once and costs nothing
    /// here. Default 1 s, on the tree's clock (virtual in tests); <see cref="Timeout.InfiniteTimeSpan"/>
    /// waits for ever (never a rogue).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Negative (other than <see cref="Timeout.InfiniteTimeSpan"/>).</exception>
    public TimeSpan KillGrace
    {
        get => _killGrace;
        init => _killGrace = NonNegativeOrInfinite(value, nameof(KillGrace));
    }

    private static TimeSpan NonNegativeOrInfinite(TimeSpan value, string name) =>
        value >= TimeSpan.Zero || value == Timeout.InfiniteTimeSpan
            ? value
            : throw new ArgumentOutOfRangeException(name, value, $"{name} must be zero or more, or Timeout.InfiniteTimeSpan; got {value}");

    /// <summary>Test hook (scenario replay): decides, by path, that a supervisor child's start fails or is ignored without starting it.</summary>
    internal Func<string, ChildStartResult?>? SupervisorStartGate { get; init; }

    /// <summary>Replaceable piece (systematic tests plug deliberately broken variants in): each supervisor's mailbox.</summary>
    internal Func<Tree.IMailbox>? MailboxFactory { get; init; }

    /// <summary>Replaceable piece (systematic tests): how a finished task is matched to its incarnation.</summary>
    internal Tree.ICompletionMatcher? CompletionMatcher { get; init; }
}
