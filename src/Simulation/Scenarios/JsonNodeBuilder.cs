using System.Text.Json;

namespace Supervision.Simulation.Scenarios;

/// <summary>
/// <see cref="JsonParser"/>'s second pass: builds <see cref="JsonNode"/>s from text the first pass has
/// checked, so it meets no syntax errors. An array or an object becomes a node at once, but its content is
/// read only when asked for (<see cref="LazyContainer"/>); positions come from one <see cref="SourceMap"/>
/// that each read rewinds to where its container starts and then walks forward. A scenario may be replayed
/// on several threads at once, and a start_child spec read then, so the reads take turns.
/// </summary>
internal sealed class JsonNodeBuilder
{
    private readonly ReadOnlyMemory<byte> _utf8;
    private readonly SourceMap _map;
    // Taken again by the same thread when a visit reads a nested container (Lock is reentrant).
    private readonly Lock _gate = new();

    public JsonNodeBuilder(ReadOnlyMemory<byte> utf8, string file)
    {
        _utf8 = utf8;
        _map = new SourceMap(utf8, file);
    }

    /// <summary>The document's value.</summary>
    public JsonNode BuildDocument()
    {
        var offset = _map.Start.Offset;
        var reader = new Utf8JsonReader(_utf8.Span[offset..], JsonParser.ReaderOptions);
        reader.Read();
        return Build(ref reader, offset);
    }

    /// <summary>Reads the members of the object <paramref name="content"/>, in file order (at most <see cref="ScenarioLimits.MaxObjectMembers"/>, as the first pass saw to).</summary>
    public JsonMember[] ReadMembers(LazyContainer content)
    {
        using var turn = _gate.EnterScope();
        var reader = Open(content);
        var members = new List<JsonMember>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var namePosition = _map.At(content.Start + (int)reader.TokenStartIndex);
            var name = JsonStrings.DecodeName(reader.ValueSpan, reader.ValueIsEscaped);
            reader.Read();
            members.Add(new JsonMember(name, namePosition, Build(ref reader, content.Start)));
        }
        return [.. members];
    }

    /// <summary>Visits the elements of the array <paramref name="content"/> in order, building one at a time.</summary>
    public void ForEachElement(LazyContainer content, Action<JsonNode, int> visit)
    {
        using var turn = _gate.EnterScope();
        var reader = Open(content);
        for (var index = 0; reader.Read() && reader.TokenType != JsonTokenType.EndArray; index++)
        {
            visit(Build(ref reader, content.Start), index);
        }
    }

    /// <summary>A reader on the container's text, past its opening bracket, with the map rewound to it.</summary>
    private Utf8JsonReader Open(LazyContainer content)
    {
        _map.Rewind(content.Mark);
        var reader = new Utf8JsonReader(_utf8.Span[content.Start..content.End], JsonParser.ReaderOptions);
        reader.Read();
        return reader;
    }

    /// <summary>Builds the value whose first token the reader is on; <paramref name="baseOffset"/> is where the reader's span starts in the text.</summary>
    private JsonNode Build(ref Utf8JsonReader reader, int baseOffset)
    {
        var start = baseOffset + (int)reader.TokenStartIndex;
        var at = _map.At(start);
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject or JsonTokenType.StartArray:
                var kind = reader.TokenType == JsonTokenType.StartObject ? JsonNodeKind.Object : JsonNodeKind.Array;
                var mark = _map.Mark;
                reader.Skip();
                var end = baseOffset + (int)reader.TokenStartIndex + 1;
                return JsonNode.Container(kind, at, _utf8[start..end], new LazyContainer(this, kind, start, end, mark));
            case JsonTokenType.String:
                var text = JsonStrings.Decode(reader.ValueSpan, reader.ValueIsEscaped);
                return JsonNode.String(at, _utf8.Slice(start, reader.ValueSpan.Length + 2), text);
            case JsonTokenType.Number:
                var raw = _utf8.Slice(start, reader.ValueSpan.Length);
                JsonStrings.TryReadNumber(reader.ValueSpan, out var integer, out var number);
                return integer is { } whole ? JsonNode.Integer(at, raw, whole) : JsonNode.Decimal(at, raw, number);
            case JsonTokenType.True or JsonTokenType.False:
                return JsonNode.Boolean(at, _utf8.Slice(start, reader.ValueSpan.Length), reader.TokenType == JsonTokenType.True);
            default:
                return JsonNode.Null(at, _utf8.Slice(start, reader.ValueSpan.Length));
        }
    }
}

/// <summary>Where an array or an object not read yet is, to read it when asked.</summary>
/// <param name="Builder">The builder of its document.</param>
/// <param name="Kind">Array or object.</param>
/// <param name="Start">The offset of its opening bracket in the text.</param>
/// <param name="End">The offset just past its closing bracket.</param>
/// <param name="Mark">The source map's place at <paramref name="Start"/>.</param>
internal sealed record LazyContainer(JsonNodeBuilder Builder, JsonNodeKind Kind, int Start, int End, (int Offset, int Line, int Column) Mark)
{
    public JsonMember[] ReadMembers() => Builder.ReadMembers(this);

    public JsonNode[] ReadItems()
    {
        var items = new List<JsonNode>();
        Builder.ForEachElement(this, (item, _) => items.Add(item));
        return [.. items];
    }

    public void ForEach(Action<JsonNode, int> visit) => Builder.ForEachElement(this, visit);
}
