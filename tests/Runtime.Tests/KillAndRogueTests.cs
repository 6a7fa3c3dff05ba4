using Supervision.Engine;
using Xunit;

namespace Supervision.Runtime.Tests;

/// <summary>
/// One incarnation at a time, as in OTP: a kill cancels a child's task and the supervisor waits for it to
/// end (at most the kill grace, on the tree's clock) before anything that follows the exit, a restart
/// included. Only a task that outlives the grace is abandoned, as a rogue. All on virtual time.
/// </summary>
public sealed class KillAndRogueTests
{
    /// <summary>A worker that logs its run and end (with the virtual time) and takes <paramref name="dyingMs"/> to end once killed or stopped.</summary>
    private static ChildDefinition SlowToDie(string id, List<string> log, int dyingMs, bool ignoreEverything = false) =>
        ChildDefinition.Worker(id, async context =>
        {
            Record(log, context, "run");
            try
            {
                if (ignoreEverything)
                {
                    await Task.Delay(Timeout.InfiniteTimeSpan, context.TimeProvider, CancellationToken.None);
                }
                await Task.Delay(Timeout.InfiniteTimeSpan, context.TimeProvider, context.Stopping).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing | ConfigureAwaitOptions.ContinueOnCapturedContext);
                await Task.Delay(TimeSpan.FromMilliseconds(dyingMs), context.TimeProvider, CancellationToken.None);
            }
            finally
            {
                Record(log, context, "end");
            }
        });

    /// <summary>The virtual clock's start (ManualTimeProvider's default epoch).</summary>
    private static readonly DateTimeOffset Epoch = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static void Record(List<string> log, ChildContext context, string what)
    {
        lock (log)
        {
            log.Add($"{(long)(context.TimeProvider.GetUtcNow() - Epoch).TotalMilliseconds} {what} {context.Path}#{context.Incarnation}");
        }
    }

    private static string At(long ms) => ms.ToString(System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void A_killed_childs_next_incarnation_starts_only_after_its_task_has_ended()
    {
        // Checks: one_for_all kills the brutal_kill worker `w` when its sibling crashes at 0; `w` takes 300 ms
        // (virtual) to end; the restart of the group waits for it: `end w#1` at 300 ms comes before `run w#2`
        // at 300 ms, and no rogue is declared (300 ms < the 1 s kill grace).
        var log = new List<string>();
        var tree = new VirtualTree(new SupervisorDefinition("root",
            SlowToDie("w", log, dyingMs: 300) with { Shutdown = ShutdownPolicy.BrutalKill },
            SlowToDie("trigger", log, dyingMs: 0))
        { Strategy = RestartStrategy.OneForAll, Intensity = 5 });
        tree.Run(() => tree.Tree.Child("root/trigger").CrashAsync("boom"), until: TimeSpan.FromSeconds(1));
        var ended = log.IndexOf($"{At(300)} end root/w#1");
        var rerun = log.IndexOf($"{At(300)} run root/w#2");
        Assert.True(ended >= 0 && rerun > ended, string.Join("\n", log));
        Assert.Empty(tree.Tree.RogueTasks);
        Assert.Equal(0, tree.Tree.Metrics.RogueTasks);
        tree.Run(() => tree.Tree.StopAsync(), until: tree.Now + TimeSpan.FromSeconds(1));
    }

    [Fact]
    public void A_task_that_outlives_the_kill_grace_is_rogue_and_only_then_does_the_next_incarnation_start()
    {
        // Checks: with KillGrace = 5 s, a worker ignoring every signal is killed at 0 (sibling crash,
        // one_for_all); at 5 s it is declared rogue (event at 5 s) and the group restarts at 5 s; the rogue
        // and the new incarnation then run side by side, the one case where that is allowed.
        var log = new List<string>();
        var tree = new VirtualTree(new SupervisorDefinition("root",
            SlowToDie("w", log, dyingMs: 0, ignoreEverything: true) with { Shutdown = ShutdownPolicy.BrutalKill },
            SlowToDie("trigger", log, dyingMs: 0))
        { Strategy = RestartStrategy.OneForAll, Intensity = 5 }, killGrace: TimeSpan.FromSeconds(5));
        var rogue = tree.Tree.WaitForAsync(e => e.Kind == SupervisionEventKind.RogueTask);
        tree.Run(() => tree.Tree.Child("root/trigger").CrashAsync("boom"), until: TimeSpan.FromSeconds(5));
        Assert.Equal(TimeSpan.FromSeconds(5), rogue.Result.At);
        Assert.DoesNotContain(log, line => line.Contains("run root/w#2", StringComparison.Ordinal) && !line.StartsWith(At(5000), StringComparison.Ordinal));
        Assert.Contains($"{At(5000)} run root/w#2", log);
        Assert.Equal(2, tree.Tree.Child("root/w").Incarnation);
        Assert.Equal("root/w", Assert.Single(tree.Tree.RogueTasks).Path);
    }

    [Fact]
    public void An_infinite_kill_grace_waits_for_ever_and_never_declares_a_rogue()
    {
        // Checks: KillGrace = infinite: a worker that ignores its kill holds its restart back for as long as it
        // runs (here 60 virtual seconds, until the test lets it end); no rogue at any point.
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var runs = 0;
        var tree = new VirtualTree(new SupervisorDefinition("root",
            ChildDefinition.Worker("w", async context =>
            {
                if (++runs == 1)
                {
                    await release.Task; // ignores its kill: ends only when the test lets it
                    return;
                }
                await Task.Delay(Timeout.Infinite, context.Stopping);
            }) with { Shutdown = ShutdownPolicy.BrutalKill },
            ChildDefinition.Worker("trigger", context => Task.Delay(Timeout.Infinite, context.Stopping)))
        { Strategy = RestartStrategy.OneForAll, Intensity = 5 }, killGrace: Timeout.InfiniteTimeSpan);
        tree.Run(() => tree.Tree.Child("root/trigger").CrashAsync("boom"), until: TimeSpan.FromSeconds(60));
        Assert.Equal(1, runs);
        Assert.Empty(tree.Tree.RogueTasks);
        tree.Scheduler.Post("test", () => release.SetResult());
        tree.AdvanceTo(TimeSpan.FromSeconds(60));
        Assert.Equal(2, runs);
        Assert.Equal(0, tree.Tree.Metrics.RogueTasks);
    }

    [Fact]
    public void Completion_waits_for_every_killed_task_and_termination_lists_the_rogue_ones()
    {
        // Checks: stopping a tree whose brutal_kill child takes 300 ms to die completes at 300 ms, not at 0;
        // a second child that ignores everything is rogue after the 1 s grace and is listed in Termination,
        // still running, while Completion has the root's reason.
        var log = new List<string>();
        var tree = new VirtualTree(new SupervisorDefinition("root",
            SlowToDie("stubborn", log, dyingMs: 0, ignoreEverything: true) with { Shutdown = ShutdownPolicy.BrutalKill },
            SlowToDie("slow", log, dyingMs: 300) with { Shutdown = ShutdownPolicy.BrutalKill }));
        tree.Scheduler.Post("test", () => _ = tree.Tree.StopAsync());
        tree.AdvanceTo(TimeSpan.FromMilliseconds(299));
        Assert.False(tree.Tree.Completion.IsCompleted);
        tree.AdvanceTo(TimeSpan.FromMilliseconds(300));
        Assert.False(tree.Tree.Completion.IsCompleted, "the stubborn child's kill grace has not run out yet");
        tree.AdvanceTo(TimeSpan.FromMilliseconds(1300));
        Assert.True(tree.Tree.Completion.IsCompletedSuccessfully);
        Assert.Equal(ExitReason.Shutdown, tree.Tree.Completion.Result);
        var termination = tree.Tree.Termination.Result;
        Assert.Equal("root/stubborn", Assert.Single(termination.RogueTasks).Path);
        Assert.False(termination.RogueTasks[0].Ended.IsCompleted);
        Assert.Contains($"{At(300)} end root/slow#1", log);
    }

    [Fact]
    public void A_start_that_times_out_never_runs_its_body_and_its_task_is_waited_for()
    {
        // Checks: StartTimeout 5 s. A start that honours its Stopping token fails with start_timeout at 5 s
        // exactly; one that ignores it and completes Started at 10 s fails at 6 s (5 s + the 1 s kill grace,
        // rogue) and its body never runs, not even after its start has completed.
        var bodies = 0;
        var tree = new VirtualTree(new SupervisorDefinition("root") { Intensity = 5 }, startTimeout: TimeSpan.FromSeconds(5));
        var polite = tree.Run(() => tree.Tree.Root.StartChildAsync(ChildDefinition.Worker("polite", context => new SlowStart(TimeSpan.FromSeconds(10), context.Stopping, () => bodies++))), until: TimeSpan.FromSeconds(5));
        Assert.Equal(new StartChildResult(StartChildStatus.Failed, "start_timeout", null), polite);
        Assert.Equal(TimeSpan.FromSeconds(5), tree.Now);
        Assert.Empty(tree.Tree.RogueTasks);
        var deaf = tree.Run(() => tree.Tree.Root.StartChildAsync(ChildDefinition.Worker("deaf", _ => new SlowStart(TimeSpan.FromSeconds(10), CancellationToken.None, () => bodies++))), until: TimeSpan.FromSeconds(11));
        Assert.Equal(new StartChildResult(StartChildStatus.Failed, "start_timeout", null), deaf);
        Assert.Equal(TimeSpan.FromSeconds(11), tree.Now);
        Assert.Equal(1, tree.Tree.Metrics.RogueTasks);
        tree.AdvanceTo(TimeSpan.FromSeconds(30));
        Assert.Equal(0, bodies);
        Assert.Empty(tree.Tree.RogueTasks);
        tree.Stop();
    }

    /// <summary>A start phase that takes <c>delay</c> (virtual) unless <c>cancel</c> fires, then starts a body that counts its runs.</summary>
    private sealed class SlowStart(TimeSpan delay, CancellationToken cancel, Action bodyRan) : ISupervisedChild
    {
        public async ValueTask<ChildStartResult> StartAsync(ChildContext context)
        {
            await Task.Delay(delay, context.TimeProvider, cancel);
            return ChildStartResult.Started;
        }

        public Task RunAsync(ChildContext context)
        {
            bodyRan();
            return Task.Delay(Timeout.Infinite, context.Stopping);
        }
    }
}
