using Supervision.Simulation.Replay;
using Supervision.Simulation.Scenarios;
using Supervision.Simulation.Timeline;
using Xunit;

namespace Supervision.Engine.Tests.Timeline;

/// <summary>
/// The timeline's model of a run (lanes, lives, restart episodes, intensity budgets) on small scenarios. Every
/// expected value is worked out by hand from the scenario and the OTP rules (a strategy's stops and restarts,
/// intensity counted per whole second with an inclusive period), not read off the builder's output.
/// </summary>
public sealed class TimelineModelTests
{
    /// <summary>one_for_all, 2 restarts in 10 s: crashes at 1 s and 2 s are restarted, the third at 3 s is one too many.</summary>
    private const string OneForAllGivesUp = """
        { "name": "one_for_all gives up on the third crash",
          "tree": { "id": "root", "strategy": "one_for_all", "intensity": 2, "period": 10,
            "children": [ { "id": "a" }, { "id": "b" }, { "id": "c" } ] },
          "steps": [
            { "at": 1000, "exit": "root/b", "reason": "crash" },
            { "at": 2000, "exit": "root/a", "reason": "crash" },
            { "at": 3000, "exit": "root/c", "reason": "boom" } ] }
        """;

    /// <summary>rest_for_one restarts b and what follows it (c and the supervisor s), never a; s restarts only w; t is temporary.</summary>
    private const string RestForOneAndNested = """
        { "tree": { "id": "root", "strategy": "rest_for_one", "intensity": 5, "period": 5,
            "children": [ { "id": "a" }, { "id": "b" }, { "id": "c" },
              { "id": "s", "strategy": "one_for_one", "intensity": 3, "period": 5,
                "children": [ { "id": "w" }, { "id": "t", "restart": "temporary" } ] } ] },
          "steps": [
            { "at": 500, "exit": "root/b", "reason": "crash" },
            { "at": 700, "exit": "root/s/w", "reason": "oops" },
            { "at": 900, "exit": "root/s/t", "reason": "crash" } ] }
        """;

    /// <summary>
    /// One restart in 1 s: the attempt of second 1 has left the window by second 3 (3 - 1 &gt; 1), so the crash at 3.5 s is
    /// allowed; the one at 4.2 s (second 4, and 4 - 3 &lt;= 1) makes two in the window and the supervisor gives up.
    /// </summary>
    private const string WindowForgets = """
        { "tree": { "id": "root", "strategy": "one_for_one", "intensity": 1, "period": 1, "children": [ { "id": "w" } ] },
          "steps": [
            { "at": 1000, "exit": "root/w", "reason": "crash" },
            { "at": 2000, "call": "which_children", "sup": "root" },
            { "at": 3500, "exit": "root/w", "reason": "crash" },
            { "at": 4200, "exit": "root/w", "reason": "crash" } ] }
        """;

    private static TimelineModel Model(string json)
    {
        var scenario = ScenarioReader.Parse(json, "test.json");
        var result = ScenarioSimulator.Run(scenario, includeReports: true);
        return TimelineBuilder.Build(scenario, result.Lines, "engine", TimelineLimits.Default);
    }

    private static HashSet<string> Set(params string[] paths) => [.. paths];

    [Fact]
    public void Lanes_are_one_per_child_in_tree_order()
    {
        // Checks: the root, then each child depth first in spec order, with depths and supervisor flags from the tree.
        var model = Model(RestForOneAndNested);
        Assert.Equal(["root", "root/a", "root/b", "root/c", "root/s", "root/s/w", "root/s/t"], model.Lanes.Select(l => l.Path));
        Assert.Equal([0, 1, 1, 1, 1, 2, 2], model.Lanes.Select(l => l.Depth));
        Assert.Equal(["root", "root/s"], model.Lanes.Where(l => l.IsSupervisor).Select(l => l.Path));
        Assert.All(model.Lanes, lane => Assert.True(lane.Row >= 0, $"{lane.Path} is drawn"));
    }

    [Fact]
    public void Each_crash_and_restart_gives_a_child_a_new_life()
    {
        // Checks: a, b and c each live three times (0-1 s, 1-2 s, 2-3 s), every life closed by an exit or a stop;
        // the root lives once, from its children's first start (its init) through its own start to its exit at 3 s.
        var model = Model(OneForAllGivesUp);
        foreach (var child in new[] { "root/a", "root/b", "root/c" })
        {
            var lives = model.LaneByPath[child].Segments;
            Assert.Equal([(0L, 1000L), (1000L, 2000L), (2000L, 3000L)], lives.Select(s => (model.Events[s.Started].AtMs, model.Events[s.End].AtMs)));
            Assert.All(lives, s => Assert.Equal(SegmentEnd.Ended, s.How));
        }
        var root = Assert.Single(model.LaneByPath["root"].Segments);
        Assert.Equal((TimelineEventKind.Start, "root/a"), (model.Events[root.Begin].Kind, model.Events[root.Begin].Path));
        Assert.Equal((TimelineEventKind.Start, "root"), (model.Events[root.Started].Kind, model.Events[root.Started].Path));
        Assert.Equal((TimelineEventKind.Exit, "root", "shutdown", 3000L), (model.Events[root.End].Kind, model.Events[root.End].Path, model.Events[root.End].Detail, model.Events[root.End].AtMs));
    }

    [Fact]
    public void One_for_all_restarts_are_grouped_over_every_child_and_the_third_crash_is_a_give_up()
    {
        // Checks: two one_for_all episodes, each over all three children, caused by b then a; then a give-up caused
        // by c (boom) that takes the stops of a and b and the root's own exit; one give-up mark on the root's lane.
        var model = Model(OneForAllGivesUp);
        Assert.Equal(3, model.Episodes.Count);
        var (first, second, last) = (model.Episodes[0], model.Episodes[1], model.Episodes[2]);
        Assert.Equal(("root", "one_for_all", "root/b", "crash", false), (first.Supervisor, first.Strategy, first.Cause, first.Reason, first.GaveUp));
        Assert.Equal(Set("root/a", "root/b", "root/c"), first.Children.ToHashSet());
        Assert.Equal(("root/a", "crash", false), (second.Cause, second.Reason, second.GaveUp));
        Assert.Equal(Set("root/a", "root/b", "root/c"), second.Children.ToHashSet());
        Assert.Equal(("root/c", "boom", true), (last.Cause, last.Reason, last.GaveUp));
        Assert.Equal(Set("root/a", "root/b"), last.Children.ToHashSet());
        Assert.Equal((TimelineEventKind.Exit, "root"), (model.Events[last.Last].Kind, model.Events[last.Last].Path));
        // Each episode starts after the exit that caused it, which is the cause's own mark.
        Assert.Equal((TimelineEventKind.Exit, "root/b", 1000L), (model.Events[first.CauseEvent].Kind, model.Events[first.CauseEvent].Path, model.Events[first.CauseEvent].AtMs));
        Assert.All(model.Episodes, e => Assert.True(e.CauseEvent < e.First));
        var giveUp = Assert.Single(model.Events, e => e.Kind == TimelineEventKind.GiveUp);
        Assert.Equal(("root", 3000L), (giveUp.Path, giveUp.AtMs));
    }

    [Fact]
    public void Rest_for_one_groups_the_later_siblings_only_and_a_nested_supervisor_has_its_own_episode()
    {
        // Checks: root's episode (rest_for_one, cause b) covers b, c and s but not a; s's episode (one_for_one,
        // cause w) covers w only; the temporary t's crash makes no episode; the final shutdown is none either.
        var model = Model(RestForOneAndNested);
        Assert.Equal(2, model.Episodes.Count);
        var (root, nested) = (model.Episodes[0], model.Episodes[1]);
        Assert.Equal(("root", "rest_for_one", "root/b", false), (root.Supervisor, root.Strategy, root.Cause, root.GaveUp));
        Assert.Equal(Set("root/b", "root/c", "root/s"), root.Children.ToHashSet());
        Assert.Equal(("root/s", "one_for_one", "root/s/w", "oops"), (nested.Supervisor, nested.Strategy, nested.Cause, nested.Reason));
        Assert.Equal(["root/s/w"], nested.Children);
        Assert.All(model.Episodes, e => Assert.Equal(1, e.Attempts));
    }

    [Fact]
    public void The_budget_counts_restart_attempts_per_window_and_ends_over_the_limit_at_the_give_up()
    {
        // Checks: root's budget (2 in 10 s) counts 1, 2, 3 at 1 s, 2 s, 3 s (3 is over the limit), gives up once.
        var model = Model(OneForAllGivesUp);
        var budget = Assert.Single(model.Budgets);
        Assert.Equal(("root", 2, 10), (budget.Supervisor, budget.Intensity, budget.PeriodSeconds));
        Assert.Equal([(1000L, 1), (2000L, 2), (3000L, 3)], budget.Points.Where(p => p.Event >= 0).Select(p => (p.AtMs, p.Count)));
        Assert.Equal((3, 3), (budget.Attempts, budget.Peak));
        Assert.Single(budget.GiveUps);
        Assert.Contains("3 restart attempts in 10 s, more than intensity 2", model.Events.Single(e => e.Kind == TimelineEventKind.GiveUp).Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void An_attempt_leaves_the_window_after_period_seconds_and_the_count_falls()
    {
        // Checks: the count is 1 at 1 s, back to 0 at 3 s (second 1 left the 1 s window), 1 at 3.5 s, 2 at 4.2 s
        // (over the limit of 1: the give-up), then 0 as the root exits (a new incarnation counts from nothing);
        // the peak is 2 and there were three attempts.
        var model = Model(WindowForgets);
        var budget = Assert.Single(model.Budgets);
        Assert.Equal([(1000L, 1), (3000L, 0), (3500L, 1), (4200L, 2), (4200L, 0)], budget.Points.Select(p => (p.AtMs, p.Count)));
        Assert.Equal((3, 2), (budget.Attempts, budget.Peak));
        Assert.Equal([false, false, true], model.Episodes.Select(e => e.GaveUp));
        Assert.Equal(3, model.LaneByPath["root/w"].Segments.Count);
    }

    [Fact]
    public void A_call_is_placed_at_its_step_and_paired_with_its_reply()
    {
        // Checks: the which_children call at 2 s is one event on the root's lane (step 2 of the scenario), and its
        // partner is the reply line at the same instant; the two point at each other.
        var model = Model(WindowForgets);
        var call = model.Events.FindIndex(e => e.Kind == TimelineEventKind.Call);
        Assert.True(call >= 0);
        var e = model.Events[call];
        Assert.Equal(("root", "which_children", 2000L, 2), (e.Path, e.Call, e.AtMs, e.Step));
        var reply = model.Events[e.Partner];
        Assert.Equal((TimelineEventKind.Reply, "which_children", 2000L, call), (reply.Kind, reply.Call, reply.AtMs, reply.Partner));
    }
}
