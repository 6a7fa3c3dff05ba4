using Supervision.Engine;
using Supervision.Runtime.Tree;
using Xunit;

namespace Supervision.Runtime.Tests;

/// <summary>
/// What the controlled scheduler cannot reach: races on real threads. The mailbox under many writers and
/// disposal, a parent killing a child supervisor that is mid-step, and disposal from many threads while
/// callers and crashes keep coming. Real time is the point here; nothing sleeps, every wait is bounded.
/// </summary>
public sealed class RealThreadStressTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task The_mailbox_delivers_every_message_once_in_each_writers_order_under_many_writers()
    {
        // Checks: 8 writer threads × 20,000 messages (some written ahead of the queue) against one reader
        // that awaits: each message is read exactly once, and each writer's ordinary messages arrive in the
        // order it wrote them. A mailbox without its lock or its reader handshake loses, repeats or
        // reorders messages, or throws.
        const int Writers = 8;
        const int PerWriter = 20_000;
        var mailbox = new QueueMailbox();
        var seen = new int[Writers * PerWriter];
        var lastOrdinary = Enumerable.Repeat(-1, Writers).ToArray();
        var reader = Task.Run(async () =>
        {
            for (var received = 0; received < Writers * PerWriter; received++)
            {
                var message = await mailbox.ReadAsync();
                var id = (int)message.Token;
                seen[id]++;
                var writer = id / PerWriter;
                if (message.Kind == MessageKind.Call)
                {
                    Assert.True(id % PerWriter > lastOrdinary[writer], $"writer {writer}: message {id % PerWriter} after {lastOrdinary[writer]}");
                    lastOrdinary[writer] = id % PerWriter;
                }
            }
        });
        using var start = new Barrier(Writers);
        var writers = Enumerable.Range(0, Writers).Select(w => Task.Factory.StartNew(() =>
        {
            start.SignalAndWait();
            for (var i = 0; i < PerWriter; i++)
            {
                var id = (w * PerWriter) + i;
                var urgent = i % 97 == 0;
                var message = new Message(urgent ? MessageKind.Stop : MessageKind.Call, ChildRef.None, default, default, id, null);
                Assert.True(urgent ? mailbox.TryWriteUrgent(message) : mailbox.TryWrite(message));
            }
        }, TaskCreationOptions.LongRunning)).ToArray();
        await Task.WhenAll(writers).WaitAsync(Bound, TestContext.Current.CancellationToken);
        await reader.WaitAsync(Bound, TestContext.Current.CancellationToken);
        Assert.All(seen, count => Assert.Equal(1, count));
        Assert.False(mailbox.TryRead(out _));
    }

    [Fact]
    public async Task A_write_racing_the_mailboxs_completion_is_either_refused_or_read()
    {
        // Checks: 4 writers race Complete() 500 times: every write that returned true is read by the
        // draining reader (none is lost in the completed mailbox), and a read after completion says Closed.
        for (var round = 0; round < 500; round++)
        {
            var mailbox = new QueueMailbox();
            var accepted = 0;
            using var start = new Barrier(5);
            var writers = Enumerable.Range(0, 4).Select(w => Task.Factory.StartNew(() =>
            {
                start.SignalAndWait();
                for (var i = 0; i < 50; i++)
                {
                    if (mailbox.TryWrite(new Message(MessageKind.Call, ChildRef.None, default, default, i, null)))
                    {
                        Interlocked.Increment(ref accepted);
                    }
                }
            }, TaskCreationOptions.LongRunning)).ToArray();
            start.SignalAndWait();
            mailbox.Complete();
            await Task.WhenAll(writers).WaitAsync(Bound, TestContext.Current.CancellationToken);
            var read = 0;
            while (true)
            {
                var message = await mailbox.ReadAsync();
                if (message.Kind == MessageKind.Closed)
                {
                    break;
                }
                read++;
            }
            Assert.Equal(accepted, read);
        }
    }

    [Fact]
    public async Task Disposal_from_many_threads_amid_calls_and_crashes_leaves_nothing_running_and_answers_everything()
    {
        // Checks: 20 rounds; in each, 6 threads start, crash and query children of a pool and of the root
        // while 3 other threads dispose the tree at once. Every DisposeAsync completes, every call is
        // answered, and when disposal has completed no child body is still running and none starts later.
        for (var round = 0; round < 20; round++)
        {
            var bodies = 0;
            var disposed = 0;
            var startedAfterDisposal = 0;
            ChildDefinition Counted(string id) => ChildDefinition.Worker(id, async context =>
            {
                if (Volatile.Read(ref disposed) != 0)
                {
                    Interlocked.Increment(ref startedAfterDisposal);
                }
                Interlocked.Increment(ref bodies);
                try
                {
                    await Task.Delay(Timeout.Infinite, context.Stopping);
                }
                finally
                {
                    Interlocked.Decrement(ref bodies);
                }
            });
            var tree = await SupervisionTree.StartAsync(new SupervisorDefinition("root",
                Counted("a"), Counted("b"),
                ChildDefinition.Supervisor(new SupervisorDefinition("pool", Counted("w")) { Strategy = RestartStrategy.SimpleOneForOne, Intensity = 1000 }))
            { Intensity = 1000, PeriodSeconds = 1 });
            using var go = new Barrier(9);
            var callers = Enumerable.Range(0, 6).Select(t => Task.Factory.StartNew(async () =>
            {
                go.SignalAndWait();
                var calls = new List<Task>();
                for (var i = 0; i < 40; i++)
                {
                    calls.Add(tree.Supervisor("root/pool").StartInstanceAsync(i));
                    calls.Add(tree.Root.WhichChildrenAsync());
                    calls.Add(tree.Child(i % 2 == 0 ? "root/a" : "root/b").CrashAsync("boom"));
                    calls.Add(tree.Root.StartChildAsync(Counted($"x{t}-{i}")));
                }
                foreach (var call in calls)
                {
                    // Answered either way: a result, or noproc (which_children throws it) once the tree is gone.
                    await call.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default).WaitAsync(Bound);
                }
            }, TaskCreationOptions.LongRunning).Unwrap()).ToArray();
            var disposers = Enumerable.Range(0, 3).Select(_ => Task.Factory.StartNew(async () =>
            {
                go.SignalAndWait();
                await tree.DisposeAsync();
                Volatile.Write(ref disposed, 1);
            }, TaskCreationOptions.LongRunning).Unwrap()).ToArray();
            await Task.WhenAll(disposers).WaitAsync(Bound, TestContext.Current.CancellationToken);
            Assert.Equal(0, Volatile.Read(ref bodies));
            await Task.WhenAll(callers).WaitAsync(Bound, TestContext.Current.CancellationToken);
            Assert.True(tree.Completion.IsCompletedSuccessfully);
            Assert.Equal(0, Volatile.Read(ref startedAfterDisposal));
            Assert.Equal(0, Volatile.Read(ref bodies));
            Assert.Empty(tree.RogueTasks);
        }
    }

    [Fact]
    public async Task A_kill_asked_for_from_inside_a_child_supervisors_step_waits_until_that_step_ends()
    {
        // Checks: a worker's start runs on its supervisor's loop, inside one of its steps. It asks the parent
        // to kill that supervisor (exit/2), then watches its own Killed token for up to 200 ms before it
        // returns. The parent's loop handles the kill on another thread at once, but the step lock makes it
        // wait for the step: the token is never cancelled while the start is still running, and the kill
        // happens right after (the supervisor restarts). Five rounds. Without the step lock the kill lands
        // inside the step and the start sees its token cancelled.
        var tree = default(SupervisionTree);
        var rounds = 0;
        var killedDuringStep = 0;
        var seventhStart = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        bool Again()
        {
            // Start 1 is the tree's own init (no kill: the tree is not built yet); starts 2..6 each ask for a
            // kill, which restarts inner and so makes the next start; start 7 ends the test.
            var round = Interlocked.Increment(ref rounds);
            if (round == 7)
            {
                seventhStart.TrySetResult();
            }
            return round is > 1 and <= 6;
        }
        var inner = ChildDefinition.Supervisor(new SupervisorDefinition("inner",
            ChildDefinition.Worker("trigger", context => new KillOwnSupervisorOnStart(() => tree!, Again, () => Interlocked.Increment(ref killedDuringStep))))
        { Intensity = 100 });
        tree = await SupervisionTree.StartAsync(new SupervisorDefinition("root", inner) { Intensity = 100 });
        _ = tree.Child("root/inner").CrashAsync("killed");
        await seventhStart.Task.WaitAsync(Bound, TestContext.Current.CancellationToken);
        Assert.Equal(0, Volatile.Read(ref killedDuringStep));
        await tree.DisposeAsync();
    }

    /// <summary>While its supervisor's step runs its start, asks the parent to kill that supervisor and watches for the kill.</summary>
    private sealed class KillOwnSupervisorOnStart(Func<SupervisionTree> tree, Func<bool> again, Action killedDuringStep) : ISupervisedChild
    {
        public ValueTask<ChildStartResult> StartAsync(ChildContext context)
        {
            if (again())
            {
                _ = tree().Child("root/inner").CrashAsync("killed");
                var watch = System.Diagnostics.Stopwatch.StartNew();
                while (watch.ElapsedMilliseconds < 200)
                {
                    if (context.Killed.IsCancellationRequested)
                    {
                        killedDuringStep();
                        break;
                    }
                    Thread.SpinWait(100);
                }
            }
            return ValueTask.FromResult(ChildStartResult.Started);
        }

        public Task RunAsync(ChildContext context) => Task.Delay(Timeout.Infinite, context.Stopping);
    }
}
