using System.Buffers;
using System.Text;

namespace Supervision.Simulation.Scenarios;

/// <summary>
/// The names of the members of every open object, for <see cref="JsonParser"/>'s first pass to find a
/// duplicate key without making a string of each name. A name written without escapes is compared by its
/// UTF-8 bytes (two such names are equal exactly when their bytes are); an object in which an escaped name
/// appears (<c>"\u0069d"</c> is <c>"id"</c>) is compared from then on by decoded strings, as names were before.
/// An object has at most <see cref="ScenarioLimits.MaxObjectMembers"/> members, so a name is compared with a
/// handful of others; the nesting is at most <see cref="JsonParser.MaxDepth"/> deep, so the lists are bounded too.
/// </summary>
internal ref struct MemberNames
{
    // The text the names are slices of.
    private readonly ReadOnlySpan<byte> _text;
    // The names of the open objects, innermost last: each object's names follow its parent's.
    private Name[]? _names;
    private int _count;
    // Per open object: where its names start in _names, and its set of decoded names once it has an escaped one.
    private Frame[]? _frames;
    private int _depth;
    // Sets for decoded names, one per depth, kept from one object to the next.
    private HashSet<string>?[]? _sets;

    /// <param name="text">The text the reader reads; names are given as offsets in it.</param>
    public MemberNames(ReadOnlySpan<byte> text) => _text = text;

    /// <summary>How many members the innermost open object has so far.</summary>
    public readonly int Count => _count - _frames![_depth - 1].Start;

    /// <summary>An object opens. Always true (a sound token), for the first pass's switch.</summary>
    public bool Open()
    {
        _frames ??= ArrayPool<Frame>.Shared.Rent(16);
        if (_depth == _frames.Length)
        {
            Grow(ref _frames);
        }
        _frames[_depth++] = new Frame(_count, null);
        return true;
    }

    /// <summary>The innermost object closes; false (unsound) when none is open, which the reader never lets happen.</summary>
    public bool Close()
    {
        if (_depth == 0)
        {
            return false;
        }
        _count = _frames![--_depth].Start;
        return true;
    }

    /// <summary>Adds a member name, raw as written; false when the innermost object already has that name.</summary>
    /// <param name="start">The offset in the text of the name's opening quote.</param>
    /// <param name="length">The length of the name between its quotes, escapes and all.</param>
    /// <param name="escaped">Whether the name has a backslash.</param>
    public bool Add(int start, int length, bool escaped)
    {
        var raw = _text.Slice(start + 1, length);
        ref var frame = ref _frames![_depth - 1];
        if (frame.Decoded is null && escaped)
        {
            frame = frame with { Decoded = StartDecoding(frame.Start) };
        }
        if (frame.Decoded is { } decoded)
        {
            if (!decoded.Add(JsonStrings.DecodeName(raw, escaped)))
            {
                return false;
            }
        }
        else
        {
            for (var i = frame.Start; i < _count; i++)
            {
                var name = _names![i];
                if (name.Length == length && _text.Slice(name.Start, length).SequenceEqual(raw))
                {
                    return false;
                }
            }
        }
        _names ??= ArrayPool<Name>.Shared.Rent(64);
        if (_count == _names.Length)
        {
            Grow(ref _names);
        }
        _names[_count++] = new Name(start + 1, length);
        return true;
    }

    /// <summary>Gives the rented arrays back.</summary>
    public void Dispose()
    {
        if (_names is not null)
        {
            ArrayPool<Name>.Shared.Return(_names, clearArray: true);
        }
        if (_frames is not null)
        {
            ArrayPool<Frame>.Shared.Return(_frames, clearArray: true);
        }
        _names = null;
        _frames = null;
    }

    /// <summary>The innermost object's set of decoded names, holding the names it has so far (all unescaped).</summary>
    private HashSet<string> StartDecoding(int start)
    {
        _sets ??= new HashSet<string>?[JsonParser.MaxDepth + 1];
        var set = _sets[_depth - 1] ??= new HashSet<string>(StringComparer.Ordinal);
        set.Clear();
        for (var i = start; i < _count; i++)
        {
            set.Add(Encoding.UTF8.GetString(_text.Slice(_names![i].Start, _names[i].Length)));
        }
        return set;
    }

    private static void Grow<T>(ref T[] array)
    {
        var larger = ArrayPool<T>.Shared.Rent(array.Length * 2);
        array.AsSpan().CopyTo(larger);
        ArrayPool<T>.Shared.Return(array, clearArray: true);
        array = larger;
    }

    /// <summary>A name without escapes: where its bytes are in the text.</summary>
    private readonly record struct Name(int Start, int Length);

    private readonly record struct Frame(int Start, HashSet<string>? Decoded);
}
