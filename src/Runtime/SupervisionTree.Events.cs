using System.Runtime.CompilerServices;

namespace Supervision.Runtime;

/// <summary>The event stream: one bounded buffer per reader (see <see cref="EventBuffer"/>).</summary>
public sealed partial class SupervisionTree
{
    /// <summary>
    /// The supervision events from now on, as they happen. Each reader has a buffer of
    /// <see cref="SupervisionTreeOptions.EventBufferCapacity"/> events: a reader that falls further behind loses
    /// the oldest it has not read, and reads one <see cref="SupervisionEventKind.EventsDropped"/> event (with
    /// the count) where they were. The tree never waits for a reader, and a reader that stops reading holds at
    /// most that many events. <see cref="WaitForAsync"/> is not affected.
    /// </summary>
    public IAsyncEnumerable<SupervisionEvent> EventsAsync(CancellationToken cancellationToken = default) =>
        EventsAsync(Options.EventBufferCapacity, cancellationToken);

    /// <summary>The supervision events from now on, with a buffer of <paramref name="bufferCapacity"/> events (see <see cref="EventsAsync(CancellationToken)"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="bufferCapacity"/> is less than 1.</exception>
    public IAsyncEnumerable<SupervisionEvent> EventsAsync(int bufferCapacity, CancellationToken cancellationToken = default)
    {
        // Checked here, not on the first MoveNextAsync: a bad capacity is the caller's error at the call.
        ArgumentOutOfRangeException.ThrowIfLessThan(bufferCapacity, 1);
        return ReadEventsAsync(new EventBuffer(bufferCapacity, Root.Path), cancellationToken);
    }

    private async IAsyncEnumerable<SupervisionEvent> ReadEventsAsync(EventBuffer buffer, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var subscriber = new Subscriber(null, buffer);
        Subscribe(subscriber);
        try
        {
            // Awaited with the captured context: a controlled scheduler keeps the reader.
            while (await buffer.WaitToReadAsync(cancellationToken))
            {
                while (buffer.TryRead(out var item))
                {
                    yield return item;
                }
            }
        }
        finally
        {
            Unsubscribe(subscriber);
        }
    }

    /// <summary>The buffers of the event-stream readers subscribed now (tests check their bound).</summary>
    internal IEnumerable<EventBuffer> EventBuffers => _subscribers.Select(s => s.Buffer).OfType<EventBuffer>();
}
