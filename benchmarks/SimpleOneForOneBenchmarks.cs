using BenchmarkDotNet.Attributes;
using Supervision.Benchmarks.Infrastructure;
using Supervision.Engine;

namespace Supervision.Benchmarks;

/// <summary>
/// The dynamic API on a simple_one_for_one supervisor that holds <see cref="Instances"/> instances:
/// one start_child (call in, start decision out, start result in, reply out) and one terminate_child
/// (call in, stop and timer out, exit in, termination and reply out). Each iteration first brings the
/// population back to exactly <see cref="Instances"/> (plus the instances the iteration will terminate),
/// outside the measurement, so every call sees the same size of table (give or take the iteration's
/// own 8,192 calls). The requests are built in the setup: the allocation column shows what the engine
/// allocates (start_child's reply), nothing else. <see cref="StartThenTerminateOldest"/> rotates the
/// population instead, so it stays at exactly <see cref="Instances"/>; its allocation column also counts
/// the terminate request it builds for each pair.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(EngineBenchmarkConfig))]
[InvocationCount(Calls, 1)]
public class SimpleOneForOneBenchmarks
{
    private const int Calls = 8_192;
    private readonly CallRequest _startRequest = CallRequest.StartInstance(null);
    private readonly CallRequest[] _terminateRequests = new CallRequest[Calls];
    private readonly Queue<long> _live = new();
    private EngineDriver _driver = null!;
    private long _callId;
    private int _next;

    /// <summary>Instances in the supervisor when a call arrives.</summary>
    [Params(1_000, 10_000, 100_000)]
    public int Instances { get; set; }

    /// <summary>A simple_one_for_one supervisor of transient workers.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var template = new ChildSpec("conn") { Restart = RestartType.Transient };
        _driver = new EngineDriver(new SupervisorSpec([template]) { Strategy = RestartStrategy.SimpleOneForOne, Intensity = 1_000_000, PeriodSeconds = 1 });
    }

    /// <summary>Exactly <see cref="Instances"/> instances before start_child is measured.</summary>
    [IterationSetup(Target = nameof(StartChild))]
    public void BeforeStarts() => Resize(Instances);

    /// <summary><see cref="Instances"/> instances plus the ones to terminate; the requests name the oldest.</summary>
    [IterationSetup(Target = nameof(TerminateChild))]
    public void BeforeTerminations()
    {
        Resize(Instances + Calls);
        var oldest = _live.ToArray();
        for (var i = 0; i < Calls; i++)
        {
            _terminateRequests[i] = CallRequest.TerminateInstance(oldest[i]);
        }
        _next = 0;
    }

    /// <summary>start_child: a new instance is started and the caller gets its reference.</summary>
    [Benchmark]
    public CallReply StartChild()
    {
        var reply = _driver.Call(++_callId, _startRequest);
        _live.Enqueue(reply.Instance);
        return reply;
    }

    /// <summary>terminate_child of an instance: it is stopped and removed; the caller gets ok.</summary>
    [Benchmark]
    public CallReply TerminateChild()
    {
        _live.Dequeue();
        return _driver.Call(++_callId, _terminateRequests[_next++]);
    }

    /// <summary>start_child, then terminate_child of the oldest instance: a steady state of exactly <see cref="Instances"/>.</summary>
    [Benchmark]
    public CallReply StartThenTerminateOldest()
    {
        _live.Enqueue(_driver.Call(++_callId, _startRequest).Instance);
        return _driver.Call(++_callId, CallRequest.TerminateInstance(_live.Dequeue()));
    }

    /// <summary>Exactly <see cref="Instances"/> instances before the pairs are measured.</summary>
    [IterationSetup(Target = nameof(StartThenTerminateOldest))]
    public void BeforePairs() => Resize(Instances);

    private void Resize(int count)
    {
        while (_live.Count > count)
        {
            _driver.Call(++_callId, CallRequest.TerminateInstance(_live.Dequeue()));
        }
        while (_live.Count < count)
        {
            _live.Enqueue(_driver.Call(++_callId, _startRequest).Instance);
        }
        if (_driver.Engine.ChildCount != count)
        {
            throw new InvalidOperationException($"expected {count} instances, the engine holds {_driver.Engine.ChildCount}");
        }
    }
}
