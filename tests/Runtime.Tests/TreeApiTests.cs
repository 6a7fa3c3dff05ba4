using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Supervision.Engine;
using Xunit;

namespace Supervision.Runtime.Tests;

/// <summary>The tree handle: dynamic API, nested trees, observability, and what user tests need.</summary>
public sealed class TreeApiTests
{
    private static ChildDefinition Forever(string id) => ChildDefinition.Worker(id, context => Task.Delay(Timeout.Infinite, context.Stopping));

    [Fact]
    public void The_dynamic_api_answers_as_OTP_does()
    {
        // Checks: start_child ok/already_started, terminate ok, restart ok, delete running/ok, not_found, counts.
        var tree = new VirtualTree(new SupervisorDefinition("root", Forever("a")));
        var root = tree.Tree.Root;
        Assert.Equal(new StartChildResult(StartChildStatus.Started, null, "root/b"), tree.Run(() => root.StartChildAsync(Forever("b"))));
        Assert.Equal("already_started", tree.Run(() => root.StartChildAsync(Forever("b"))).Error);
        Assert.Equal("running", tree.Run(() => root.DeleteChildAsync("b")).Error);
        Assert.True(tree.Run(() => root.TerminateChildAsync("a")).Succeeded);
        Assert.Equal("already_present", tree.Run(() => root.StartChildAsync(Forever("a"))).Error);
        Assert.Equal(StartChildStatus.Started, tree.Run(() => root.RestartChildAsync("a")).Status);
        Assert.Equal("not_found", tree.Run(() => root.TerminateChildAsync("zzz")).Error);
        Assert.True(tree.Run(() => root.TerminateChildAsync("b")).Succeeded);
        Assert.True(tree.Run(() => root.DeleteChildAsync("b")).Succeeded);
        Assert.Equal(new ChildCounts(1, 1, 0, 1), tree.Run(() => root.CountChildrenAsync()));
        Assert.Equal(2, tree.Tree.Child("root/a").Incarnation);
        tree.Stop();
        Assert.Equal("noproc", tree.Run(() => root.TerminateChildAsync("a")).Error);
        Assert.Throws<SupervisorNotRunningException>(() => tree.Run(() => root.WhichChildrenAsync()));
    }

    [Fact]
    public void Simple_one_for_one_instances_start_with_arguments_and_terminate_by_number()
    {
        // Checks: instances get their arguments and numbers; terminate_child by id is refused as in OTP.
        var seen = new List<object?>();
        var pool = new SupervisorDefinition("pool", ChildDefinition.Worker("w", context =>
        {
            seen.Add(context.Arguments);
            return Task.Delay(Timeout.Infinite, context.Stopping);
        }) with { Restart = RestartType.Temporary }) { Strategy = RestartStrategy.SimpleOneForOne };
        var tree = new VirtualTree(pool);
        Assert.Equal("pool/w#1", tree.Run(() => tree.Tree.Root.StartInstanceAsync("first")).ChildPath);
        Assert.Equal("pool/w#2", tree.Run(() => tree.Tree.Root.StartInstanceAsync("second")).ChildPath);
        Assert.Equal(["first", "second"], seen);
        Assert.Equal("simple_one_for_one", tree.Run(() => tree.Tree.Root.TerminateChildAsync("w")).Error);
        Assert.True(tree.Run(() => tree.Tree.Root.TerminateInstanceAsync(1)).Succeeded);
        Assert.Equal(["pool/w#2"], tree.Run(() => tree.Tree.Root.WhichChildrenAsync()).Select(c => c.Path));
        tree.Stop();
    }

    [Fact]
    public void Instances_gone_for_good_leave_nothing_behind_and_restarted_ones_keep_their_path()
    {
        // Checks: 500 temporary instances that end at once leave no per-path state in the tree (a long-lived
        // pool must not grow); a permanent instance that crashes is restarted under the same path with
        // incarnation 2 and stays tracked; terminating it forgets it.
        static ChildDefinition Worker() => ChildDefinition.Worker("w", context =>
            context.Arguments is "stay" ? Task.Delay(Timeout.Infinite, context.Stopping) : Task.CompletedTask);
        var temporary = new SupervisorDefinition("temp", Worker() with { Restart = RestartType.Temporary }) { Strategy = RestartStrategy.SimpleOneForOne };
        var permanent = new SupervisorDefinition("perm", Worker()) { Strategy = RestartStrategy.SimpleOneForOne, Intensity = 10 };
        var tree = new VirtualTree(new SupervisorDefinition("root", ChildDefinition.Supervisor(temporary), ChildDefinition.Supervisor(permanent)));
        Assert.True(tree.Tree.TryGetSupervisor("root/temp", out var temp));
        Assert.True(tree.Tree.TryGetSupervisor("root/perm", out var perm));
        var known = tree.Tree.Registry.Count; // the two pools themselves
        Assert.Equal("root/temp/w#1", tree.Run(() => tree.Tree.Supervisor("root/temp").StartInstanceAsync("stay")).ChildPath);
        for (var i = 0; i < 500; i++)
        {
            Assert.Equal(StartChildStatus.Started, tree.Run(() => tree.Tree.Supervisor("root/temp").StartInstanceAsync("leave")).Status);
        }
        Assert.Single(tree.Run(() => tree.Tree.Supervisor("root/temp").WhichChildrenAsync()));
        Assert.Equal(1, temp.TrackedPathCount);
        Assert.Equal(known + 1, tree.Tree.Registry.Count);

        Assert.Equal("root/perm/w#1", tree.Run(() => tree.Tree.Supervisor("root/perm").StartInstanceAsync("stay")).ChildPath);
        Assert.True(tree.Run(() => tree.Tree.Child("root/perm/w#1").CrashAsync("boom")));
        Assert.Equal(2, tree.Tree.Child("root/perm/w#1").Incarnation);
        Assert.True(tree.Tree.Child("root/perm/w#1").IsRunning);
        Assert.Equal(1, perm.TrackedPathCount);
        Assert.True(tree.Run(() => tree.Tree.Supervisor("root/perm").TerminateInstanceAsync(1)).Succeeded);
        Assert.Equal(0, perm.TrackedPathCount);
        Assert.Equal(0, tree.Tree.Child("root/perm/w#1").Incarnation);
        Assert.Equal(known + 1, tree.Tree.Registry.Count);
        tree.Stop();
    }

    [Fact]
    public void A_nested_supervisor_that_gives_up_is_restarted_by_its_parent_with_fresh_children()
    {
        // Checks: the inner supervisor exceeds intensity, exits shutdown, and its permanent parent restarts it.
        var inner = new SupervisorDefinition("inner", Forever("a")) { Intensity = 0 };
        var tree = new VirtualTree(new SupervisorDefinition("root", ChildDefinition.Supervisor(inner), Forever("z")) { Intensity = 3 });
        var gaveUp = tree.Tree.WhenGaveUpAsync("root/inner");
        var innerRestarted = tree.Tree.WaitForAsync(e => e.Kind == SupervisionEventKind.SupervisorStarted && e.SupervisorPath == "root/inner");
        Assert.True(tree.Run(() => tree.Tree.Child("root/inner/a").CrashAsync("boom")));
        Assert.True(gaveUp.IsCompletedSuccessfully);
        Assert.True(innerRestarted.IsCompletedSuccessfully);
        Assert.Equal(2, tree.Tree.Child("root/inner").Incarnation);
        Assert.True(tree.Tree.Child("root/inner/a").IsRunning);
        Assert.True(tree.Tree.Supervisor("root/inner").IsRunning);
        tree.Stop();
    }

    [Fact]
    public void The_give_up_report_carries_the_restart_window_in_the_log_and_the_event()
    {
        // Checks: EventId 5 (reached_max_restart_intensity) names every counted attempt; the GaveUp event has them too.
        var logs = new RecordingLoggerProvider();
        using var factory = LoggerFactory.Create(builder => builder.AddProvider(logs).SetMinimumLevel(LogLevel.Information));
        var tree = new VirtualTree(new SupervisorDefinition("root", Forever("a"), Forever("b")) { Intensity = 1 }, loggers: factory);
        var gaveUp = tree.Tree.WhenGaveUpAsync("root");
        tree.Run(() => tree.Tree.Child("root/a").CrashAsync("first"));
        tree.AdvanceTo(TimeSpan.FromMilliseconds(1500));
        tree.Run(() => tree.Tree.Child("root/b").CrashAsync("second"));
        Assert.Equal(["a:first", "b:second"], gaveUp.Result.RestartWindow!.Select(r => $"{r.ChildId}:{r.Reason}"));
        var entry = Assert.Single(logs.Entries, e => e.Id.Id == 5);
        Assert.Equal(LogLevel.Error, entry.Level);
        Assert.Contains("0 ms a first", entry.Message);
        Assert.Contains("1500 ms b second", entry.Message);
        Assert.Contains(logs.Entries, e => e.Id.Id == 2 && e.Message.Contains("root/a", StringComparison.Ordinal));
        Assert.Equal(ExitReason.Shutdown, tree.Tree.Completion.Result);
    }

    [Fact]
    public void Metrics_count_restarts_exits_and_live_children_and_no_rogue_task_for_children_that_honour_their_signals()
    {
        // Checks: the documented instruments under the documented meter move as children start, crash and stop.
        var totals = new Dictionary<string, long>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == SupervisionMetrics.MeterName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            var mine = false;
            foreach (var tag in tags)
            {
                mine |= tag.Key == "tree" && (string?)tag.Value == "metrics-root";
            }
            if (!mine)
            {
                return; // The meter is shared: other tests' trees report into it too.
            }
            lock (totals)
            {
                totals[instrument.Name] = totals.GetValueOrDefault(instrument.Name) + value;
            }
        });
        listener.Start();
        var tree = new VirtualTree(new SupervisorDefinition("metrics-root", Forever("a"), Forever("b") with { Shutdown = ShutdownPolicy.BrutalKill }) { Intensity = 5 });
        tree.Run(() => tree.Tree.Child("metrics-root/a").CrashAsync("boom"));
        tree.Stop();
        Assert.Equal(1, totals["supervision.restarts"]);
        Assert.Equal(3, totals["supervision.child.exits"]);
        Assert.Equal(0, totals["supervision.children.live"]);
        // The crash injection and the brutal kill both cancel tasks that end at once: nothing is rogue.
        Assert.False(totals.ContainsKey("supervision.tasks.rogue"));
    }

    [Fact]
    public void The_event_stream_sees_a_crash_and_the_restart_in_order()
    {
        // Checks: EventsAsync yields ChildTerminated then ChildStarted for a crash, on the tree's virtual clock.
        var tree = new VirtualTree(new SupervisorDefinition("root", Forever("a")) { Intensity = 5 });
        var seen = tree.Run(async () =>
        {
            var collecting = Collect(tree.Tree.EventsAsync(), 2);
            await tree.Tree.Child("root/a").CrashAsync("boom");
            return await collecting;
        });
        Assert.Equal([SupervisionEventKind.ChildTerminated, SupervisionEventKind.ChildStarted], seen.Select(e => e.Kind));
        Assert.All(seen, e => Assert.Equal("root/a", e.ChildPath));
        tree.Stop();

        static async Task<List<SupervisionEvent>> Collect(IAsyncEnumerable<SupervisionEvent> events, int count)
        {
            var list = new List<SupervisionEvent>();
            await foreach (var e in events)
            {
                list.Add(e);
                if (list.Count == count)
                {
                    break;
                }
            }
            return list;
        }
    }

    [Fact]
    public void A_user_test_crashes_a_child_and_awaits_its_restart_without_sleeping()
    {
        // Checks: the README's testing pattern: crash injection + awaitable notification + handle across restarts.
        var tree = new VirtualTree(new SupervisorDefinition("root", Forever("worker")) { Intensity = 3 });
        var handle = tree.Tree.Child("root/worker");
        tree.Run(async () =>
        {
            var restarted = handle.WhenStartedAsync();
            Assert.True(await handle.CrashAsync("boom"));
            await restarted;
        });
        Assert.Equal(2, handle.Incarnation);
        Assert.Equal(TimeSpan.Zero, tree.Now);
        tree.Stop();
    }

    [Fact]
    public void A_thousand_children_start_and_stop_with_nothing_left_running()
    {
        // Checks: 1,000 children start in order and stop newest first; every body has ended; no work is pending.
        var live = 0;
        var order = new List<int>();
        var children = Enumerable.Range(0, 1000).Select(i => ChildDefinition.Worker($"c{i}", async context =>
        {
            live++;
            try
            {
                await Task.Delay(Timeout.Infinite, context.Stopping);
            }
            finally
            {
                live--;
                order.Add(i);
            }
        })).ToList();
        var tree = new VirtualTree(new SupervisorDefinition("root", children));
        Assert.Equal(1000, live);
        tree.Stop();
        Assert.Equal(0, live);
        Assert.Equal(Enumerable.Range(0, 1000).Reverse(), order);
        Assert.Equal(0, tree.Scheduler.ReadyCount);
        Assert.False(tree.Scheduler.Clock.TryGetNextDue(out _));
    }
}
