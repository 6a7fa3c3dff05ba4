using Supervision.Runtime.Scheduling;
using Xunit;

namespace Supervision.Runtime.Tests;

/// <summary>The deterministic scheduler and its virtual clock: bounds, timer ranges, same-instant timers.</summary>
public sealed class VirtualTimeSchedulerTests
{
    [Fact]
    public void Hitting_the_step_bound_loses_no_work_item()
    {
        // Checks: three items, a bound of one step: the call reports the bound, two items wait, and a later
        // call runs them, in order.
        var scheduler = new DeterministicScheduler();
        var ran = new List<int>();
        for (var i = 0; i < 3; i++)
        {
            var n = i;
            scheduler.Post("test", () => ran.Add(n));
        }
        Assert.False(scheduler.RunUntilIdle(maxSteps: 1));
        Assert.Equal([0], ran);
        Assert.Equal(2, scheduler.ReadyCount);
        Assert.True(scheduler.RunUntilIdle());
        Assert.Equal([0, 1, 2], ran);
    }

    [Fact]
    public void The_virtual_clock_refuses_timer_delays_the_system_clock_refuses()
    {
        // Checks: over 2^32 - 2 ms, or negative other than infinite, is refused as by TimeProvider.System;
        // the largest accepted delay and infinity are fine.
        var clock = new ManualTimeProvider();
        var max = TimeSpan.FromMilliseconds(uint.MaxValue - 1);
        Assert.Throws<ArgumentOutOfRangeException>(() => clock.CreateTimer(_ => { }, null, max + TimeSpan.FromMilliseconds(1), Timeout.InfiniteTimeSpan));
        Assert.Throws<ArgumentOutOfRangeException>(() => TimeProvider.System.CreateTimer(_ => { }, null, max + TimeSpan.FromMilliseconds(1), Timeout.InfiniteTimeSpan));
        Assert.Throws<ArgumentOutOfRangeException>(() => clock.CreateTimer(_ => { }, null, TimeSpan.FromMilliseconds(-2), Timeout.InfiniteTimeSpan));
        using var longest = clock.CreateTimer(_ => { }, null, max, Timeout.InfiniteTimeSpan);
        using var never = clock.CreateTimer(_ => { }, null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        Assert.True(clock.TryGetNextDue(out var due));
        Assert.Equal(max, due);
    }

    [Fact]
    public void Timers_due_at_one_instant_fire_one_at_a_time_unless_they_race()
    {
        // Checks: two timers due at 10 ms, each posting a follow-up item. By default the first timer's
        // follow-up runs before the second timer fires; with SameInstantTimersRace both timers fire first.
        foreach (var race in new[] { false, true })
        {
            var scheduler = new DeterministicScheduler { SameInstantTimersRace = race };
            var order = new List<string>();
            var timers = new List<ITimer>();
            foreach (var name in new[] { "a", "b" })
            {
                timers.Add(scheduler.TimeProvider.CreateTimer(_ =>
                {
                    order.Add($"fire {name}");
                    scheduler.Post(name, () => order.Add($"after {name}"));
                }, null, TimeSpan.FromMilliseconds(10), Timeout.InfiniteTimeSpan));
            }
            scheduler.RunUntilIdle();
            Assert.Equal(race ? ["fire a", "fire b", "after a", "after b"] : ["fire a", "after a", "fire b", "after b"], order);
            timers.ForEach(timer => timer.Dispose());
        }
    }
}
