using BenchmarkDotNet.Attributes;
using Supervision.Runtime;

namespace Supervision.Benchmarks;

/// <summary>
/// The real runtime on the thread pool and the system clock: a one_for_one child crashes (crash injection,
/// as OTP's exit/2) and the benchmark waits until it has been restarted. The mean is the crash-to-restarted
/// latency; 1 s divided by it is the sequential restart rate of one child.
/// </summary>
[MemoryDiagnoser]
public class RuntimeRestartBenchmarks
{
    private SupervisionTree _tree = null!;
    private ChildHandle _child = null!;
    private readonly Func<Task> _restartMany;

    /// <summary>Creates the benchmark.</summary>
    public RuntimeRestartBenchmarks() => _restartMany = RestartManyAsync;

    /// <summary>A root over one worker, with a window wide enough never to give up.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var definition = new SupervisorDefinition("bench",
            ChildDefinition.Worker("worker", context => Task.Delay(Timeout.Infinite, context.Stopping)))
        {
            Intensity = int.MaxValue,
            PeriodSeconds = 1,
        };
        _tree = SupervisionTree.StartAsync(definition).GetAwaiter().GetResult();
        _child = _tree.Child("bench/worker");
    }

    /// <summary>Crash in, restart observed.</summary>
    [Benchmark]
    public async Task CrashToRestarted()
    {
        var restarted = _child.WhenStartedAsync();
        await CrashAsync();
        await restarted;
    }

    /// <summary>Restarts per invocation of <see cref="SequentialRestarts"/>.</summary>
    public const int RestartsPerInvoke = 1000;

    /// <summary>
    /// Back-to-back restarts of the same child, driven from a thread-pool thread as OTP's benchmark process
    /// drives its supervisor: the time per restart, so 1 s divided by it is the sustained restart rate.
    /// BenchmarkDotNet's own thread waits once per 1,000 restarts instead of once per restart.
    /// </summary>
    [Benchmark(OperationsPerInvoke = RestartsPerInvoke)]
    public Task SequentialRestarts() => Task.Run(_restartMany);

    private async Task RestartManyAsync()
    {
        for (var i = 0; i < RestartsPerInvoke; i++)
        {
            var restarted = _child.WhenStartedAsync();
            await CrashAsync();
            await restarted;
        }
    }

    private async Task CrashAsync()
    {
        // A crash that found no running child would leave the benchmark waiting for a restart forever.
        if (!await _child.CrashAsync("boom"))
        {
            throw new InvalidOperationException("the benchmark's child was not running");
        }
    }

    /// <summary>Stops the tree.</summary>
    [GlobalCleanup]
    public void Cleanup() => _tree.DisposeAsync().AsTask().GetAwaiter().GetResult();
}
