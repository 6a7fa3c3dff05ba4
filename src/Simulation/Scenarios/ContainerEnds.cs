using System.Buffers;

namespace Supervision.Simulation.Scenarios;

/// <summary>
/// Where an array or an object ends, and which container comes next: the <c>Next</c>-th array or object of
/// the document, counted from 0 in the order they open, is the first to open after this one closes.
/// </summary>
/// <param name="End">The offset just past its closing bracket.</param>
/// <param name="Next">The number, in document order, of the first container that opens after it ends.</param>
internal readonly record struct ContainerEnd(int End, int Next);

/// <summary>
/// Notes, in <see cref="JsonParser"/>'s first pass, where the document's first <see cref="Capacity"/> arrays
/// and objects end, so that the second pass (<see cref="JsonCursor"/>) steps over a container it does not
/// read yet without scanning it. Containers past the first <see cref="Capacity"/> (only in a huge file) are
/// not noted, which bounds the table's memory; the second pass scans those to find their ends.
/// </summary>
internal ref struct ContainerEnds
{
    /// <summary>The most containers noted: 16,384, 128 KiB of table.</summary>
    public const int Capacity = 16 * 1024;

    // The noted ends, in the order the containers open.
    private ContainerEnd[]? _ends;
    // How many containers have opened so far (noted or not).
    private int _count;
    // The numbers of the open containers, innermost last (the reader keeps the nesting within JsonParser.MaxDepth).
    private int[]? _open;
    private int _depth;

    /// <summary>A container opens. Always true (a sound token), for the first pass's switch.</summary>
    public bool Open()
    {
        _open ??= ArrayPool<int>.Shared.Rent(JsonParser.MaxDepth + 1);
        _open[_depth++] = _count++;
        return true;
    }

    /// <summary>The innermost container closes just before <paramref name="end"/>. Always true, for the first pass's switch.</summary>
    public bool Close(int end)
    {
        var number = _open![--_depth];
        if (number < Capacity)
        {
            _ends ??= ArrayPool<ContainerEnd>.Shared.Rent(Math.Min(Capacity, Math.Max(number + 1, 64)));
            if (number >= _ends.Length)
            {
                var larger = ArrayPool<ContainerEnd>.Shared.Rent(Math.Min(Capacity, Math.Max(number + 1, _ends.Length * 2)));
                _ends.AsSpan().CopyTo(larger);
                ArrayPool<ContainerEnd>.Shared.Return(_ends);
                _ends = larger;
            }
            _ends[number] = new ContainerEnd(end, _count);
        }
        return true;
    }

    /// <summary>The noted ends, in a table of the right size that the document keeps.</summary>
    public readonly ContainerEnd[] ToArray() => _ends is null ? [] : _ends.AsSpan(0, Math.Min(_count, Capacity)).ToArray();

    /// <summary>Gives the rented arrays back.</summary>
    public void Dispose()
    {
        if (_ends is not null)
        {
            ArrayPool<ContainerEnd>.Shared.Return(_ends);
            _ends = null;
        }
        if (_open is not null)
        {
            ArrayPool<int>.Shared.Return(_open);
            _open = null;
        }
    }
}
