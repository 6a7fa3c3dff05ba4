using Supervision.Runtime.Scheduling;

namespace Supervision.Runtime.Testing;

/// <summary>
/// What a test run by <see cref="SupervisionTest.RunAsync"/> works with: the deterministic scheduler and its
/// virtual clock, and <see cref="StartSupervisedAsync"/>, which starts a tree on them and stops it when the test
/// ends (in the spirit of ExUnit's <c>start_supervised</c>). The test's own code runs on the same scheduler, so
/// every <c>await</c> in it completes as soon as the trees have done what it waits for.
/// </summary>
public sealed class SupervisionTestContext
{
    private readonly List<SupervisionTree> _trees = [];

    internal SupervisionTestContext(DeterministicScheduler scheduler)
    {
        Scheduler = scheduler;
        TreeOptions = new SupervisionTreeOptions { Scheduler = scheduler };
    }

    /// <summary>The scheduler every tree of this test and the test itself run on.</summary>
    public DeterministicScheduler Scheduler { get; }

    /// <summary>The virtual clock: pass it wherever your code takes a <see cref="System.TimeProvider"/>.</summary>
    public TimeProvider TimeProvider => Scheduler.TimeProvider;

    /// <summary>Virtual time since the test started.</summary>
    public TimeSpan Now => Scheduler.Clock.Elapsed;

    /// <summary>Tree options on this test's scheduler, for <see cref="SupervisionTree.StartAsync"/>; add a logger with <c>with</c>.</summary>
    public SupervisionTreeOptions TreeOptions { get; }

    /// <summary>The trees started with <see cref="StartSupervisedAsync"/>, oldest first.</summary>
    public IReadOnlyList<SupervisionTree> Trees => _trees;

    /// <summary>
    /// Starts <paramref name="root"/> on this test's scheduler and completes once its children have started. When the
    /// test ends, the tree is stopped (newest tree first) if it is still running.
    /// </summary>
    /// <param name="root">The tree.</param>
    /// <param name="options">Logging and limits; its scheduler is replaced by this test's.</param>
    /// <param name="cancellationToken">Stops the waiting for the start; the tree is still stopped when the test ends.</param>
    /// <exception cref="ArgumentException">The definition is invalid.</exception>
    /// <exception cref="SupervisorStartException">A child failed to start during init.</exception>
    public async Task<SupervisionTree> StartSupervisedAsync(SupervisorDefinition root, SupervisionTreeOptions? options = null, CancellationToken cancellationToken = default)
    {
        var tree = SupervisionTree.Create(root, (options ?? TreeOptions) with { Scheduler = Scheduler });
        _trees.Add(tree);
        await CancellableWait.WaitAsync(tree.Started, cancellationToken);
        return tree;
    }

    /// <summary>Waits <paramref name="delay"/> of virtual time: everything due meanwhile runs, and no real time passes.</summary>
    /// <param name="delay">How long, in virtual time.</param>
    /// <param name="cancellationToken">Stops the waiting.</param>
    public Task DelayAsync(TimeSpan delay, CancellationToken cancellationToken = default) => Task.Delay(delay, TimeProvider, cancellationToken);
}
