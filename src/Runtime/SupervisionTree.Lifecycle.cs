using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Supervision.Engine;
using Supervision.Runtime.Scheduling;
using Supervision.Runtime.Tree;

namespace Supervision.Runtime;

/// <summary>Starting with a token, and what the tree keeps for its host: how its root ended, its children's services, how close it is to giving up.</summary>
public sealed partial class SupervisionTree
{
    /// <summary>Builds the tree from <paramref name="root"/>, starts it, and completes once every child has started.</summary>
    /// <param name="root">The tree.</param>
    /// <param name="options">Scheduling, logging, services and limits.</param>
    /// <param name="cancellationToken">
    /// Stops the waiting for the start: <see cref="OperationCanceledException"/> is thrown at once, and the tree,
    /// which the caller can no longer reach, is disposed in the background (what had started is stopped).
    /// </param>
    /// <exception cref="ArgumentException">The definition is invalid; the message lists every violation.</exception>
    /// <exception cref="SupervisorStartException">A child failed to start during init; what had started was stopped.</exception>
    public static async Task<SupervisionTree> StartAsync(SupervisorDefinition root, SupervisionTreeOptions? options = null, CancellationToken cancellationToken = default)
    {
        var tree = Create(root, options);
        try
        {
            await CancellableWait.WaitAsync(tree.Started, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            _ = tree.DisposeAsync().AsTask();
            throw;
        }
        return tree;
    }

    private ILogger? _logger;
    private IServiceScopeFactory? _scopeFactory;
    private bool _scopeFactoryKnown;

    /// <summary>The logger of the lifecycle events (<see cref="LifecycleLog"/>), in the runtime's category.</summary>
    internal ILogger Logger => _logger ??= (Options.LoggerFactory ?? NullLoggerFactory.Instance).CreateLogger("Supervision.Runtime");

    /// <summary>Makes each incarnation's scope of <see cref="SupervisionTreeOptions.Services"/>; null without services.</summary>
    internal IServiceScopeFactory? ScopeFactory
    {
        get
        {
            // Looked up once (from any supervisor's loop; a race only looks it up twice).
            if (!Volatile.Read(ref _scopeFactoryKnown))
            {
                _scopeFactory = Options.Services?.GetService<IServiceScopeFactory>();
                Volatile.Write(ref _scopeFactoryKnown, true);
            }
            return _scopeFactory;
        }
    }

    /// <summary>Set on the root's loop as it exits (read once the tree has ended).</summary>
    internal ExitCause RootExitCause { get; set; }

    /// <summary>Set on the root's loop when it gives up: the attempt that exceeded its intensity.</summary>
    internal RestartAttempt? RootGaveUpAfter { get; set; }

    /// <summary>
    /// How close each running supervisor is to giving up, each read on its own loop (a message in its mailbox, so a
    /// busy supervisor answers in its turn). Supervisors that end meanwhile are left out.
    /// </summary>
    /// <param name="cancellationToken">Stops the waiting.</param>
    internal async Task<IReadOnlyList<RestartLoad>> ReadRestartLoadsAsync(CancellationToken cancellationToken)
    {
        var probes = new List<RestartLoadProbe>();
        foreach (var supervisor in _supervisors.Values)
        {
            var probe = new RestartLoadProbe();
            supervisor.Post(new Message(MessageKind.Inspect, ChildRef.None, default, default, 0, probe));
            probes.Add(probe);
        }
        var loads = new List<RestartLoad>(probes.Count);
        foreach (var probe in probes)
        {
            if (await CancellableWait.WaitAsync(probe.Reply.Task, cancellationToken) is { } load)
            {
                loads.Add(load);
            }
        }
        return loads;
    }
}
