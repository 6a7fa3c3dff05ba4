namespace Supervision.Engine.Internal;

/// <summary>One child (or simple_one_for_one instance) of a supervisor.</summary>
internal struct ChildEntry
{
    public ChildSpec Spec;
    public object? Arguments;
    public ChildState State;
    /// <summary>The current (or last) incarnation: what a <see cref="ChildRef"/> must carry to be current.</summary>
    public long Incarnation;
    /// <summary>Unique per entry ever created; tells a try_again for this entry from one for a later entry in the same slot.</summary>
    public long Uid;
    public long Instance;
    /// <summary>The start error of a failed restart: the reason its retry is counted with.</summary>
    public ExitReason LastReason;
    /// <summary>When the current incarnation started (backoff's reset rule reads it).</summary>
    public long StartedAtMs;
    /// <summary>Backoff: the attempt number of the latest delayed restart (0 before the first).</summary>
    public int BackoffAttempt;
    /// <summary>Backoff: nonzero while the child waits for its delayed restart; names that wait.</summary>
    public long BackoffSerial;
    public int Older;
    public int Newer;
    public bool InUse;
    public bool Linked;
    /// <summary>Parallel shutdown: a stop or kill was sent and the exit has not arrived yet.</summary>
    public bool AwaitingExit;
}

/// <summary>
/// The children of one supervisor: a slot array with a free list, and a doubly linked list giving
/// OTP's order (oldest to newest). Slot lookups are O(1); ids and instance numbers are indexed for the
/// operator calls. Nothing here allocates once the arrays have grown to the number of children.
/// </summary>
internal sealed class ChildTable
{
    public const int NoSlot = -1;

    private ChildEntry[] _entries;
    private int _freeHead = NoSlot;
    private int _highWater;
    private readonly Dictionary<string, int> _byId = new(StringComparer.Ordinal);
    private readonly Dictionary<long, int> _byInstance = new();

    public ChildTable(int capacity) => _entries = new ChildEntry[Math.Max(4, capacity)];

    /// <summary>The oldest linked child, or <see cref="NoSlot"/>.</summary>
    public int Oldest { get; private set; } = NoSlot;

    /// <summary>The newest linked child, or <see cref="NoSlot"/>.</summary>
    public int Newest { get; private set; } = NoSlot;

    /// <summary>Number of linked children.</summary>
    public int Count { get; private set; }

    public ref ChildEntry this[int slot] => ref _entries[slot];

    public bool IsLive(int slot) => (uint)slot < (uint)_highWater && _entries[slot].InUse;

    public bool IsCurrent(ChildRef child) => IsLive(child.Slot) && _entries[child.Slot].Incarnation == child.Incarnation;

    public int Older(int slot) => _entries[slot].Older;

    public int Newer(int slot) => _entries[slot].Newer;

    public int FindById(string id) => _byId.TryGetValue(id, out var slot) ? slot : NoSlot;

    public int FindByInstance(long instance) => _byInstance.TryGetValue(instance, out var slot) ? slot : NoSlot;

    /// <summary>Takes a free slot for <paramref name="spec"/>; not yet part of the order.</summary>
    public int Allocate(ChildSpec spec, object? arguments, long uid)
    {
        int slot;
        if (_freeHead != NoSlot)
        {
            slot = _freeHead;
            _freeHead = _entries[slot].Newer;
        }
        else
        {
            if (_highWater == _entries.Length)
            {
                Array.Resize(ref _entries, _entries.Length * 2);
            }
            slot = _highWater++;
        }
        _entries[slot] = new ChildEntry
        {
            Spec = spec,
            Arguments = arguments,
            State = ChildState.Undefined,
            Uid = uid,
            InUse = true,
            Older = NoSlot,
            Newer = NoSlot,
        };
        return slot;
    }

    /// <summary>Makes <paramref name="slot"/> the newest child; indexes it by id (static) or by instance.</summary>
    public void LinkNewest(int slot, bool byInstance)
    {
        ref var entry = ref _entries[slot];
        entry.Older = Newest;
        entry.Newer = NoSlot;
        entry.Linked = true;
        if (Newest != NoSlot)
        {
            _entries[Newest].Newer = slot;
        }
        else
        {
            Oldest = slot;
        }
        Newest = slot;
        Count++;
        if (byInstance)
        {
            _byInstance.Add(entry.Instance, slot);
        }
        else
        {
            _byId.Add(entry.Spec.Id, slot);
        }
    }

    /// <summary>Removes the child in <paramref name="slot"/> from the order and the indexes, and frees the slot.</summary>
    public void Remove(int slot)
    {
        ref var entry = ref _entries[slot];
        if (entry.Linked)
        {
            if (entry.Older != NoSlot)
            {
                _entries[entry.Older].Newer = entry.Newer;
            }
            else
            {
                Oldest = entry.Newer;
            }
            if (entry.Newer != NoSlot)
            {
                _entries[entry.Newer].Older = entry.Older;
            }
            else
            {
                Newest = entry.Older;
            }
            Count--;
            if (entry.Instance > 0)
            {
                _byInstance.Remove(entry.Instance);
            }
            else
            {
                _byId.Remove(entry.Spec.Id);
            }
        }
        entry = default;
        entry.Newer = _freeHead;
        _freeHead = slot;
    }
}
