using System.Globalization;
using Supervision.Simulation.Invariants;
using Supervision.Simulation.Replay;
using Supervision.Simulation.Scenarios;
using Xunit;

namespace Supervision.Properties.Tests;

/// <summary>
/// The invariant checker on small hand-written traces: each broken invariant is reported by name, and the
/// correct variant of each trace passes (so the checker is neither blind nor trigger-happy).
/// </summary>
public sealed class CheckerExamples
{
    private const string OneForOne = """
        { "tree": { "id": "root", "strategy": "one_for_one", "intensity": 5,
          "children": [ { "id": "a" }, { "id": "b", "restart": "transient" }, { "id": "c", "restart": "temporary" } ] } }
        """;

    private const string RestForOne = """
        { "tree": { "id": "root", "strategy": "rest_for_one", "intensity": 5,
          "children": [ { "id": "a" }, { "id": "b" }, { "id": "c" } ] } }
        """;

    private const string Starts = "0 start root/a\n0 start root/b\n0 start root/c\n0 start root\n";
    private const string FinalStops = "9 stop root/c shutdown\n9 stop root/b shutdown\n9 stop root/a shutdown\n9 stop root shutdown\n";

    [Fact]
    public void ACorrectOneForOneTracePasses() =>
        Assert.Empty(Check(OneForOne, Starts + "1 exit root/a boom\n# report root child_terminated root/a boom\n1 start root/a\n" + FinalStops));

    [Fact]
    public void ASecondLiveIncarnationIsReported() =>
        Assert.Contains(Check(OneForOne, Starts + "1 start root/a\n" + FinalStops), v => v.Invariant == InvariantNames.SingleIncarnation);

    [Fact]
    public void AnExitOfAChildThatIsNotLiveIsReported() =>
        Assert.Contains(Check(OneForOne, Starts + "1 exit root/c boom\n2 exit root/c boom\n" + FinalStops.Replace("9 stop root/c shutdown\n", "", StringComparison.Ordinal)),
            v => v.Invariant == InvariantNames.ExitOfLive);

    [Fact]
    public void AStopOfALiveChildWithItsOwnReasonIsReported() =>
        AssertOnly(InvariantNames.StopOfLive, Check(OneForOne, Starts + FinalStops.Replace("root/c shutdown", "root/c boom", StringComparison.Ordinal)));

    [Fact]
    public void ARaceStopCarriesTheExitReason()
    {
        Assert.Empty(Check(OneForOne, Starts + "5 exit root/c oops\n" + FinalStops.Replace("root/c shutdown", "root/c oops", StringComparison.Ordinal)));
        AssertOnly(InvariantNames.StopOfLive, Check(OneForOne, Starts + "5 exit root/c oops\n" + FinalStops.Replace("root/c shutdown", "root/c other", StringComparison.Ordinal)));
    }

    [Fact]
    public void StopsOutOfNewestFirstOrderAreReported() =>
        AssertOnly(InvariantNames.StopOrder, Check(OneForOne, Starts + "9 stop root/b shutdown\n9 stop root/c shutdown\n9 stop root/a shutdown\n9 stop root shutdown\n"));

    [Fact]
    public void AOneForOneSupervisorStoppingASiblingIsReported() =>
        Assert.Contains(Check(OneForOne, Starts + "1 exit root/a boom\n1 stop root/c shutdown\n1 start root/a\n" + FinalStops.Replace("9 stop root/c shutdown\n", "", StringComparison.Ordinal)),
            v => v.Invariant == InvariantNames.StopCause);

    [Fact]
    public void ATransientRestartedAfterANormalExitIsReported() =>
        AssertOnly(InvariantNames.StartCause, Check(OneForOne, Starts + "1 exit root/b normal\n1 start root/b\n" + FinalStops));

    [Fact]
    public void ATemporaryRestartedAfterACrashIsReported() =>
        AssertOnly(InvariantNames.StartCause, Check(OneForOne, Starts + "1 exit root/c boom\n1 start root/c\n" + FinalStops));

    [Fact]
    public void ARestForOneGroupStopsOnlyNewerChildren()
    {
        var group = "1 exit root/b boom\n1 stop root/c shutdown\n1 start root/b\n1 start root/c\n";
        Assert.Empty(Check(RestForOne, Starts + group + FinalStops));
        var wrong = "1 exit root/b boom\n1 stop root/c shutdown\n1 stop root/a shutdown\n1 start root/a\n1 start root/b\n1 start root/c\n";
        Assert.Contains(Check(RestForOne, Starts + wrong + FinalStops), v => v.Invariant == InvariantNames.StopCause);
    }

    [Fact]
    public void ASupervisorEndingWithALiveChildIsReported() =>
        AssertOnly(InvariantNames.AllStoppedAtEnd, Check(OneForOne, Starts + FinalStops.Replace("9 stop root/a shutdown\n", "", StringComparison.Ordinal)));

    [Fact]
    public void ATraceWithoutTheRootsEndIsReported() =>
        AssertOnly(InvariantNames.Completed, Check(OneForOne, Starts));

    [Fact]
    public void NothingButRepliesFollowsTheRootsEnd() =>
        AssertOnly(InvariantNames.Completed, Check(OneForOne, Starts + FinalStops + "10 start root/a\n"));

    [Fact]
    public void GivingUpExactlyWhenTheWindowCountExceedsIntensity()
    {
        // intensity 1, period 1: crashes at seconds 1 and 2 are both inside the inclusive window of second 2.
        const string scenario = """{ "tree": { "id": "root", "intensity": 1, "period": 1, "children": [ { "id": "a" } ] } }""";
        const string start = "0 start root/a\n0 start root\n1050 exit root/a boom\n# report root child_terminated root/a boom\n1050 start root/a\n";
        var gaveUp = start + "2850 exit root/a boom\n# report root child_terminated root/a boom\n# report root reached_max_restart_intensity root/a reached_max_restart_intensity\n2850 exit root shutdown\n";
        var restarted = start + "2850 exit root/a boom\n# report root child_terminated root/a boom\n2850 start root/a\n3000 stop root/a shutdown\n3000 stop root shutdown\n";
        Assert.Empty(Check(scenario, gaveUp));
        AssertOnly(InvariantNames.Intensity, Check(scenario, restarted));
        // Two seconds apart the first crash has left the window: restarting is right, giving up is not.
        Assert.Empty(Check(scenario, restarted.Replace("2850", "3100", StringComparison.Ordinal).Replace("3000 stop", "3200 stop", StringComparison.Ordinal)));
        AssertOnly(InvariantNames.Intensity, Check(scenario, gaveUp.Replace("2850", "3100", StringComparison.Ordinal)));
    }

    [Fact]
    public void ARootThatGaveUpEndsWithExit()
    {
        const string scenario = """{ "tree": { "id": "root", "intensity": 0, "children": [ { "id": "a" }, { "id": "b" } ] } }""";
        const string trace = "0 start root/a\n0 start root/b\n0 start root\n1 exit root/a boom\n# report root child_terminated root/a boom\n"
            + "# report root reached_max_restart_intensity root/a reached_max_restart_intensity\n1 stop root/b shutdown\n";
        Assert.Empty(Check(scenario, trace + "1 exit root shutdown\n"));
        AssertOnly(InvariantNames.GiveUpEndsWithExit, Check(scenario, trace + "1 stop root shutdown\n"));
    }

    [Fact]
    public void QueryRepliesMustAgreeWithTheLiveChildren()
    {
        const string calls = """
            { "tree": { "id": "root", "intensity": 5, "children": [ { "id": "a" }, { "id": "b" } ] },
              "steps": [ { "at": 5, "call": "which_children", "sup": "root" }, { "at": 5, "call": "count_children", "sup": "root" } ] }
            """;
        const string start = "0 start root/a\n0 start root/b\n0 start root\n";
        const string end = "9 stop root/b shutdown\n9 stop root/a shutdown\n9 stop root shutdown\n";
        Assert.Empty(Check(calls, start + "5 reply which_children root [b:running,a:running]\n5 reply count_children root [specs:2,active:2,supervisors:0,workers:2]\n" + end));
        AssertOnly(InvariantNames.QueryReplies, Check(calls, start + "5 reply which_children root [a:running,b:running]\n5 reply count_children root [specs:2,active:2,supervisors:0,workers:2]\n" + end));
        AssertOnly(InvariantNames.QueryReplies, Check(calls, start + "5 reply which_children root [b:running,a:undefined]\n5 reply count_children root [specs:2,active:2,supervisors:0,workers:2]\n" + end));
        AssertOnly(InvariantNames.CountChildrenLiveCheck, Check(calls, start + "5 reply which_children root [b:running,a:running]\n5 reply count_children root [specs:2,active:1,supervisors:0,workers:2]\n" + end));
    }

    [Fact]
    public void InstancesAreNumberedInOrderOfSuccessfulStart()
    {
        const string pool = """
            { "tree": { "id": "root", "strategy": "simple_one_for_one", "children": [ { "id": "w" } ] },
              "steps": [ { "at": 1, "call": "start_child", "sup": "root" }, { "at": 2, "call": "start_child", "sup": "root" } ] }
            """;
        const string end = "9 stop root/w#1 shutdown\n9 stop root shutdown\n";
        const string failedFirst = "0 start root\n1 start_error root/w nope\n1 reply start_child root error:nope\n";
        Assert.Empty(Check(pool, failedFirst + "2 start root/w#1\n2 reply start_child root ok:root/w#1\n" + end));
        Assert.Contains(Check(pool, failedFirst + "2 start root/w#2\n2 reply start_child root ok:root/w#1\n" + end.Replace("w#1", "w#2", StringComparison.Ordinal)),
            v => v.Invariant == InvariantNames.InstanceNaming);
        Assert.Contains(Check(pool, failedFirst.Replace("root/w nope", "root/w#1 nope", StringComparison.Ordinal) + "2 start root/w#1\n2 reply start_child root ok:root/w#1\n" + end),
            v => v.Invariant == InvariantNames.InstanceNaming);
    }

    private static void AssertOnly(string invariant, IReadOnlyList<InvariantViolation> violations)
    {
        Assert.NotEmpty(violations);
        Assert.All(violations, v => Assert.Equal(invariant, v.Invariant));
    }

    private static IReadOnlyList<InvariantViolation> Check(string scenarioJson, string trace) =>
        TraceInvariantChecker.Check(ScenarioReader.Parse(scenarioJson, "example.json"), ParseTrace(trace), reportsComplete: false);

    /// <summary>
    /// Reads trace text: <c>&lt;at&gt; &lt;text&gt;</c> lines and <c>#</c> comments. Printed comments carry no time;
    /// they get the time of the line before them (the simulator records the instant it printed them).
    /// </summary>
    internal static List<TraceLine> ParseTrace(string trace)
    {
        var lines = new List<TraceLine>();
        long at = 0;
        foreach (var line in trace.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var cut = line.IndexOf(' ', StringComparison.Ordinal);
            at = line.StartsWith('#') ? at : long.Parse(line[..cut], CultureInfo.InvariantCulture);
            lines.Add(line.StartsWith('#') ? new TraceLine(at, line) : new TraceLine(at, line[(cut + 1)..]));
        }
        return lines;
    }
}
