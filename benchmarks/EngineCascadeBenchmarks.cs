using BenchmarkDotNet.Attributes;
using Supervision.Benchmarks.Infrastructure;
using Supervision.Engine;

namespace Supervision.Benchmarks;

/// <summary>
/// Group restarts: the first (oldest) child of a rest_for_one or one_for_all supervisor crashes, so every
/// other child is stopped newest first and then every child is started again oldest first. One operation
/// is the whole cascade, from the exit in to the last start result handled, with every decision drained
/// (about six decisions and two events a child). The <c>ns/child</c> column divides by the number of
/// children: it stays flat when the cascade scales linearly.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(EngineBenchmarkConfig))]
public class EngineCascadeBenchmarks
{
    private EngineDriver _driver = null!;
    private readonly ExitReason _crash = ExitReason.Abnormal("boom");

    /// <summary>The group strategy.</summary>
    [Params(RestartStrategy.RestForOne, RestartStrategy.OneForAll)]
    public RestartStrategy Strategy { get; set; }

    /// <summary>How many children the supervisor has.</summary>
    [Params(10, 100, 1_000, 10_000, 100_000)]
    public int Children { get; set; }

    /// <summary>A started supervisor of <see cref="Children"/> workers (default 5000 ms shutdown) that never gives up.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var children = new ChildSpec[Children];
        for (var i = 0; i < children.Length; i++)
        {
            children[i] = new ChildSpec($"w{i}");
        }
        _driver = new EngineDriver(new SupervisorSpec(children) { Strategy = Strategy, Intensity = 1_000_000, PeriodSeconds = 1 });
    }

    /// <summary>The oldest child crashes; the whole group is terminated and started again.</summary>
    [Benchmark]
    public long CrashFirstChild()
    {
        _driver.NowMs += 1;
        _driver.Crash(0, _crash);
        return _driver.Decisions;
    }
}
