using System.Buffers;

namespace Supervision.Simulation.Scenarios;

/// <summary>
/// <see cref="JsonParser"/>'s second pass: builds <see cref="JsonNode"/>s from text the first pass has
/// checked, so it meets no syntax errors and needs no tokenizer of its own beyond <see cref="JsonCursor"/>.
/// An array or an object becomes a node at once, but its content is read only when asked for (every node
/// keeps this builder, which holds the text and the file name); positions come from one
/// <see cref="SourceMap"/> that each read rewinds to where its container starts and then walks forward. A
/// scenario may be replayed on several threads at once, and a start_child spec read then, so the reads
/// take turns.
/// </summary>
internal sealed class JsonNodeBuilder
{
    private readonly ReadOnlyMemory<byte> _utf8;
    private readonly SourceMap _map;
    // Where the document's first containers end, from the first pass.
    private readonly ContainerEnd[] _ends;
    // Taken again by the same thread when a visit reads a nested container (Lock is reentrant).
    private readonly Lock _gate = new();
    // The members of the object being read, before they are copied to an array of the right size; only
    // ReadMembers uses it, and it reads no nested container, so one list serves every object in turn.
    private readonly List<JsonMember> _members = [];

    /// <param name="utf8">The checked text.</param>
    /// <param name="file">The file name used in positions.</param>
    /// <param name="ends">Where the first containers end, in the order they open (see <see cref="ContainerEnds"/>).</param>
    public JsonNodeBuilder(ReadOnlyMemory<byte> utf8, string file, ContainerEnd[] ends)
    {
        _utf8 = utf8;
        _ends = ends;
        _map = new SourceMap(utf8, file);
    }

    /// <summary>The document's text.</summary>
    public ReadOnlyMemory<byte> Text => _utf8;

    /// <summary>The file name used in positions.</summary>
    public string File => _map.File;

    /// <summary>The document's value.</summary>
    public JsonNode BuildDocument()
    {
        var cursor = new JsonCursor(_utf8.Span, _ends, _map.Start.Offset, 0);
        cursor.Next();
        return Build(ref cursor);
    }

    /// <summary>Reads the members of the object <paramref name="container"/>, in file order (at most <see cref="ScenarioLimits.MaxObjectMembers"/>, as the first pass saw to).</summary>
    public JsonMember[] ReadMembers(JsonNode container)
    {
        using var turn = _gate.EnterScope();
        var cursor = Open(container);
        try
        {
            while (cursor.Next() != (byte)'}')
            {
                var namePosition = _map.At(cursor.Position);
                var raw = cursor.ReadString(out var escaped);
                var name = JsonStrings.DecodeName(raw, escaped);
                cursor.Next();
                _members.Add(new JsonMember(name, namePosition, Build(ref cursor)));
            }
            return [.. _members];
        }
        finally
        {
            _members.Clear();
        }
    }

    /// <summary>The elements of the array <paramref name="container"/>, in order.</summary>
    public JsonNode[] ReadItems(JsonNode container)
    {
        using var turn = _gate.EnterScope();
        var cursor = Open(container);
        var items = new List<JsonNode>();
        while (cursor.Next() != (byte)']')
        {
            items.Add(Build(ref cursor));
        }
        return [.. items];
    }

    /// <summary>Visits the elements of the array <paramref name="container"/> in order, building one at a time.</summary>
    public void ForEachElement(JsonNode container, Action<JsonNode, int> visit)
    {
        using var turn = _gate.EnterScope();
        var cursor = Open(container);
        for (var index = 0; cursor.Next() != (byte)']'; index++)
        {
            visit(Build(ref cursor), index);
        }
    }

    /// <summary>A cursor on the container's text, past its opening bracket, with the map rewound to it.</summary>
    private JsonCursor Open(JsonNode container)
    {
        var start = container.Offset;
        _map.Rewind((start, container.Line, container.Column));
        // The first container inside this one is the next in document order, when this one's number is known.
        var number = container.ContainerNumber;
        return new JsonCursor(_utf8.Span, _ends, start + 1, number < 0 ? int.MaxValue : number + 1);
    }

    /// <summary>Builds the value whose first byte the cursor is on, and moves the cursor past it.</summary>
    private JsonNode Build(ref JsonCursor cursor)
    {
        var start = cursor.Position;
        var at = _map.At(start);
        switch (cursor.Current)
        {
            case (byte)'{' or (byte)'[':
                var kind = cursor.Current == (byte)'{' ? JsonNodeKind.Object : JsonNodeKind.Array;
                var ordinal = cursor.SkipContainer();
                return JsonNode.Container(this, kind, at, start, cursor.Position - start, ordinal);
            case (byte)'"':
                var raw = cursor.ReadString(out var escaped);
                return JsonNode.String(this, at, start, cursor.Position - start, JsonStrings.DecodeValue(raw, escaped));
            case (byte)'t':
                return JsonNode.Boolean(this, at, start, cursor.SkipLiteral(4), true);
            case (byte)'f':
                return JsonNode.Boolean(this, at, start, cursor.SkipLiteral(5), false);
            case (byte)'n':
                return JsonNode.Null(this, at, start, cursor.SkipLiteral(4));
            default:
                var number = cursor.ReadNumber();
                JsonStrings.TryReadNumber(number, out var integer, out var value);
                return integer is { } whole
                    ? JsonNode.Integer(this, at, start, number.Length, whole)
                    : JsonNode.Decimal(this, at, start, number.Length, value);
        }
    }
}

/// <summary>
/// Walks JSON text that the first pass has already checked: it finds tokens, but relies on the text being
/// valid, so it is a few byte comparisons per token rather than a tokenizer. It steps over an array or an
/// object to the end the first pass noted (<see cref="ContainerEnds"/>); past the noted ones, it jumps from
/// bracket to bracket and over strings, without reading what is between them.
/// </summary>
internal ref struct JsonCursor
{
    // Tokens are short: plain loops find their ends sooner than vectorized searches, which pay to start. Only Scan,
    // which crosses a whole container past the noted ones, searches for the next bracket or quote.
    private static readonly SearchValues<byte> Brackets = SearchValues.Create("\"[]{}"u8);

    private readonly ReadOnlySpan<byte> _text;
    private readonly ReadOnlySpan<ContainerEnd> _ends;
    // The number, in document order, of the next container the cursor will meet; beyond _ends when not noted.
    private int _next;

    /// <param name="text">The whole text.</param>
    /// <param name="ends">Where the first containers end.</param>
    /// <param name="position">Where to start.</param>
    /// <param name="next">The number of the first container after <paramref name="position"/>, or <see cref="int.MaxValue"/> when unknown.</param>
    public JsonCursor(ReadOnlySpan<byte> text, ReadOnlySpan<ContainerEnd> ends, int position, int next)
    {
        _text = text;
        _ends = ends;
        Position = position;
        _next = next;
    }

    /// <summary>The offset of the byte the cursor is on.</summary>
    public int Position { get; private set; }

    /// <summary>The byte the cursor is on.</summary>
    public readonly byte Current => _text[Position];

    /// <summary>Moves past whitespace, commas and colons to the next token and returns its first byte.</summary>
    public byte Next()
    {
        var at = Position;
        var current = _text[at];
        while (current is (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t' or (byte)',' or (byte)':')
        {
            current = _text[++at];
        }
        Position = at;
        return current;
    }

    /// <summary>Reads the string the cursor is on and moves past its closing quote.</summary>
    /// <param name="escaped">Whether the string contains an escape.</param>
    /// <returns>The bytes between the quotes.</returns>
    public ReadOnlySpan<byte> ReadString(out bool escaped)
    {
        var start = Position + 1;
        var end = start;
        escaped = false;
        while (true)
        {
            var current = _text[end];
            if (current == (byte)'"')
            {
                break;
            }
            if (current == (byte)'\\')
            {
                // A backslash and the character it escapes (for \u, the four hex digits that follow are neither a quote nor a backslash).
                escaped = true;
                end++;
            }
            end++;
        }
        Position = end + 1;
        return _text[start..end];
    }

    /// <summary>Moves past the array or object the cursor is on, to just after its closing bracket.</summary>
    /// <returns>The container's number in document order, or -1 when it is not noted in the ends.</returns>
    public int SkipContainer()
    {
        var number = _next;
        if ((uint)number < (uint)_ends.Length)
        {
            var (end, next) = _ends[number];
            Position = end;
            _next = next;
            return number;
        }
        // Past the noted containers, so are all that follow.
        _next = int.MaxValue;
        Scan();
        return -1;
    }

    /// <summary>Finds the end of the container the cursor is on by its brackets.</summary>
    private void Scan()
    {
        var depth = 0;
        var at = Position;
        while (true)
        {
            at += _text[at..].IndexOfAny(Brackets);
            switch (_text[at])
            {
                case (byte)'"':
                    Position = at;
                    ReadString(out _);
                    at = Position;
                    continue;
                case (byte)'{' or (byte)'[':
                    depth++;
                    break;
                default:
                    if (--depth == 0)
                    {
                        Position = at + 1;
                        return;
                    }
                    break;
            }
            at++;
        }
    }

    /// <summary>Moves past a literal (<c>true</c>, <c>false</c>, <c>null</c>) of <paramref name="length"/> bytes; returns the length.</summary>
    public int SkipLiteral(int length)
    {
        Position += length;
        return length;
    }

    /// <summary>Reads the number the cursor is on and moves past it.</summary>
    public ReadOnlySpan<byte> ReadNumber()
    {
        var start = Position;
        var end = start;
        while (end < _text.Length && _text[end] is (>= (byte)'0' and <= (byte)'9') or (byte)'-' or (byte)'+' or (byte)'.' or (byte)'e' or (byte)'E')
        {
            end++;
        }
        Position = end;
        return _text[start..end];
    }
}
