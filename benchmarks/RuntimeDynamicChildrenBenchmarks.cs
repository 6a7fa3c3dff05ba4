using BenchmarkDotNet.Attributes;
using Supervision.Engine;
using Supervision.Runtime;

namespace Supervision.Benchmarks;

/// <summary>
/// The real runtime on the thread pool: starting N simple_one_for_one instances one after another
/// (<see cref="StartChildren"/>), and stopping a pool of N running instances (<see cref="StopChildren"/>, the
/// tree disposed: every instance stopped, in parallel as OTP stops a simple_one_for_one supervisor's children).
/// Each invocation gets a fresh pool (made and disposed outside the measurement), so one invocation per
/// iteration; the time divided by <see cref="Count"/> is the cost per child, and the three sizes show whether
/// it stays flat (linear in N).
/// </summary>
[MemoryDiagnoser]
[InvocationCount(1, 1)]
public class RuntimeDynamicChildrenBenchmarks
{
    private SupervisionTree? _tree;

    /// <summary>Instances started, or stopped.</summary>
    [Params(1_000, 10_000, 100_000)]
    public int Count { get; set; }

    /// <summary>An empty pool.</summary>
    [IterationSetup(Target = nameof(StartChildren))]
    public void EmptyPool() => _tree = SupervisionTree.StartAsync(Pool()).GetAwaiter().GetResult();

    /// <summary>A pool with <see cref="Count"/> running instances.</summary>
    [IterationSetup(Target = nameof(StopChildren))]
    public void FullPool()
    {
        EmptyPool();
        StartAllAsync(_tree!, Count).GetAwaiter().GetResult();
    }

    /// <summary>Starts <see cref="Count"/> instances one after another (each start_child answered before the next).</summary>
    [Benchmark]
    public Task StartChildren() => StartAllAsync(_tree!, Count);

    /// <summary>Stops the pool and its <see cref="Count"/> instances.</summary>
    [Benchmark]
    public async Task StopChildren()
    {
        await _tree!.DisposeAsync();
        _tree = null;
    }

    /// <summary>Disposes what the iteration left.</summary>
    [IterationCleanup]
    public void Cleanup()
    {
        _tree?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _tree = null;
    }

    private static SupervisorDefinition Pool() => new("pool",
        ChildDefinition.Worker("w", context => Task.Delay(Timeout.Infinite, context.Stopping)) with { Restart = RestartType.Temporary })
    {
        Strategy = RestartStrategy.SimpleOneForOne,
    };

    private static async Task StartAllAsync(SupervisionTree tree, int count)
    {
        for (var i = 0; i < count; i++)
        {
            await tree.Root.StartInstanceAsync();
        }
    }
}
