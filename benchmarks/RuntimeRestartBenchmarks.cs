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
        await _child.CrashAsync("boom");
        await restarted;
    }

    /// <summary>Stops the tree.</summary>
    [GlobalCleanup]
    public void Cleanup() => _tree.DisposeAsync().AsTask().GetAwaiter().GetResult();
}
