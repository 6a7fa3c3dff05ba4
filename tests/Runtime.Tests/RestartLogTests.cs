using Microsoft.Extensions.Logging;
using Supervision.Engine;
using Xunit;

namespace Supervision.Runtime.Tests;

/// <summary>
/// Logs a reader can act on: each restart entry says which child, why (the exception's type and message), what
/// the strategy does to its siblings and the budget; group restarts and exits say whom they stopped; give-up
/// and exit entries stay small however large the intensity or the tree. Virtual time.
/// </summary>
public sealed class RestartLogTests
{
    private static ChildDefinition Forever(string id) => ChildDefinition.Worker(id, context => Task.Delay(Timeout.Infinite, context.Stopping));

    /// <summary>A worker whose every incarnation throws <paramref name="error"/> one virtual second after it starts.</summary>
    private static ChildDefinition ThrowsAfterOneSecond(string id, Func<Exception> error) => ChildDefinition.Worker(id, async context =>
    {
        await Task.Delay(TimeSpan.FromSeconds(1), context.TimeProvider, context.Stopping);
        throw error();
    });

    [Fact]
    public void Each_restart_entry_names_the_child_the_exception_the_action_and_the_budget()
    {
        // Checks: a child throwing InvalidOperationException("disk full") every second under intensity 3 in 5 s:
        // four child_terminated entries (event 2) carry the exception, its type and message in the text, the
        // action and "n of 3 restarts in 5 s" with n = 1..4; the fourth says the supervisor gives up.
        var logs = new RecordingLoggerProvider();
        using var factory = logs.Factory();
        var tree = new VirtualTree(new SupervisorDefinition("root", ThrowsAfterOneSecond("a", () => new InvalidOperationException("disk full")))
        { Intensity = 3, PeriodSeconds = 5 }, loggers: factory);
        tree.AdvanceTo(TimeSpan.FromSeconds(4));

        var terminated = logs.WithId(2);
        Assert.Equal([1, 2, 3, 4], terminated.Select(e => (int)e.Values["RestartsInWindow"]!));
        Assert.All(terminated, entry =>
        {
            Assert.Equal("child_terminated", entry.Id.Name);
            Assert.Equal("root/a", entry.Values["Child"]);
            Assert.Equal("disk full", Assert.IsType<InvalidOperationException>(entry.Exception).Message);
            Assert.Contains("reason InvalidOperationException (disk full)", entry.Message, StringComparison.Ordinal);
        });
        Assert.Contains("one_for_one: restarting it; 1 of 3 restarts in 5 s", terminated[0].Message, StringComparison.Ordinal);
        Assert.Contains("3 of 3 restarts in 5 s", terminated[2].Message, StringComparison.Ordinal);
        Assert.Contains("the supervisor gives up; 4 of 3 restarts in 5 s", terminated[3].Message, StringComparison.Ordinal);

        var gaveUp = Assert.Single(logs.WithId(5));
        Assert.Equal("reached_max_restart_intensity", gaveUp.Id.Name);
        Assert.Contains("4 restarts in 5 s exceed 3, the last after child root/a terminated with reason InvalidOperationException", gaveUp.Message, StringComparison.Ordinal);
        var exited = Assert.Single(logs.WithId(21));
        Assert.Equal("supervisor_exited", exited.Id.Name);
        Assert.Equal("gave up", exited.Values["Cause"]);
        Assert.Equal(ExitReason.Shutdown, tree.Tree.Completion.Result);
    }

    [Fact]
    public void A_rest_for_one_restart_says_which_siblings_it_stopped_and_restarts()
    {
        // Checks: rest_for_one over a, b, c, d; b crashes: event 2 says the strategy restarts b and the children
        // started after it; event 20 (group_restart) names the stopped siblings (newest first: d, c) and the
        // children restarted (oldest first: b, c, d). a is neither.
        var logs = new RecordingLoggerProvider();
        using var factory = logs.Factory();
        var tree = new VirtualTree(new SupervisorDefinition("root", Forever("a"), Forever("b"), Forever("c"), Forever("d"))
        { Strategy = RestartStrategy.RestForOne, Intensity = 3 }, loggers: factory);
        tree.Run(() => tree.Tree.Child("root/b").CrashAsync("boom"));

        var terminated = Assert.Single(logs.WithId(2));
        Assert.Contains("child root/b terminated with reason boom; rest_for_one: restarting it and the children started after it; 1 of 3 restarts in 5 s", terminated.Message, StringComparison.Ordinal);
        var group = Assert.Single(logs.WithId(20));
        Assert.Equal(("group_restart", LogLevel.Warning), (group.Id.Name, group.Level));
        Assert.Equal(("root/b", "root/d, root/c", "root/b, root/c, root/d"), (group.Values["Child"], group.Values["Stopped"], group.Values["Restarting"]));
        Assert.Equal(2, tree.Tree.Child("root/d").Incarnation);
        Assert.Equal(1, tree.Tree.Child("root/a").Incarnation);
        tree.Stop();
    }

    [Fact]
    public void A_one_for_all_restart_names_every_sibling_and_a_one_for_one_restart_has_no_group_entry()
    {
        // Checks: one_for_all over a, b, c; a crashes: stopped c, b (newest first), restarting a, b, c. Then the
        // same crash under one_for_one writes no group_restart entry.
        var logs = new RecordingLoggerProvider();
        using var factory = logs.Factory();
        var tree = new VirtualTree(new SupervisorDefinition("root", Forever("a"), Forever("b"), Forever("c"))
        { Strategy = RestartStrategy.OneForAll, Intensity = 3 }, loggers: factory);
        tree.Run(() => tree.Tree.Child("root/a").CrashAsync("boom"));
        var group = Assert.Single(logs.WithId(20));
        Assert.Equal(("root/c, root/b", "root/a, root/b, root/c"), (group.Values["Stopped"], group.Values["Restarting"]));
        Assert.Contains("one_for_all: restarting every child", Assert.Single(logs.WithId(2)).Message, StringComparison.Ordinal);
        tree.Stop();

        var single = new RecordingLoggerProvider();
        using var singleFactory = single.Factory();
        var oneForOne = new VirtualTree(new SupervisorDefinition("root", Forever("a"), Forever("b")) { Intensity = 3 }, loggers: singleFactory);
        oneForOne.Run(() => oneForOne.Tree.Child("root/a").CrashAsync("boom"));
        Assert.Single(single.WithId(2));
        Assert.Empty(single.WithId(20));
        oneForOne.Stop();
    }

    [Fact]
    public void A_give_up_after_five_thousand_restarts_with_long_reasons_writes_a_small_entry_with_the_exact_count()
    {
        // Checks: intensity 5,000; 5,001 crashes, each with its own 4,000-character reason (listing every attempt
        // would make a 20 MB entry, as the 22 MB line): event 5 stays under 8 KB, counts all 5,001
        // attempts, names the last and cuts the quoted reasons; no entry of the run reaches 8 KB.
        var logs = new RecordingLoggerProvider();
        using var factory = logs.Factory(LogLevel.Information);
        var tree = new VirtualTree(new SupervisorDefinition("root", Forever("a")) { Intensity = 5_000, PeriodSeconds = 3600 }, loggers: factory);
        var filler = new string('x', 4_000);
        tree.Run(async () =>
        {
            var child = tree.Tree.Child("root/a");
            for (var i = 0; i <= 5_000; i++)
            {
                await child.CrashAsync($"r{i}{filler}");
            }
        });
        Assert.True(tree.Tree.Completion.IsCompleted);

        var gaveUp = Assert.Single(logs.WithId(5));
        Assert.True(gaveUp.Message.Length < 8 * 1024, $"the give-up entry has {gaveUp.Message.Length:N0} characters");
        Assert.Equal(5_001, gaveUp.Values["RestartsInWindow"]);
        Assert.Contains("5001 attempts from 0 ms to 0 ms", gaveUp.Message, StringComparison.Ordinal);
        Assert.Contains("terminated with reason r5000xxx", gaveUp.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(filler[..600], gaveUp.Message, StringComparison.Ordinal);
        Assert.All(logs.Entries, entry => Assert.True(entry.Message.Length < 8 * 1024, $"event {entry.Id} has {entry.Message.Length:N0} characters"));
    }

    [Fact]
    public void An_exit_that_stops_five_hundred_children_names_twenty_and_counts_the_rest()
    {
        // Checks: a stopped root with 500 children writes one supervisor_exited entry that counts 500 stopped
        // children, names the newest 20 (c499 first) and says "and 480 more".
        var logs = new RecordingLoggerProvider();
        using var factory = logs.Factory(LogLevel.Information);
        var tree = new VirtualTree(new SupervisorDefinition("root", Enumerable.Range(0, 500).Select(i => Forever($"c{i}")).ToList()), loggers: factory);
        tree.Stop();
        var exited = Assert.Single(logs.WithId(21));
        Assert.Equal(500, exited.Values["StoppedCount"]);
        Assert.Equal("stopped", exited.Values["Cause"]);
        var stopped = (string)exited.Values["Stopped"]!;
        Assert.StartsWith("root/c499, root/c498, ", stopped, StringComparison.Ordinal);
        Assert.EndsWith("root/c480 and 480 more", stopped, StringComparison.Ordinal);
    }

    [Fact]
    public void A_huge_exception_message_is_cut_in_the_text_and_kept_whole_on_the_entry()
    {
        // Checks: a 100,000-character exception message: the child_terminated text quotes at most 500 characters
        // of it (on one line), the exception on the entry is the original.
        var logs = new RecordingLoggerProvider();
        using var factory = logs.Factory();
        var message = "first line\n" + new string('m', 100_000);
        var tree = new VirtualTree(new SupervisorDefinition("root", ThrowsAfterOneSecond("a", () => new FormatException(message))) { Intensity = 3 }, loggers: factory);
        tree.AdvanceTo(TimeSpan.FromSeconds(1));
        var entry = Assert.Single(logs.WithId(2));
        Assert.Same(message, entry.Exception!.Message);
        Assert.True(entry.Message.Length < 1000, $"the entry has {entry.Message.Length:N0} characters");
        Assert.Contains("(first line mmm", entry.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', entry.Message);
        tree.Stop();
    }
}
