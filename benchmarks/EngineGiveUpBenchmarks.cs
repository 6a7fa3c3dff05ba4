using BenchmarkDotNet.Attributes;
using Supervision.Benchmarks.Infrastructure;
using Supervision.Engine;

namespace Supervision.Benchmarks;

/// <summary>
/// A crash that exceeds the restart intensity: the supervisor reports reached_max_restart_intensity (with
/// the attempts in its window), stops its other children newest first and exits. One operation is that
/// crash, from the exit in to the final Exited decision. An engine can give up only once, so each
/// iteration prepares a fresh supply of supervisors that are one crash away from giving up; the setup
/// is not measured. Each crash therefore lands on an engine not touched since the setup: the figure
/// includes cold caches, as a real give-up would. The allocation column shows the give-up report's copy
/// of the restart window.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(EngineBenchmarkConfig))]
[InvocationCount(Supply, 1)]
public class EngineGiveUpBenchmarks
{
    private const int Supply = 8_192;
    private readonly EngineDriver[] _drivers = new EngineDriver[Supply];
    private readonly ExitReason _crash = ExitReason.Abnormal("boom");
    private int _next;

    /// <summary>Children of each supervisor (the ones stopped when it gives up, less the one that crashed).</summary>
    [Params(8)]
    public int Children { get; set; }

    /// <summary>Builds <see cref="Supply"/> one_for_one supervisors (intensity 1, period 5 s), each restarted once already.</summary>
    [IterationSetup]
    public void Prepare()
    {
        var children = new ChildSpec[Children];
        for (var i = 0; i < children.Length; i++)
        {
            children[i] = new ChildSpec($"w{i}");
        }
        var spec = new SupervisorSpec(children) { Intensity = 1, PeriodSeconds = 5 };
        for (var i = 0; i < _drivers.Length; i++)
        {
            var driver = new EngineDriver(spec) { NowMs = 1 };
            driver.Crash(0, _crash);
            driver.NowMs = 2;
            _drivers[i] = driver;
        }
        _next = 0;
    }

    /// <summary>The second crash within the window: give up, stop the other children, exit.</summary>
    [Benchmark]
    public EngineStatus CrashBeyondIntensity()
    {
        var driver = _drivers[_next++];
        driver.Crash(0, _crash);
        return driver.Engine.Status;
    }
}
