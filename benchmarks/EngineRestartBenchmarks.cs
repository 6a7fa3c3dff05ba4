using BenchmarkDotNet.Attributes;
using Supervision.Benchmarks.Infrastructure;
using Supervision.Engine;

namespace Supervision.Benchmarks;

/// <summary>
/// The engine's hot path: one one_for_one restart, from the exit event in to the restarted child's
/// start result handled, with every decision drained.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(EngineBenchmarkConfig))]
public class EngineRestartBenchmarks
{
    private SupervisorEngine _engine = null!;
    private ChildRef _child;
    private long _now;
    private readonly ExitReason _crash = ExitReason.Abnormal("boom");

    /// <summary>A one_for_one supervisor of 8 workers with a window wide enough never to give up.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var children = new List<ChildSpec>();
        for (var i = 0; i < 8; i++)
        {
            children.Add(new ChildSpec($"w{i}"));
        }
        _engine = new SupervisorEngine(new SupervisorSpec(children) { Intensity = 1_000_000, PeriodSeconds = 1 });
        _engine.Handle(SupervisorEvent.Start(0));
        Drain();
        _child = _engine.SnapshotChildren()[3].Current;
    }

    /// <summary>Exit in, child_terminated report and start decision out, start result in, progress report out.</summary>
    [Benchmark]
    public ChildRef OneForOneRestart()
    {
        _now += 1;
        _engine.Handle(SupervisorEvent.ChildExited(_now, _child, _crash));
        Drain();
        return _child;
    }

    private void Drain()
    {
        while (_engine.TryDequeueDecision(out var decision))
        {
            if (decision.Kind == DecisionKind.StartChild)
            {
                _child = decision.Child;
                _engine.Handle(SupervisorEvent.ChildStarted(_now, decision.Child));
            }
        }
    }
}
