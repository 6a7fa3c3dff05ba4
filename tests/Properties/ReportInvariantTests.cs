using Supervision.Simulation.Invariants;
using Supervision.Simulation.Scenarios;
using Xunit;

namespace Supervision.Properties.Tests;

/// <summary>
/// The report invariants of the reference model on small hand-written traces (each broken report is named, and
/// the correct trace passes), and on traces that nobody here wrote: the golden traces, and the traces a real
/// OTP 25 node printed for conformance/scenarios. A checker that objected to those would be wrong, not OTP.
/// </summary>
public sealed class ReportInvariantTests
{
    private const string OneForOne = """
        { "tree": { "id": "root", "strategy": "one_for_one", "intensity": 5,
          "children": [ { "id": "a" }, { "id": "b", "restart": "transient", "shutdown": "brutal_kill" }, { "id": "c", "restart": "temporary", "shutdown": 100 } ] } }
        """;

    private const string Pool = """
        { "tree": { "id": "root", "strategy": "simple_one_for_one", "children": [ { "id": "w", "shutdown": 100 } ] } }
        """;

    private const string Starts = "0 start root/a\n0 start root/b\n0 start root/c\n0 start root\n";
    private const string FinalStops = "9 stop root/c shutdown\n9 stop root/b killed\n9 stop root/a shutdown\n9 stop root shutdown\n";
    private const string Crash = "1 exit root/a boom\n# report root child_terminated root/a boom\n1 start root/a\n";

    public static TheoryData<string> RecordedTraces()
    {
        var data = new TheoryData<string>();
        var golden = Path.Combine(AppContext.BaseDirectory, "Golden");
        foreach (var file in Directory.GetFiles(golden, "*.trace", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            data.Add(file);
        }
        // The traces recorded from the real node (conformance/scenarios/*.otp.trace; not divergent/).
        foreach (var file in Directory.GetFiles(Path.Combine(RepoRoot(), "conformance", "scenarios"), "*.otp.trace").Order(StringComparer.Ordinal))
        {
            data.Add(file);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(RecordedTraces))]
    public void ARecordedTraceOwesNoReportItLacksAndHasNoneItDoesNotOwe(string traceFile)
    {
        var scenarioFile = traceFile.EndsWith(".otp.trace", StringComparison.Ordinal)
            ? traceFile[..^".otp.trace".Length] + ".json"
            : Path.ChangeExtension(traceFile, ".json");
        var violations = TraceInvariantChecker.Check(ScenarioReader.Load(scenarioFile), CheckerExamples.ParseTrace(File.ReadAllText(traceFile)));
        Assert.True(violations.Count == 0, $"{traceFile}:\n{string.Join("\n", violations)}");
    }

    [Fact]
    public void TheRecordedTracesIncludeTheRealNodes() =>
        Assert.True(RecordedTraces().Count(row => row.Data.EndsWith(".otp.trace", StringComparison.Ordinal)) > 30);

    [Fact]
    public void ACorrectTraceWithReportsPasses() =>
        Assert.Empty(Check(OneForOne, Starts + Crash + "2 exit root/b normal\n3 exit root/c oops\n# report root child_terminated root/c oops\n"
            + "8 exit root/a boom2\n9 stop root/a boom2\n# report root shutdown_error root/a boom2\n9 stop root shutdown\n"));

    [Fact]
    public void AMissingChildTerminatedIsReported() =>
        AssertOnly(InvariantNames.ChildTerminatedReport, Check(OneForOne, Starts + "1 exit root/a boom\n1 start root/a\n" + FinalStops));

    [Fact]
    public void AChildTerminatedForAQuietEndIsReported() =>
        AssertOnly(InvariantNames.ChildTerminatedReport, Check(OneForOne, Starts + "1 exit root/b normal\n# report root child_terminated root/b normal\n"
            + FinalStops.Replace("9 stop root/b killed\n", "", StringComparison.Ordinal)));

    [Fact]
    public void AChildTerminatedNamingAnotherChildIsReported() =>
        Assert.Contains(Check(OneForOne, Starts + Crash.Replace("child_terminated root/a", "child_terminated root/c", StringComparison.Ordinal) + FinalStops),
            v => v.Invariant == InvariantNames.ChildTerminatedReport);

    [Fact]
    public void AnExitThatIsNeitherReportedNorConsumedIsReportedAtTheSupervisorsEnd() =>
        AssertOnly(InvariantNames.ChildTerminatedReport, Check(OneForOne, Starts + "3 exit root/c oops\n" + FinalStops.Replace("9 stop root/c shutdown\n", "", StringComparison.Ordinal)));

    [Fact]
    public void AnExitConsumedByATerminationOwesAShutdownErrorNotAChildTerminated()
    {
        var consumed = Starts + "3 exit root/c oops\n" + FinalStops.Replace("root/c shutdown\n", "root/c oops\n", StringComparison.Ordinal);
        AssertOnly(InvariantNames.ShutdownErrorReport, Check(OneForOne, consumed));
        Assert.Empty(Check(OneForOne, consumed.Replace("root/c oops\n9 stop root/b", "root/c oops\n# report root shutdown_error root/c oops\n9 stop root/b", StringComparison.Ordinal)));
    }

    [Fact]
    public void AShutdownErrorFollowsEveryUnacceptableEndAndNoOther()
    {
        // Permanent a under a timeout: only shutdown is acceptable, killed (the timeout ran out) is not.
        var killed = Starts + FinalStops.Replace("root/a shutdown", "root/a killed", StringComparison.Ordinal);
        AssertOnly(InvariantNames.ShutdownErrorReport, Check(OneForOne, killed));
        Assert.Empty(Check(OneForOne, killed.Replace("root/a killed\n", "root/a killed\n# report root shutdown_error root/a killed\n", StringComparison.Ordinal)));
        // Transient b under brutal_kill: killed is acceptable, so a report is one too many.
        AssertOnly(InvariantNames.ShutdownErrorReport, Check(OneForOne, Starts + FinalStops.Replace("root/b killed\n", "root/b killed\n# report root shutdown_error root/b killed\n", StringComparison.Ordinal)));
    }

    [Fact]
    public void StartErrorsAreReportedForAutomaticAttemptsOnly()
    {
        var failed = Starts + "1 exit root/a boom\n# report root child_terminated root/a boom\n1 start_error root/a nope\n# report root start_error root/a nope\n1 start root/a\n" + FinalStops;
        Assert.Empty(Check(OneForOne, failed));
        AssertOnly(InvariantNames.StartErrorReport, Check(OneForOne, failed.Replace("# report root start_error root/a nope\n", "", StringComparison.Ordinal)));
        // A restart_child call's failure is answered by its reply, not by a report.
        var call = """{ "at": 2, "call": "restart_child", "sup": "root", "child": "a" }""";
        var byCall = Starts + "1 stop root/a shutdown\n1 reply terminate_child root ok\n2 start_error root/a nope\n2 reply restart_child root error:nope\n"
            + FinalStops.Replace("9 stop root/a shutdown\n", "", StringComparison.Ordinal);
        var scenario = OneForOne.Replace("} ] } }", "} ] }, \"steps\": [ { \"at\": 1, \"call\": \"terminate_child\", \"sup\": \"root\", \"child\": \"a\" }, " + call + " ] }", StringComparison.Ordinal);
        Assert.Empty(Check(scenario, byCall));
        AssertOnly(InvariantNames.StartErrorReport, Check(scenario, byCall.Replace("nope\n2 reply", "nope\n# report root start_error root/a nope\n2 reply", StringComparison.Ordinal)));
    }

    [Fact]
    public void AGiveUpNamesTheChildWhoseRestartWasAttemptedAndEndsTheStarts()
    {
        var tight = OneForOne.Replace("\"intensity\": 5", "\"intensity\": 0", StringComparison.Ordinal);
        var gaveUp = Starts + "1 exit root/a boom\n# report root child_terminated root/a boom\n# report root reached_max_restart_intensity root/a reached_max_restart_intensity\n"
            + "1 stop root/c shutdown\n1 stop root/b killed\n1 exit root shutdown\n";
        Assert.Empty(Check(tight, gaveUp));
        AssertOnly(InvariantNames.GiveUpReport, Check(tight, gaveUp.Replace("intensity root/a", "intensity root/b", StringComparison.Ordinal)));
        Assert.Contains(Check(tight, gaveUp.Replace("1 stop root/c", "1 start root/a\n1 stop root/a shutdown\n1 stop root/c", StringComparison.Ordinal)),
            v => v.Invariant == InvariantNames.GiveUpReport);
    }

    [Fact]
    public void APoolsOwnTerminationReportsOncePerReasonNamingTheTemplate()
    {
        var scenario = Pool.Replace("] } }", "] }, \"steps\": [ { \"at\": 0, \"call\": \"start_child\", \"sup\": \"root\", \"args\": [1] }, { \"at\": 0, \"call\": \"start_child\", \"sup\": \"root\", \"args\": [2] } ] }", StringComparison.Ordinal);
        var starts = "0 start root\n0 start root/w#1\n0 reply start_child root ok:root/w#1\n0 start root/w#2\n0 reply start_child root ok:root/w#2\n";
        var stops = "9 stop root/w#1 killed\n9 stop root/w#2 killed\n# report root shutdown_error root/w killed\n9 stop root shutdown\n";
        Assert.Empty(Check(scenario, starts + stops));
        AssertOnly(InvariantNames.ShutdownErrorReport, Check(scenario, starts + stops.Replace("# report root shutdown_error root/w killed\n", "", StringComparison.Ordinal)));
        AssertOnly(InvariantNames.ShutdownErrorReport, Check(scenario, starts + stops.Replace("root/w killed", "root/w#1 killed", StringComparison.Ordinal)));
        AssertOnly(InvariantNames.ShutdownErrorReport, Check(scenario, starts + stops.Replace("# report root shutdown_error root/w killed\n", "# report root shutdown_error root/w killed\n# report root shutdown_error root/w killed\n", StringComparison.Ordinal)));
    }

    [Fact]
    public void APoolsReportsMayFollowLinesOfAnotherSupervisorThatActedWhileItsInstancesStopped()
    {
        // Checks: the pool gives up at 10; w#2's own exit (badarg) is its first instance stop, w#3 is killed at its
        // 1,000 ms shutdown timeout; between the two, root restarts b. The pool's reports come after its last instance
        // stop, with root's lines inside the run: that passes (the checker used to close the run at root's first line
        // and call both reports missing, then not owed: generated seed 1853777). The trace was written from
        // OTP-SEMANTICS and TRACE-RULES and is also what the engine prints. A report left out, or moved after the
        // pool's own exit, is still a shutdown-error-report violation.
        const string scenario = """
            { "tree": { "id": "root", "strategy": "one_for_one", "intensity": 10, "children": [
                { "id": "pool", "strategy": "simple_one_for_one", "intensity": 0, "children": [ { "id": "w", "shutdown": 1000 } ] },
                { "id": "b" } ] },
              "steps": [
                { "at": 0, "call": "start_child", "sup": "root/pool", "args": [1] },
                { "at": 0, "call": "start_child", "sup": "root/pool", "args": [2] },
                { "at": 0, "call": "start_child", "sup": "root/pool", "args": [3] },
                { "at": 0, "stop_delay": "root/pool/w#2", "ms": 500 },
                { "at": 0, "stop_delay": "root/pool/w#3", "ms": "never" },
                { "at": 10, "exit": "root/pool/w#1", "reason": "boom" },
                { "at": 10, "exit": "root/pool/w#2", "reason": "badarg" },
                { "at": 10, "exit": "root/b", "reason": "boom" } ] }
            """;
        const string killedReport = "# report root/pool shutdown_error root/pool/w killed\n";
        var trace = "0 start root/pool\n0 start root/b\n0 start root\n"
            + "0 start root/pool/w#1\n0 reply start_child root/pool ok:root/pool/w#1\n0 start root/pool/w#2\n0 reply start_child root/pool ok:root/pool/w#2\n"
            + "0 start root/pool/w#3\n0 reply start_child root/pool ok:root/pool/w#3\n"
            + "10 exit root/pool/w#1 boom\n# report root/pool child_terminated root/pool/w#1 boom\n"
            + "# report root/pool reached_max_restart_intensity root/pool/w#1 reached_max_restart_intensity\n"
            + "10 exit root/pool/w#2 badarg\n10 stop root/pool/w#2 badarg\n"
            + "10 exit root/b boom\n# report root child_terminated root/b boom\n10 start root/b\n"
            + "1010 stop root/pool/w#3 killed\n# report root/pool shutdown_error root/pool/w badarg\n" + killedReport + "1010 exit root/pool shutdown\n"
            + "# report root child_terminated root/pool shutdown\n1010 start root/pool\n"
            + "1010 stop root/b shutdown\n1010 stop root/pool shutdown\n1010 stop root shutdown\n";
        Assert.Empty(Check(scenario, trace));
        AssertOnly(InvariantNames.ShutdownErrorReport, Check(scenario, trace.Replace(killedReport, "", StringComparison.Ordinal)));
        var late = trace.Replace(killedReport, "", StringComparison.Ordinal).Replace("1010 exit root/pool shutdown\n", "1010 exit root/pool shutdown\n" + killedReport, StringComparison.Ordinal);
        Assert.Contains(Check(scenario, late), v => v.Invariant == InvariantNames.ShutdownErrorReport);
    }

    [Fact]
    public void APoolKilledWhileStoppingItsInstancesOwesNoReportForThemAnyMore()
    {
        // Checks: root shuts itself down at 4707 (its significant n1 ended); c1 stops c5 (killed at 6007), then the
        // pool c3, which starts stopping its instances; t#1 ends on its own with boom at 6038, an unacceptable end the
        // pool would report once done, but at 6307 c1 kills the pool (its 300 ms shutdown), t#2 going down with it.
        // A killed supervisor runs no termination of its own, so no shutdown_error of c3's is owed: the trace passes
        // (the checker used to call it missing: generated seed 2531403). Worked out from OTP-SEMANTICS and TRACE-RULES;
        // the engine prints the same.
        const string scenario = """
            { "tree": { "id": "root", "strategy": "one_for_one", "intensity": 1, "period": 1, "auto_shutdown": "all_significant", "children": [
                { "id": "c1", "shutdown": "infinity", "strategy": "one_for_one", "intensity": 10, "period": 51, "children": [
                  { "id": "c3", "shutdown": 300, "strategy": "simple_one_for_one", "intensity": 0, "period": 2, "children": [
                    { "id": "t", "restart": "permanent", "shutdown": 600 } ] },
                  { "id": "c5", "restart": "transient", "shutdown": 1300 } ] } ] },
              "steps": [
                { "at": 0, "stop_delay": "root/c1/c3/t", "ms": 2500 },
                { "at": 0, "call": "start_child", "sup": "root/c1/c3", "args": [1] },
                { "at": 0, "stop_delay": "root/c1/c5", "ms": 2500 },
                { "at": 0, "call": "start_child", "sup": "root/c1/c3", "args": [2] },
                { "at": 0, "call": "start_child", "sup": "root", "spec": { "id": "n1", "restart": "temporary", "shutdown": "infinity", "significant": true } },
                { "at": 4707, "exit": "root/n1", "reason": "boom" },
                { "at": 6038, "exit": "root/c1/c3/t#1", "reason": "boom" } ] }
            """;
        var trace = "0 start root/c1/c3\n0 start root/c1/c5\n0 start root/c1\n0 start root\n"
            + "0 start root/c1/c3/t#1\n0 reply start_child root/c1/c3 ok:root/c1/c3/t#1\n0 start root/c1/c3/t#2\n0 reply start_child root/c1/c3 ok:root/c1/c3/t#2\n"
            + "0 start root/n1\n0 reply start_child root ok:root/n1\n4707 exit root/n1 boom\n# report root child_terminated root/n1 boom\n"
            + "6007 stop root/c1/c5 killed\n# report root/c1 shutdown_error root/c1/c5 killed\n"
            + "6038 exit root/c1/c3/t#1 boom\n6038 stop root/c1/c3/t#1 boom\n"
            + "6307 stop root/c1/c3/t#2 killed\n6307 stop root/c1/c3 killed\n# report root/c1 shutdown_error root/c1/c3 killed\n"
            + "6307 stop root/c1 shutdown\n6307 exit root shutdown\n";
        Assert.Empty(Check(scenario, trace));
    }

    [Fact]
    public void AKilledSupervisorsSubtreeOwesNoReport()
    {
        const string nested = """
            { "tree": { "id": "root", "strategy": "one_for_one", "children": [
              { "id": "mid", "shutdown": "brutal_kill", "strategy": "one_for_one", "children": [ { "id": "w" } ] } ] } }
            """;
        var trace = "0 start root/mid/w\n0 start root/mid\n0 start root\n9 stop root/mid/w killed\n9 stop root/mid killed\n9 stop root shutdown\n";
        Assert.Empty(Check(nested, trace));
        AssertOnly(InvariantNames.ShutdownErrorReport, Check(nested, trace.Replace("9 stop root/mid killed", "9 stop root/mid shutdown", StringComparison.Ordinal)));
    }

    private static void AssertOnly(string invariant, IReadOnlyList<InvariantViolation> violations)
    {
        Assert.NotEmpty(violations);
        Assert.All(violations, v => Assert.Equal(invariant, v.Invariant));
    }

    private static IReadOnlyList<InvariantViolation> Check(string scenarioJson, string trace) =>
        TraceInvariantChecker.Check(ScenarioReader.Parse(scenarioJson, "example.json"), CheckerExamples.ParseTrace(trace));

    /// <summary>The folder that holds Supervision.sln, found upwards from the test's output folder.</summary>
    internal static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Supervision.sln")))
            {
                return dir.FullName;
            }
        }
        throw new DirectoryNotFoundException("Supervision.sln not found above " + AppContext.BaseDirectory);
    }
}
