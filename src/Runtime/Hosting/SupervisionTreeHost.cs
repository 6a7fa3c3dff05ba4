using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Supervision.Runtime.Scheduling;

namespace Supervision.Runtime.Hosting;

/// <summary>
/// The hosted service that owns one supervision tree (one per <c>AddSupervisionTree</c>): it starts the tree with the
/// host (the host waits for every child's start phase), stops it newest first when the host stops, and, when the
/// tree's root ends on its own, applies <see cref="SupervisionTreeHostOptions.RootExit"/>. Resolve it by name with
/// <see cref="ISupervisionTreeProvider"/> or as a keyed service.
/// </summary>
public sealed partial class SupervisionTreeHost : IHostedService
{
    private readonly Lock _gate = new();
    private readonly SupervisorDefinition _root;
    private readonly SupervisionTreeOptions _treeOptions;
    private readonly IHostApplicationLifetime? _lifetime;
    private readonly CancellationTokenSource _stopping = new();
    private SupervisionTree? _tree;
    private SupervisionTreeStatus _status;
    private TreeTermination? _lastExit;
    /// <summary>Under <see cref="_gate"/>: the host stops the tree; nothing starts from now on.</summary>
    private bool _stopRequested;

    /// <summary>
    /// Creates a host for <paramref name="root"/> outside dependency injection, with the default
    /// <see cref="SupervisionTreeHostOptions"/> and no application to stop: when the root ends on its own, the exit
    /// code is set and the end logged. Prefer <c>services.AddSupervisionTree(name, ...)</c>.
    /// </summary>
    public SupervisionTreeHost(SupervisorDefinition root, SupervisionTreeOptions options)
        : this(Microsoft.Extensions.Options.Options.DefaultName, root, options, new SupervisionTreeHostOptions(), lifetime: null)
    {
    }

    internal SupervisionTreeHost(string name, SupervisorDefinition root, SupervisionTreeOptions treeOptions, SupervisionTreeHostOptions options, IHostApplicationLifetime? lifetime)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(treeOptions);
        Name = name;
        _root = root;
        _treeOptions = treeOptions;
        Options = options;
        _lifetime = lifetime;
        Restarts = new TreeRestartBudget(options.MaxTreeRestarts, options.TreeRestartPeriod, options.TreeRestartDelay, options.MaxTreeRestartDelay);
    }

    /// <summary>The tree's name (empty for the tree registered without one).</summary>
    public string Name { get; }

    /// <summary>
    /// The running tree: after <see cref="RootExitPolicy.RestartTree"/> restarted it, the new one (handles taken from
    /// the old tree see a tree that has ended: take them again).
    /// </summary>
    /// <exception cref="InvalidOperationException">The host has not started it yet.</exception>
    public SupervisionTree Tree
    {
        get
        {
            lock (_gate)
            {
                return _tree ?? throw new InvalidOperationException($"{Describe(Name)} has not been started yet (the host starts it)");
            }
        }
    }

    /// <summary>Where the tree is in its life.</summary>
    public SupervisionTreeStatus Status
    {
        get
        {
            lock (_gate)
            {
                return _status;
            }
        }
    }

    /// <summary>How the tree last ended on its own (null if it never did): the root's reason and cause.</summary>
    public TreeTermination? LastExit
    {
        get
        {
            lock (_gate)
            {
                return _lastExit;
            }
        }
    }

    internal SupervisionTreeHostOptions Options { get; }

    internal TreeRestartBudget Restarts { get; }

    /// <summary>The status and the current tree, read together.</summary>
    internal (SupervisionTreeStatus Status, SupervisionTree? Tree) Snapshot()
    {
        lock (_gate)
        {
            return (_status, _tree);
        }
    }

    /// <summary>
    /// Builds the host of the tree named <paramref name="name"/> from the host's services: its named options (validated
    /// here), the legacy <see cref="SupervisionTreeOptions"/> if any, and the host's logging, metrics and services as
    /// defaults for what neither sets.
    /// </summary>
    internal static SupervisionTreeHost Create(string name, IServiceProvider services, Func<IServiceProvider, SupervisorDefinition> build, Func<IServiceProvider, SupervisionTreeOptions>? configure)
    {
        var options = services.GetRequiredService<IOptionsMonitor<SupervisionTreeHostOptions>>().Get(name);
        var legacy = configure?.Invoke(services) ?? new SupervisionTreeOptions();
        var root = build(services) ?? throw new InvalidOperationException($"the definition built for {Describe(name)} is null");
        root = root with { Intensity = options.Intensity ?? root.Intensity, PeriodSeconds = options.PeriodSeconds ?? root.PeriodSeconds };
        root.ToSpec().Validate(root.Id);
        var treeOptions = legacy with
        {
            Scheduler = options.Scheduler ?? legacy.Scheduler,
            LoggerFactory = options.LoggerFactory ?? legacy.LoggerFactory ?? services.GetService<ILoggerFactory>(),
            MeterFactory = options.MeterFactory ?? legacy.MeterFactory ?? services.GetService<System.Diagnostics.Metrics.IMeterFactory>(),
            Services = legacy.Services ?? services,
            StartTimeout = options.StartTimeout ?? legacy.StartTimeout,
            KillGrace = options.KillGrace ?? legacy.KillGrace,
        };
        return new SupervisionTreeHost(name, root, treeOptions, options, services.GetService<IHostApplicationLifetime>());
    }

    /// <summary>Starts the tree and completes once every child has started.</summary>
    /// <param name="cancellationToken">
    /// Stops the waiting (the host's start was cancelled): <see cref="OperationCanceledException"/>, and the tree is
    /// disposed in the background.
    /// </param>
    /// <exception cref="SupervisorStartException">A child failed to start during init: the host does not start.</exception>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        SupervisionTree tree;
        lock (_gate)
        {
            if (_tree is not null || _stopRequested)
            {
                return;
            }
            tree = SupervisionTree.Create(_root, _treeOptions);
            _tree = tree;
            _status = SupervisionTreeStatus.Starting;
        }
        try
        {
            await CancellableWait.WaitAsync(tree.Started, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            _ = tree.DisposeAsync().AsTask();
            throw;
        }
        catch (SupervisorStartException)
        {
            SetStatus(SupervisionTreeStatus.Ended);
            throw;
        }
        SetStatus(SupervisionTreeStatus.Running);
        _ = WatchAsync(tree);
    }

    /// <summary>
    /// Stops the tree newest first (OTP's <c>supervisor:stop</c>). If <paramref name="cancellationToken"/> (the host's
    /// shutdown timeout) fires first, every child still running is asked to stop at once, what still runs after the
    /// kill grace is logged (event 16), and this returns: never an unhandled exception that would abort the process.
    /// </summary>
    /// <param name="cancellationToken">The host's shutdown timeout: stops the waiting for the ordered stop.</param>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        SupervisionTree? tree;
        lock (_gate)
        {
            // Read with the flag: a restart either made its tree before (stopped here) or sees the flag and makes none.
            _stopRequested = true;
            tree = _tree;
        }
        // A restart waiting for its backoff is called off. Not CancelAsync: its callbacks would run on the thread
        // pool, and the restart's continuation would leave a deterministic scheduler.
        _stopping.Cancel();
        if (tree is null)
        {
            SetStatus(SupervisionTreeStatus.Stopped);
            return;
        }
        var stopping = tree.StopAsync(CancellationToken.None);
        try
        {
            await stopping.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            var grace = _treeOptions.KillGrace == Timeout.InfiniteTimeSpan ? TimeSpan.FromSeconds(1) : _treeOptions.KillGrace;
            var stillRunning = await tree.StopAllNowAsync(grace);
            tree.Log.HostStopTimedOut(tree.Root.Path, stillRunning);
        }
        lock (_gate)
        {
            _status = SupervisionTreeStatus.Stopped;
        }
    }

    private void SetStatus(SupervisionTreeStatus status)
    {
        lock (_gate)
        {
            if (!_stopRequested)
            {
                _status = status;
            }
        }
    }

    /// <summary>"supervision tree 'orders'", or the one without a name.</summary>
    internal static string Describe(string name) => name.Length == 0 ? "the supervision tree without a name" : $"supervision tree '{name}'";
}
