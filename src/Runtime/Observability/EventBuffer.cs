namespace Supervision.Runtime;

/// <summary>
/// The bounded buffer of one <see cref="SupervisionTree.EventsAsync(CancellationToken)"/> reader: many
/// writers (the supervisor loops), one reader. Overflow rule: drop the oldest. A reader that falls behind
/// loses the oldest events it has not read, and reads in their place, at the very position of the gap, one
/// <see cref="SupervisionEventKind.EventsDropped"/> event whose <see cref="SupervisionEvent.DroppedCount"/>
/// says how many. The gap is always at the head (only the oldest are dropped), so the marker is exact.
/// Memory stays at most <c>capacity</c> events, whatever the reader does.
/// </summary>
internal sealed class EventBuffer
{
    private readonly Lock _gate = new();
    private readonly SupervisionEvent?[] _items;
    private readonly string _treePath;
    private int _head;
    private int _count;
    /// <summary>Events dropped since the reader's last read: all older than the one at the head.</summary>
    private long _droppedAtHead;
    private TimeSpan _lastDroppedAt;
    private long _droppedTotal;
    private TaskCompletionSource<bool>? _waiter;

    public EventBuffer(int capacity, string treePath)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _items = new SupervisionEvent?[capacity];
        _treePath = treePath;
    }

    /// <summary>Events waiting to be read (the dropped-events marker excepted).</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _count;
            }
        }
    }

    /// <summary>Every event this buffer has dropped.</summary>
    public long DroppedTotal => Interlocked.Read(ref _droppedTotal);

    public void Write(SupervisionEvent e)
    {
        TaskCompletionSource<bool>? wake;
        lock (_gate)
        {
            if (_count == _items.Length)
            {
                _lastDroppedAt = _items[_head]!.At;
                _items[_head] = null;
                _head = Next(_head);
                _count--;
                _droppedAtHead++;
                Interlocked.Increment(ref _droppedTotal);
            }
            _items[Slot(_count)] = e;
            _count++;
            wake = _waiter;
            _waiter = null;
        }
        wake?.TrySetResult(true);
    }

    /// <summary>The next event: the dropped-events marker first if the reader lost some, then the oldest kept.</summary>
    public bool TryRead(out SupervisionEvent e)
    {
        lock (_gate)
        {
            if (_droppedAtHead > 0)
            {
                e = new SupervisionEvent(_lastDroppedAt, SupervisionEventKind.EventsDropped, _treePath, null, default) { DroppedCount = _droppedAtHead };
                _droppedAtHead = 0;
                return true;
            }
            if (_count == 0)
            {
                e = null!;
                return false;
            }
            e = _items[_head]!;
            _items[_head] = null;
            _head = Next(_head);
            _count--;
            return true;
        }
    }

    /// <summary>Completes with true when there is something to read (at once if there is).</summary>
    public Task<bool> WaitToReadAsync(CancellationToken cancellationToken)
    {
        Task<bool> waiting;
        lock (_gate)
        {
            if (_count > 0 || _droppedAtHead > 0)
            {
                return Task.FromResult(true);
            }
            _waiter ??= new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            waiting = _waiter.Task;
        }
        return cancellationToken.CanBeCanceled ? waiting.WaitAsync(cancellationToken) : waiting;
    }

    private int Next(int index) => index + 1 == _items.Length ? 0 : index + 1;

    private int Slot(int offset)
    {
        var index = _head + offset;
        return index >= _items.Length ? index - _items.Length : index;
    }
}
