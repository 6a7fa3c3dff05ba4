namespace Supervision.Engine.Internal;

/// <summary>
/// A FIFO of structs over a growable ring buffer: after it has grown to its working size, enqueue and
/// dequeue allocate nothing. Supports removing an element from the middle (the termination protocol
/// consumes a queued exit, as OTP's supervisor does with a selective receive).
/// </summary>
internal sealed class RingQueue<T>
{
    private T[] _items;
    private int _head;
    private int _count;

    public RingQueue(int capacity) => _items = new T[Math.Max(4, capacity)];

    public int Count => _count;

    public void Enqueue(in T item)
    {
        if (_count == _items.Length)
        {
            Grow();
        }
        _items[(_head + _count) % _items.Length] = item;
        _count++;
    }

    public bool TryDequeue(out T item)
    {
        if (_count == 0)
        {
            item = default!;
            return false;
        }
        item = _items[_head];
        _items[_head] = default!;
        _head = (_head + 1) % _items.Length;
        _count--;
        return true;
    }

    /// <summary>The element at <paramref name="index"/> from the head (0 = next to dequeue).</summary>
    public ref readonly T PeekAt(int index) => ref _items[(_head + index) % _items.Length];

    /// <summary>Removes the element at <paramref name="index"/> from the head, keeping the others in order.</summary>
    public void RemoveAt(int index)
    {
        for (var i = index; i < _count - 1; i++)
        {
            _items[(_head + i) % _items.Length] = _items[(_head + i + 1) % _items.Length];
        }
        _items[(_head + _count - 1) % _items.Length] = default!;
        _count--;
    }

    public void Clear()
    {
        while (TryDequeue(out _))
        {
        }
    }

    private void Grow()
    {
        var larger = new T[_items.Length * 2];
        for (var i = 0; i < _count; i++)
        {
            larger[i] = _items[(_head + i) % _items.Length];
        }
        _items = larger;
        _head = 0;
    }
}
