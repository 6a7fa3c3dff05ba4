using BenchmarkDotNet.Attributes;
using Supervision.Runtime;

namespace Supervision.Benchmarks;

/// <summary>
/// The real runtime on the thread pool: a rest_for_one cascade (the first of N children crashes, all N are
/// stopped and started again, one at a time as OTP does), at sizes from 10 to 100,000 children so that the
/// cost per child can be read as a curve (<c>--curves</c>).
/// </summary>
[MemoryDiagnoser]
public class RuntimeScaleBenchmarks
{
    private SupervisionTree _cascade = null!;
    private ChildHandle _first = null!;
    private string _lastPath = string.Empty;

    /// <summary>Children in the rest_for_one supervisor (10 and 100 are also OTP's sizes).</summary>
    [Params(10, 100, 1_000, 10_000, 100_000)]
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
            Strategy = Engine.RestartStrategy.RestForOne,
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
}
