using System.Numerics;

namespace Supervision.Engine.Internal;

/// <summary>An element of a <see cref="RingQueue{T}"/>: says whether its slot must be cleared when it is dequeued.</summary>
internal interface IQueueEntry
{
    /// <summary>
    /// True when the element references an object the queue must not keep alive once it is dequeued
    /// (a reply, start arguments, a call). Specs and reason strings are not counted: they are small,
    /// and at most one ring's worth of them stays referenced until the slot is reused.
    /// </summary>
    bool HoldsPayload { get; }
}

/// <summary>
/// A FIFO of structs over a growable ring buffer: after it has grown to its working size, enqueue and
/// dequeue allocate nothing. Supports removing an element from the middle (the termination protocol
/// consumes a queued exit, as OTP's supervisor does with a selective receive). The capacity is a power
/// of two so that wrapping is a mask, not a division, and a dequeued slot is cleared only when its
/// element holds a payload: this queue is on the restart path.
/// </summary>
internal sealed class RingQueue<T>
    where T : struct, IQueueEntry
{
    private T[] _items;
    private int _mask;
    private int _head;
    private int _count;

    public RingQueue(int capacity)
    {
        _items = new T[BitOperations.RoundUpToPowerOf2((uint)Math.Max(4, capacity))];
        _mask = _items.Length - 1;
    }

    public int Count => _count;

    public void Enqueue(in T item)
    {
        if (_count == _items.Length)
        {
            Grow();
        }
        _items[(_head + _count) & _mask] = item;
        _count++;
    }

    public bool TryDequeue(out T item)
    {
        if (_count == 0)
        {
            item = default;
            return false;
        }
        ref var slot = ref _items[_head];
        item = slot;
        if (item.HoldsPayload)
        {
            slot = default;
        }
        _head = (_head + 1) & _mask;
        _count--;
        return true;
    }

    /// <summary>The element at <paramref name="index"/> from the head (0 = next to dequeue).</summary>
    public ref readonly T PeekAt(int index) => ref _items[(_head + index) & _mask];

    /// <summary>Removes the element at <paramref name="index"/> from the head, keeping the others in order.</summary>
    public void RemoveAt(int index)
    {
        for (var i = index; i < _count - 1; i++)
        {
            _items[(_head + i) & _mask] = _items[(_head + i + 1) & _mask];
        }
        _items[(_head + _count - 1) & _mask] = default;
        _count--;
    }

    private void Grow()
    {
        var larger = new T[_items.Length * 2];
        for (var i = 0; i < _count; i++)
        {
            larger[i] = _items[(_head + i) & _mask];
        }
        _items = larger;
        _mask = larger.Length - 1;
        _head = 0;
    }
}
