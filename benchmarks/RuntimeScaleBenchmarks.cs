using BenchmarkDotNet.Attributes;
using Supervision.Engine;
using Supervision.Runtime;

namespace Supervision.Benchmarks;

/// <summary>
/// The real runtime on the thread pool: a rest_for_one cascade (the first of N children crashes, all N are
/// stopped and started again, one at a time as OTP does), and starting 100,000 simple_one_for_one instances.
/// </summary>
[MemoryDiagnoser]
public class RuntimeScaleBenchmarks
{
    private SupervisionTree _cascade = null!;
    private ChildHandle _first = null!;
    private string _lastPath = string.Empty;

    /// <summary>Children in the rest_for_one supervisor.</summary>
    [Params(10, 100)]
    public int Children { get; set; }

    /// <summary>A rest_for_one root over <see cref="Children"/> workers.</summary>
    [GlobalSetup(Target = nameof(RestForOneCascade))]
    public void SetupCascade()
    {
        var children = Enumerable.Range(0, Children)
            .Select(i => ChildDefinition.Worker($"w{i}", context => Task.Delay(Timeout.Infinite, context.Stopping)))
            .ToList();
        var definition = new SupervisorDefinition("cascade", children)
        {
            Strategy = RestartStrategy.RestForOne,
            Intensity = int.MaxValue,
            PeriodSeconds = 1,
        };
        _cascade = SupervisionTree.StartAsync(definition).GetAwaiter().GetResult();
        _first = _cascade.Child("cascade/w0");
        _lastPath = $"cascade/w{Children - 1}";
    }

    /// <summary>The first child crashes; done when the last one has been started again.</summary>
    [Benchmark]
    public async Task RestForOneCascade()
    {
        var restarted = _cascade.WhenChildStartedAsync(_lastPath);
        await _first.CrashAsync("boom");
        await restarted;
    }

    /// <summary>Stops the cascade tree.</summary>
    [GlobalCleanup(Target = nameof(RestForOneCascade))]
    public void CleanupCascade() => _cascade.DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>Starts 100,000 instances one after another, then stops the pool (all of them in parallel).</summary>
    [Benchmark]
    [Arguments(100_000)]
    public async Task<long> StartDynamicChildren(int count)
    {
        var pool = new SupervisorDefinition("pool",
            ChildDefinition.Worker("w", context => Task.Delay(Timeout.Infinite, context.Stopping)) with { Restart = RestartType.Temporary })
        {
            Strategy = RestartStrategy.SimpleOneForOne,
        };
        await using var tree = await SupervisionTree.StartAsync(pool);
        for (var i = 0; i < count; i++)
        {
            await tree.Root.StartInstanceAsync();
        }
        return (await tree.Root.CountChildrenAsync()).Active;
    }
}
