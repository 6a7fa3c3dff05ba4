using Supervision.Runtime.Scheduling;
using Xunit;

namespace Supervision.Runtime.Tests;

/// <summary>
/// A tree on the deterministic scheduler and virtual time: test code runs as work items on the same
/// single thread, so a test never sleeps and every run is the same.
/// </summary>
internal sealed class VirtualTree
{
    /// <param name="configure">Changes to the options (for example a meter factory), applied last.</param>
    public VirtualTree(SupervisorDefinition root, TimeSpan? startTimeout = null, Microsoft.Extensions.Logging.ILoggerFactory? loggers = null, TimeSpan? killGrace = null, Func<SupervisionTreeOptions, SupervisionTreeOptions>? configure = null)
    {
        Scheduler = new DeterministicScheduler();
        var options = new SupervisionTreeOptions
        {
            Scheduler = Scheduler,
            StartTimeout = startTimeout ?? TimeSpan.FromSeconds(30),
            KillGrace = killGrace ?? TimeSpan.FromSeconds(1),
            LoggerFactory = loggers,
        };
        Tree = SupervisionTree.Create(root, configure?.Invoke(options) ?? options);
        Scheduler.RunUntilIdle(TimeSpan.Zero);
    }

    public DeterministicScheduler Scheduler { get; }

    public SupervisionTree Tree { get; }

    public TimeSpan Now => Scheduler.Clock.Elapsed;

    /// <summary>Runs <paramref name="body"/> inside the scheduler until everything due up to <paramref name="until"/> is done.</summary>
    public T Run<T>(Func<Task<T>> body, TimeSpan? until = null)
    {
        Task<T>? task = null;
        Scheduler.Post("test", () => task = body());
        Scheduler.RunUntilIdle(until ?? Now);
        Assert.NotNull(task);
        Assert.True(task.IsCompleted, "the operation did not complete on virtual time");
        Assert.Equal(0, Scheduler.EscapedWorkCount);
        Assert.Empty(Scheduler.Faults);
        return task.GetAwaiter().GetResult();
    }

    public void Run(Func<Task> body, TimeSpan? until = null) => Run(async () =>
    {
        await body();
        return true;
    }, until);

    /// <summary>Moves virtual time to <paramref name="time"/>, running everything due.</summary>
    public void AdvanceTo(TimeSpan time) => Scheduler.RunUntilIdle(time);

    public void Stop()
    {
        Run(() => Tree.StopAsync());
        Assert.True(Tree.Completion.IsCompletedSuccessfully);
    }
}

/// <summary>A worker whose life a test controls: it runs until told to exit, honouring stop requests unless told not to.</summary>
internal sealed class ControlledChild : ISupervisedChild
{
    private readonly TaskCompletionSource<Engine.ExitReason> _exit = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool IgnoreStop { get; init; }

    public List<string>? Log { get; init; }

    public TaskCompletionSource Finished { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void ExitWith(string reason) => _exit.TrySetResult(Engine.ExitReason.Parse(reason));

    public async Task RunAsync(ChildContext context)
    {
        Log?.Add($"run {context.Path}#{context.Incarnation}");
        var registration = IgnoreStop ? default : context.Stopping.Register(() => _exit.TrySetCanceled(context.Stopping));
        try
        {
            var reason = await _exit.Task;
            context.Exit(reason);
        }
        finally
        {
            await registration.DisposeAsync();
            Log?.Add($"end {context.Path}#{context.Incarnation}");
            Finished.TrySetResult();
        }
    }
}
