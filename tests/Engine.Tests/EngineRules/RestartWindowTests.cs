using Xunit;

namespace Supervision.Engine.Tests.EngineRules;

/// <summary>The restart window's bookkeeping: per-second buckets, expiry of whole seconds, the report's copy, extreme intensities.</summary>
public sealed class RestartWindowTests
{
    [Fact]
    public void Attempts_expire_a_whole_second_at_a_time_and_the_report_lists_the_rest_in_order()
    {
        // Checks: with period 1, attempts in second 0 are dropped at second 2 while second 1's stay; the give-up
        // report lists exactly the attempts still counted, oldest first, across the ring's wrap and growth.
        var harness = new EngineHarness(EngineHarness.Spec(RestartStrategy.OneForOne, 5, "a", "b") with { PeriodSeconds = 1 });
        harness.Start();
        var crashes = new (long At, string Child, string Reason)[]
        {
            (0, "a", "r1"), (10, "b", "r2"), (20, "a", "r3"),
            (1500, "b", "r4"), (1600, "a", "r5"),
            (2100, "b", "r6"),
            (2200, "a", "r7"), (2300, "b", "r8"), (2400, "a", "r9"),
        };
        foreach (var (at, child, reason) in crashes)
        {
            harness.Now = at;
            harness.Crash(child, reason);
        }
        var report = Assert.Single(harness.Take(), d => d.Report == ReportKind.ReachedMaxRestartIntensity && d.Kind == DecisionKind.Report);
        Assert.Equal(
            ["b:r4@1500/1", "a:r5@1600/1", "b:r6@2100/2", "a:r7@2200/2", "b:r8@2300/2", "a:r9@2400/2"],
            report.RestartWindow!.Select(r => $"{r.ChildId}:{r.Reason}@{r.TimeMs}/{r.Second}"));
    }

    [Fact]
    public void The_largest_intensity_is_accepted_and_restarts()
    {
        // Checks: intensity int.MaxValue is a valid spec: the engine is built and restarts without giving up.
        var harness = new EngineHarness(EngineHarness.Spec(RestartStrategy.OneForOne, int.MaxValue, "a"));
        harness.Start();
        for (var i = 0; i < 100; i++)
        {
            harness.Crash("a");
        }
        Assert.Equal(EngineStatus.Running, harness.Engine.Status);
        Assert.Equal(100, harness.Engine.RestartsInWindow);
    }
}
