using Supervision.Engine;
using Xunit;

namespace Supervision.Runtime.Tests;

/// <summary>
/// The event stream's buffer per reader: a reader that falls behind loses the oldest events it has not read and
/// reads one EventsDropped event (with the count) in their place; the tree never waits for it and its memory
/// stays at the buffer's capacity. Virtual time.
/// </summary>
public sealed class EventStreamBoundTests
{
    private static ChildDefinition Forever(string id) => ChildDefinition.Worker(id, context => Task.Delay(Timeout.Infinite, context.Stopping));

    [Fact]
    public void A_reader_that_fell_behind_reads_the_drop_count_then_the_newest_events_in_order()
    {
        // Checks: two readers subscribed before 10 crashes (20 events): one with room for all of them (the
        // oracle) and one with a buffer of 4. The small one reads the first event, then EventsDropped with
        // 20 - 1 - 4 = 15 at the time of the last one lost, then exactly the oracle's last 4.
        var tree = new VirtualTree(new SupervisorDefinition("root", Forever("a")) { Intensity = 100 });
        var small = tree.Tree.EventsAsync(4).GetAsyncEnumerator();
        var whole = tree.Tree.EventsAsync(64).GetAsyncEnumerator();
        Task<bool> smallFirst = null!, wholeFirst = null!;
        tree.Run(() =>
        {
            smallFirst = small.MoveNextAsync().AsTask();
            wholeFirst = whole.MoveNextAsync().AsTask();
            return Task.CompletedTask;
        });
        for (var i = 0; i < 10; i++)
        {
            tree.AdvanceTo(TimeSpan.FromMilliseconds(10 * i));
            tree.Run(() => tree.Tree.Child("root/a").CrashAsync($"crash{i}"));
        }
        Assert.True(smallFirst.IsCompletedSuccessfully && wholeFirst.IsCompletedSuccessfully);
        var smallFirstEvent = small.Current;
        var wholeFirstEvent = whole.Current;
        var oracle = tree.Run(() => Task.FromResult(ReadWhatIsThere(whole).Prepend(wholeFirstEvent).ToList()));
        var behind = tree.Run(() => Task.FromResult(ReadWhatIsThere(small)));
        Assert.Equal(20, oracle.Count);
        Assert.Equal(oracle[0], smallFirstEvent);

        Assert.Equal(5, behind.Count);
        var marker = behind[0];
        Assert.Equal(SupervisionEventKind.EventsDropped, marker.Kind);
        Assert.Equal(15, marker.DroppedCount);
        Assert.Equal(oracle[^5].At, marker.At);
        Assert.Equal(TimeSpan.FromMilliseconds(70), marker.At);
        Assert.Equal(oracle.TakeLast(4), behind.Skip(1));
        Assert.Equal(15, Assert.Single(tree.Tree.EventBuffers, b => b.DroppedTotal > 0).DroppedTotal);
        tree.Stop();
    }

    [Fact]
    public void A_reader_that_never_reads_holds_at_most_its_capacity_through_a_hundred_thousand_restarts()
    {
        // Checks: a reader with a buffer of 256 that reads once and never again, through 100,000 restarts
        // (200,000 events): its buffer holds 256 events, it counts 199,744 dropped (all but the first read and
        // the 256 kept), and the tree is not slowed into waiting for it (every restart happened: incarnation
        // 100,001). Before the bound, the unread events were all kept (200 MB per million restarts).
        const int restarts = 100_000;
        var tree = new VirtualTree(new SupervisorDefinition("root", Forever("a")) { Intensity = restarts, PeriodSeconds = 1 });
        var idle = tree.Tree.EventsAsync(256).GetAsyncEnumerator();
        Task<bool> first = null!;
        tree.Run(() =>
        {
            first = idle.MoveNextAsync().AsTask();
            return Task.CompletedTask;
        });
        tree.Run(async () =>
        {
            var child = tree.Tree.Child("root/a");
            for (var i = 0; i < restarts; i++)
            {
                await child.CrashAsync("boom");
            }
        });
        Assert.True(first.IsCompletedSuccessfully);
        Assert.Equal(restarts + 1, tree.Tree.Child("root/a").Incarnation);
        var buffer = Assert.Single(tree.Tree.EventBuffers);
        Assert.Equal(256, buffer.Count);
        Assert.Equal(2L * restarts - 1 - 256, buffer.DroppedTotal);
        tree.Stop();
    }

    [Fact]
    public void A_million_writes_to_a_buffer_of_sixteen_keep_sixteen_and_report_the_rest_as_one_marker()
    {
        // Checks: the buffer alone, a million events with distinct times: 16 kept, 999,984 dropped, read as one
        // marker at the time of the last one dropped (999,983 ms), then events 999,984..999,999 in order.
        var buffer = new EventBuffer(16, "root");
        for (var i = 0; i < 1_000_000; i++)
        {
            buffer.Write(new SupervisionEvent(TimeSpan.FromMilliseconds(i), SupervisionEventKind.ChildStarted, "root", "root/a", ExitReason.Normal));
        }
        Assert.Equal((16, 999_984L), (buffer.Count, buffer.DroppedTotal));
        Assert.True(buffer.TryRead(out var marker));
        Assert.Equal((SupervisionEventKind.EventsDropped, 999_984L, TimeSpan.FromMilliseconds(999_983)), (marker.Kind, marker.DroppedCount, marker.At));
        var kept = new List<double>();
        while (buffer.TryRead(out var e))
        {
            kept.Add(e.At.TotalMilliseconds);
        }
        Assert.Equal(Enumerable.Range(999_984, 16).Select(i => (double)i), kept);
        Assert.False(buffer.WaitToReadAsync(CancellationToken.None).IsCompleted);
    }

    [Fact]
    public void The_buffer_capacity_is_checked_where_it_is_given()
    {
        // Checks: a capacity below 1 is refused by the options (naming EventBufferCapacity) and by EventsAsync
        // at the call, not at the first read; WaitForAsync is not a buffered reader and loses nothing.
        var refused = Assert.Throws<ArgumentOutOfRangeException>(() => new SupervisionTreeOptions { EventBufferCapacity = 0 });
        Assert.Equal("EventBufferCapacity", refused.ParamName);
        var tree = new VirtualTree(new SupervisorDefinition("root", Forever("a")) { Intensity = 5 });
        Assert.Throws<ArgumentOutOfRangeException>(() => tree.Tree.EventsAsync(0));
        tree.Stop();
    }

    /// <summary>Reads the events already buffered (each read completes at once), stopping at the first that would wait.</summary>
    private static List<SupervisionEvent> ReadWhatIsThere(IAsyncEnumerator<SupervisionEvent> reader)
    {
        var read = new List<SupervisionEvent>();
        for (var next = reader.MoveNextAsync(); next.IsCompleted; next = reader.MoveNextAsync())
        {
            Assert.True(next.Result);
            read.Add(reader.Current);
        }
        return read;
    }
}
