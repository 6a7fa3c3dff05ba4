using System.Threading.Tasks.Sources;
using BenchmarkDotNet.Attributes;

namespace Supervision.Benchmarks;

/// <summary>
/// The floor under a runtime restart: the .NET primitives that any Task-based restart has to pay for, measured
/// in the same run as <see cref="RuntimeRestartBenchmarks"/> so that the comparison table can divide by them.
/// A restart needs at least one hand-off between threads (the crash reaches the supervisor's loop, the loop's
/// answer reaches the waiter): <see cref="PoolRoundTrip"/> is one thread-pool round trip with a reusable
/// signal, the cheapest such hand-off, and <see cref="PoolPingPong"/> the same with both sides' continuations
/// queued to the pool, as two activities (the crashing caller and the supervisor's loop) must. The other two are the pieces an incarnation is made of: its
/// cancellation source, and starting its body as a task.
/// </summary>
[MemoryDiagnoser]
public class FloorBenchmarks
{
    /// <summary>Operations per invocation of the looped benchmarks (as <see cref="RuntimeRestartBenchmarks.RestartsPerInvoke"/>).</summary>
    public const int OperationsPerInvoke = 1000;

    private readonly ReusableSignal _signal = new(runContinuationsAsynchronously: false);
    private readonly ReusableSignal _ping = new(runContinuationsAsynchronously: true);
    private readonly ReusableSignal _pong = new(runContinuationsAsynchronously: true);
    private readonly Func<Task> _pingPongs;
    private readonly Func<Task> _pingAnswers;
    private readonly Func<Task> _roundTrips;
    private readonly Func<Task> _taskStarts;
    private static readonly Action Nothing = static () => { };

    /// <summary>Creates the benchmark.</summary>
    public FloorBenchmarks()
    {
        _roundTrips = RoundTripsAsync;
        _pingPongs = PingPongsAsync;
        _pingAnswers = AnswerPingsAsync;
        _taskStarts = TaskStartsAsync;
    }

    /// <summary>
    /// From a pool thread: queue a work item to the pool that sets a reusable value-task signal, and await the
    /// signal. One message to another loop and one answer back, with nothing allocated. The pool may run the work
    /// item on the awaiting thread itself (it has just gone idle), so this is the floor without a thread switch,
    /// well below a hand-off that must wake another thread.
    /// </summary>
    [Benchmark(OperationsPerInvoke = OperationsPerInvoke)]
    public Task PoolRoundTrip() => Task.Run(_roundTrips);

    /// <summary>
    /// Two loops on the pool hand a reusable signal back and forth: one operation is a message to the other loop
    /// and its answer, each continuation queued to the pool (never run inline by the side that sets the signal).
    /// This is the floor the comparison divides the runtime's rows by: a restart is at least a crash message to
    /// the supervisor's loop and an answer back to the caller, and neither side can run the other's code inline.
    /// </summary>
    [Benchmark(OperationsPerInvoke = OperationsPerInvoke)]
    public Task PoolPingPong() => Task.WhenAll(Task.Run(_pingPongs), Task.Run(_pingAnswers));

    /// <summary>A cancellation source created, cancelled and disposed (one per incarnation in the runtime).</summary>
    [Benchmark]
    public bool CancellationSourceCreateCancel()
    {
        using var source = new CancellationTokenSource();
        source.Cancel();
        return source.IsCancellationRequested;
    }

    /// <summary>From a pool thread: a task started on the pool and awaited (an incarnation's body is one).</summary>
    [Benchmark(OperationsPerInvoke = OperationsPerInvoke)]
    public Task TaskStart() => Task.Run(_taskStarts);

    private async Task RoundTripsAsync()
    {
        for (var i = 0; i < OperationsPerInvoke; i++)
        {
            var pending = _signal.Next();
            ThreadPool.UnsafeQueueUserWorkItem(static signal => signal.Set(), _signal, preferLocal: false);
            await pending;
        }
    }

    private async Task PingPongsAsync()
    {
        for (var i = 0; i < OperationsPerInvoke; i++)
        {
            _ping.Set();
            await _pong.Next();
        }
    }

    private async Task AnswerPingsAsync()
    {
        for (var i = 0; i < OperationsPerInvoke; i++)
        {
            await _ping.Next();
            _pong.Set();
        }
    }

    private static async Task TaskStartsAsync()
    {
        for (var i = 0; i < OperationsPerInvoke; i++)
        {
            await Task.Run(Nothing);
        }
    }

    /// <summary>
    /// One waiter at a time, reused: the shape of the runtime's mailbox signal. The waiter re-arms it as its wait
    /// completes, before it can ask for the next answer, so a set can never be lost. Its continuation runs inline
    /// on the setting thread, or always on the pool (<paramref name="runContinuationsAsynchronously"/>), as two
    /// separate loops need.
    /// </summary>
    private sealed class ReusableSignal(bool runContinuationsAsynchronously) : IValueTaskSource
    {
        private ManualResetValueTaskSourceCore<bool> _core = new() { RunContinuationsAsynchronously = runContinuationsAsynchronously };

        public ValueTask Next() => new(this, _core.Version);

        public void Set() => _core.SetResult(true);

        public void GetResult(short token)
        {
            _core.GetResult(token);
            _core.Reset();
        }

        public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

        public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
            _core.OnCompleted(continuation, state, token, flags);
    }
}
