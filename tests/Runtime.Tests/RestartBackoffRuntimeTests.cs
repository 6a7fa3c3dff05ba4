using Supervision.Engine;
using Xunit;

namespace Supervision.Runtime.Tests;

/// <summary>A supervisor's opt-in restart backoff in the runtime: the engine's delays run on the runtime's timer, here on virtual time.</summary>
public sealed class RestartBackoffRuntimeTests
{
    [Fact]
    public void A_crash_looping_child_is_restarted_after_growing_delays_and_shows_as_restarting_meanwhile()
    {
        // Checks: a child that throws as soon as it runs, under backoff 100 ms x2 up to 400 ms without jitter,
        // starts at 0, 100, 300, 700 and 1100 ms (delays 100, 200, 400, 400), each delay published as a
        // RestartDelayed event (seen from 100 ms on); between two starts which_children says restarting.
        var starts = new List<TimeSpan>();
        var delays = new List<TimeSpan?>();
        VirtualTree? tree = null;
        var definition = new SupervisorDefinition("root", ChildDefinition.Worker("w", (ChildContext _) =>
        {
            starts.Add(tree?.Now ?? TimeSpan.Zero);
            return Task.FromException(new InvalidOperationException("crash loop"));
        }))
        {
            Intensity = 100,
            PeriodSeconds = 60,
            Backoff = new RestartBackoff { InitialDelayMs = 100, MaxDelayMs = 400, Multiplier = 2, Jitter = 0, ResetAfterMs = 10_000 },
        };
        tree = new VirtualTree(definition);
        tree.Run(() =>
        {
            _ = Collect(tree.Tree, delays); // subscribed after the first crash at 0: sees the delays decided from 100 ms on
            return Task.CompletedTask;
        });
        tree.AdvanceTo(TimeSpan.FromMilliseconds(150));
        var midWait = tree.Run(() => tree.Tree.Supervisor("root").WhichChildrenAsync());
        Assert.Equal(ChildState.Restarting, Assert.Single(midWait).State);
        tree.AdvanceTo(TimeSpan.FromMilliseconds(1100));
        Assert.Equal([0, 100, 300, 700, 1100], starts.Select(t => (int)t.TotalMilliseconds));
        Assert.Equal([200, 400, 400], delays.Take(3).Select(d => (int)d!.Value.TotalMilliseconds));
        tree.Stop();
    }

    private static async Task Collect(SupervisionTree tree, List<TimeSpan?> delays)
    {
        await foreach (var e in tree.EventsAsync())
        {
            if (e.Kind == SupervisionEventKind.RestartDelayed)
            {
                delays.Add(e.RestartDelay);
            }
        }
    }

    [Fact]
    public void Without_backoff_the_same_child_is_restarted_at_once()
    {
        // Checks: the same crash loop without backoff restarts at once (all starts at 0) until the intensity gives up.
        var starts = new List<TimeSpan>();
        VirtualTree? tree = null;
        tree = new VirtualTree(new SupervisorDefinition("root", ChildDefinition.Worker("w", (ChildContext _) =>
        {
            starts.Add(tree?.Now ?? TimeSpan.Zero);
            return Task.FromException(new InvalidOperationException("crash loop"));
        }))
        { Intensity = 3, PeriodSeconds = 60 });
        tree.AdvanceTo(TimeSpan.FromMilliseconds(10));
        Assert.Equal(4, starts.Count);
        Assert.All(starts, t => Assert.Equal(TimeSpan.Zero, t));
    }
}
