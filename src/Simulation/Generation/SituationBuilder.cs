using System.Globalization;

namespace Supervision.Simulation.Generation;

/// <summary>
/// Situations that random trees and schedules almost never line up by chance, each written as a small subtree
/// (<c>x</c>, a transient supervisor under the root, so that its own end costs the root no restart) and the steps
/// that produce it. Their parameters are drawn, so the reference model sees many variants of each; the random
/// schedule then goes on from where the situation ends (and may target the subtree too).
/// </summary>
internal static class SituationBuilder
{
    /// <summary>One seed in this many gets a situation.</summary>
    private const int OneIn = 4;

    /// <summary>The subtree's id: generated children are c1…c6, so it cannot clash.</summary>
    private const string Id = "x";

    /// <summary>A significant child ends on its own while a sibling waits for the retry of its failed restart.</summary>
    public const string SignificantWhileRestarting = "significant end while a sibling waits for its restart";

    /// <summary>A start_child of a spec that was started, terminated and deleted before, and whose start now ignores.</summary>
    public const string ReAddedIgnoredStart = "start_child of a re-added spec whose start ignores";

    /// <summary>A child ends on its own just before, at or just after the instant its supervisor kills it.</summary>
    public const string OwnEndRacesKill = "a child's own end racing its kill";

    private static readonly string[] RestartWords = ["permanent", "transient", "temporary"];
    private static readonly string[] StaticStrategies = ["one_for_one", "one_for_all", "rest_for_one"];
    private static readonly string[] GroupStrategies = ["one_for_all", "rest_for_one"];
    private static readonly string[] OwnReasons = ["oops", "normal", "shutdown"];

    /// <summary>The names of every situation.</summary>
    public static IReadOnlyList<string> Names { get; } = [SignificantWhileRestarting, ReAddedIgnoredStart, OwnEndRacesKill];

    /// <summary>
    /// Draws whether <paramref name="seed"/> gets a situation (from its own stream, so other seeds keep their
    /// scenarios) and, if so, adds its subtree to <paramref name="root"/>: its name, the fault kinds it uses and
    /// its steps (times from 0), or null.
    /// </summary>
    public static (string Name, FaultKinds Faults, List<string> Steps, long End)? Draw(ulong seed, GenNode root, FaultKinds allowed)
    {
        var random = new SplitMix64(seed ^ 0x5171_A710_5EED_0001UL);
        if (root.IsSimple || random.Below(OneIn) != 0)
        {
            return null;
        }
        var x = new GenNode(Id, root.Path + "/" + Id, root, isSupervisor: true) { Restart = "transient", Intensity = 10, Period = 5 };
        var steps = new List<string>();
        var at = (long)random.Between(10, 500);
        var (name, faults) = random.Below(Names.Count) switch
        {
            0 => (SignificantWhileRestarting, SignificantSibling(random, x, steps, ref at)),
            1 => (ReAddedIgnoredStart, ReAddedIgnore(random, x, steps, ref at)),
            _ => (OwnEndRacesKill, OwnEndAtKill(random, x, steps, ref at)),
        };
        if ((allowed & faults) != faults)
        {
            return null;
        }
        root.Children.Add(x);
        return (name, faults, steps, at);
    }

    /// <summary>
    /// rest_for_one over [s2 (significant, ends for good), s1 (transient, significant), w (slow to stop)]: s1 crashes
    /// and its restart first stops w, which takes a while; s2 ends meanwhile (its exit waits in the mailbox); s1's
    /// restart then fails, so when s2's exit is handled s1 is restarting, which all_significant counts as alive.
    /// </summary>
    private static FaultKinds SignificantSibling(SplitMix64 random, GenNode x, List<string> steps, ref long at)
    {
        x.Strategy = "rest_for_one";
        x.AutoShutdown = random.Chance(75) ? "all_significant" : "any_significant";
        var s2Temporary = random.Chance(50);
        x.Children.Add(Worker(x, "s2", s2Temporary ? "temporary" : "transient", significant: true));
        x.Children.Add(Worker(x, "s1", "transient", significant: true));
        x.Children.Add(Worker(x, "w", random.Chance(50) ? null : "temporary", significant: false));
        var delay = random.Between(2, 9) * 100;
        steps.Add(Step(at, $"\"stop_delay\": \"{x.Path}/w\", \"ms\": {delay}"));
        steps.Add(Step(at, $"\"fail_start\": \"{x.Path}/s1\", \"times\": {random.Between(1, 2)}, \"reason\": \"nope\""));
        steps.Add(Step(at, $"\"exit\": \"{x.Path}/s1\", \"reason\": \"boom\""));
        at += random.Between(1, delay - 1);
        var reason = s2Temporary && random.Chance(50) ? "crash" : random.Chance(50) ? "normal" : "shutdown";
        steps.Add(Step(at, $"\"exit\": \"{x.Path}/s2\", \"reason\": \"{reason}\""));
        at += delay;
        return FaultKinds.Significant | FaultKinds.FailStarts | FaultKinds.StopDelays | FaultKinds.Exits;
    }

    /// <summary>
    /// start_child d, terminate_child d, delete_child d, then d's next start ignores and start_child adds d again:
    /// a permanent or transient d is kept (not running), a temporary one is not; the calls after show which.
    /// </summary>
    private static FaultKinds ReAddedIgnore(SplitMix64 random, GenNode x, List<string> steps, ref long at)
    {
        x.Strategy = random.Pick(StaticStrategies);
        x.Children.Add(Worker(x, "k", null, significant: false));
        var d = new GenNode("d", x.Path + "/d", x, isSupervisor: false) { Restart = random.Pick(RestartWords), IsDynamic = true };
        x.Children.Add(d);
        steps.Add(Call(at, "start_child", x, $", \"spec\": {{ \"id\": \"d\", \"restart\": \"{d.Restart}\" }}"));
        steps.Add(Call(at += random.Between(0, 100), "terminate_child", x, ", \"child\": \"d\""));
        steps.Add(Call(at, "delete_child", x, ", \"child\": \"d\""));
        steps.Add(Step(at += random.Between(0, 100), $"\"ignore_start\": \"{x.Path}/d\", \"times\": {random.Between(1, 2)}"));
        var restart = random.Pick(RestartWords);
        steps.Add(Call(at, "start_child", x, $", \"spec\": {{ \"id\": \"d\", \"restart\": \"{restart}\" }}"));
        for (var i = random.Between(1, 3); i > 0; i--)
        {
            at += random.Between(0, 50);
            steps.Add(random.Below(5) switch
            {
                0 => Call(at, "start_child", x, $", \"spec\": {{ \"id\": \"d\", \"restart\": \"{random.Pick(RestartWords)}\" }}"),
                1 => Call(at, "restart_child", x, ", \"child\": \"d\""),
                2 => Call(at, "delete_child", x, ", \"child\": \"d\""),
                3 => Call(at, "count_children", x, ""),
                _ => Call(at, "which_children", x, ""),
            });
        }
        if (random.Chance(40))
        {
            steps.Add(Step(at, $"\"exit\": \"{x.Path}/k\", \"reason\": \"boom\"")); // A group restart over the kept spec.
        }
        return FaultKinds.StartChild | FaultKinds.ChildCalls | FaultKinds.IgnoreStarts | FaultKinds.Queries | FaultKinds.Exits;
    }

    /// <summary>
    /// w is killed after its shutdown time (or at once under brutal_kill); it also ends on its own one millisecond
    /// before, at, or one after that instant: by an exit step while it ignores the stop, or as its stop delay ends. The termination is a group restart (then
    /// w starts again right after, and a late kill must not touch the new w) or a terminate_child.
    /// </summary>
    private static FaultKinds OwnEndAtKill(SplitMix64 random, GenNode x, List<string> steps, ref long at)
    {
        x.Strategy = random.Pick(GroupStrategies);
        var brutal = random.Chance(25);
        var shutdown = brutal ? 0 : random.Between(1, 10) * 100;
        x.Children.Add(Worker(x, "a", null, significant: false));
        var w = Worker(x, "w", random.Chance(70) ? null : "transient", significant: false);
        w.ShutdownJson = brutal ? "\"brutal_kill\"" : shutdown.ToString(CultureInfo.InvariantCulture);
        x.Children.Add(w);
        // Its own end is an exit step while it ignores the stop, or the end of its stop delay (TRACE-RULES 11).
        var byExit = brutal || random.Chance(50);
        var delay = byExit ? "\"never\"" : (shutdown + random.Between(-1, 1)).ToString(CultureInfo.InvariantCulture);
        steps.Add(Step(at, $"\"stop_delay\": \"{x.Path}/w\", \"ms\": {delay}"));
        steps.Add(random.Chance(60)
            ? Step(at, $"\"exit\": \"{x.Path}/a\", \"reason\": \"boom\"")
            : Call(at, "terminate_child", x, ", \"child\": \"w\""));
        at += shutdown + random.Between(brutal ? 0 : -1, 1);
        if (byExit)
        {
            steps.Add(Step(at, $"\"exit\": \"{x.Path}/w\", \"reason\": \"{random.Pick(OwnReasons)}\""));
        }
        return (byExit ? FaultKinds.NeverStops : FaultKinds.StopDelays) | FaultKinds.Exits | FaultKinds.ChildCalls;
    }

    private static GenNode Worker(GenNode parent, string id, string? restart, bool significant) =>
        new(id, parent.Path + "/" + id, parent, isSupervisor: false) { Restart = restart, Significant = significant };

    private static string Call(long at, string call, GenNode sup, string rest) =>
        Step(at, $"\"call\": \"{call}\", \"sup\": {GenNode.Quote(sup.Path)}{rest}");

    private static string Step(long at, string body) => string.Create(CultureInfo.InvariantCulture, $"{{ \"at\": {at}, {body} }}");
}
