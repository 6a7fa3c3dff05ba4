using Xunit;

namespace Supervision.Engine.Tests.EngineRules;

/// <summary>How many restarts still count at a later time (what a health report reads), by OTP's whole-second rule.</summary>
public sealed class RestartLoadTests
{
    [Fact]
    public void Restarts_stop_counting_when_their_whole_second_leaves_the_period()
    {
        // Checks: with period 2, attempts at 0.5 s and 1.2 s still count at 2.9 s (second 0 >= 2 - 2), the first
        // leaves at 3.0 s (second 0 < 3 - 2) and the second at 4.0 s; reading changes nothing (the count a
        // restart sees is unchanged) and a time before the engine's clock reads as its clock.
        var harness = new EngineHarness(EngineHarness.Spec(RestartStrategy.OneForOne, 5, "a") with { PeriodSeconds = 2 });
        harness.Start();
        harness.Now = 500;
        harness.Crash("a");
        harness.Now = 1200;
        harness.Crash("a");
        Assert.Equal(2, harness.Engine.RestartsInWindowAt(2999));
        Assert.Equal(1, harness.Engine.RestartsInWindowAt(3000));
        Assert.Equal(1, harness.Engine.RestartsInWindowAt(3999));
        Assert.Equal(0, harness.Engine.RestartsInWindowAt(4000));
        Assert.Equal(2, harness.Engine.RestartsInWindowAt(0));
        Assert.Equal(2, harness.Engine.RestartsInWindow);
    }
}
