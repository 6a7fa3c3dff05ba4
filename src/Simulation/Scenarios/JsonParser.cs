using System.Text;
using System.Text.Json;

namespace Supervision.Simulation.Scenarios;

/// <summary>
/// Reads strict RFC 8259 JSON (no comments, no trailing commas, no duplicate keys, 64-bit integers, finite
/// decimals, at most <see cref="MaxDepth"/> levels) from UTF-8 into <see cref="JsonNode"/>s that know their
/// line and column, in two passes over the bytes. The first, System.Text.Json's <see cref="Utf8JsonReader"/>,
/// checks the whole text, so that a syntax error anywhere is reported before any rule of the format, and
/// notes where the containers end (<see cref="ContainerEnds"/>); the second walks the checked text with a
/// <see cref="JsonCursor"/> and builds nodes, each array or object only when it is read
/// (<see cref="JsonNodeBuilder"/>). When the first pass fails, <see cref="JsonSyntaxDiagnosis"/> says what is
/// wrong and where, in words written for people. <see cref="ForEachElement"/> visits a long array (a
/// scenario's steps) one element at a time, so a long scenario never exists as a whole tree of nodes.
/// </summary>
internal static class JsonParser
{
    /// <summary>Deeper nesting is rejected, so that a hostile file cannot overflow the stack.</summary>
    internal const int MaxDepth = 128;

    internal static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = MaxDepth };

    /// <summary>UTF-8's byte order mark: RFC 8259 lets a reader ignore it, and some editors write one.</summary>
    internal static ReadOnlySpan<byte> ByteOrderMark => [0xEF, 0xBB, 0xBF];

    /// <summary>Reads one JSON value that spans the whole text.</summary>
    /// <exception cref="ScenarioFormatException">The text is not valid JSON; the position is that of the first error.</exception>
    public static JsonNode Parse(string text, string file) => Parse(Encoding.UTF8.GetBytes(text), file);

    /// <summary>Reads one JSON value that spans the whole of <paramref name="utf8"/>.</summary>
    /// <param name="utf8">The text; the nodes keep slices of it.</param>
    /// <param name="file">The file name used in positions.</param>
    /// <exception cref="ScenarioFormatException">The text is not valid JSON; the position is that of the first error.</exception>
    public static JsonNode Parse(ReadOnlyMemory<byte> utf8, string file)
    {
        var ends = Check(utf8, file);
        return new JsonNodeBuilder(utf8, file, ends).BuildDocument();
    }

    /// <summary>Visits the elements of an array in order, with their index; an array not read yet is read one element at a time.</summary>
    public static void ForEachElement(JsonNode array, Action<JsonNode, int> visit)
    {
        if (array.Unread is { } unread)
        {
            unread.ForEachElement(array, visit);
            return;
        }
        var items = array.ItemArray;
        for (var i = 0; i < items.Length; i++)
        {
            visit(items[i], i);
        }
    }

    internal static int ByteOrderMarkLength(ReadOnlySpan<byte> utf8) => utf8.StartsWith(ByteOrderMark) ? ByteOrderMark.Length : 0;

    /// <summary>
    /// The first pass: everything the reader checks, plus duplicate keys, the range of numbers, and at most
    /// <see cref="ScenarioLimits.MaxObjectMembers"/> members in an object (no object of the format has more,
    /// and a wider one would cost memory here, in the lists that find duplicates). On the way it notes where
    /// the document's first arrays and objects end (<see cref="ContainerEnds"/>), for the second pass.
    /// </summary>
    private static ContainerEnd[] Check(ReadOnlyMemory<byte> utf8, string file)
    {
        var offset = ByteOrderMarkLength(utf8.Span);
        var reader = new Utf8JsonReader(utf8.Span[offset..], ReaderOptions);
        var names = new MemberNames(utf8.Span[offset..]);
        var ends = new ContainerEnds();
        try
        {
            while (reader.Read())
            {
                var sound = reader.TokenType switch
                {
                    JsonTokenType.StartObject => ends.Open() && names.Open(),
                    JsonTokenType.EndObject => ends.Close(offset + (int)reader.TokenStartIndex + 1) && names.Close(),
                    JsonTokenType.StartArray => ends.Open(),
                    JsonTokenType.EndArray => ends.Close(offset + (int)reader.TokenStartIndex + 1),
                    JsonTokenType.PropertyName when names.Count == ScenarioLimits.MaxObjectMembers =>
                        throw new ScenarioFormatException(new SourceMap(utf8, file).At(offset + (int)reader.TokenStartIndex), ScenarioLimits.Exceeded(
                            "members in one object (no object of a scenario has that many fields)", ScenarioLimits.MaxObjectMembers, null, nameof(ScenarioLimits.MaxObjectMembers))),
                    JsonTokenType.PropertyName => names.Add((int)reader.TokenStartIndex, reader.ValueSpan.Length, reader.ValueIsEscaped),
                    JsonTokenType.Number => JsonStrings.TryReadNumber(reader.ValueSpan, out _, out _),
                    _ => true,
                };
                if (!sound)
                {
                    throw Diagnose(utf8, file, offset + (int)reader.TokenStartIndex);
                }
            }
            return ends.ToArray();
        }
        catch (JsonException)
        {
            throw Diagnose(utf8, file, offset + (int)reader.BytesConsumed);
        }
        finally
        {
            names.Dispose();
            ends.Dispose();
        }
    }

    /// <summary>The error for text the first pass refused: the diagnosis's, or failing that a plain one at the reader's place.</summary>
    private static ScenarioFormatException Diagnose(ReadOnlyMemory<byte> utf8, string file, int offset)
    {
        if (JsonSyntaxDiagnosis.FindFirstError(Encoding.UTF8.GetString(utf8.Span), file) is { } error)
        {
            return error;
        }
        // The diagnosis reads the text decoded with replacement characters, so what it cannot see is bad UTF-8.
        var map = new SourceMap(utf8, file);
        var bad = JsonStrings.FirstInvalidUtf8(utf8.Span);
        return bad >= 0
            ? new ScenarioFormatException(map.At(bad), $"invalid UTF-8 (byte 0x{utf8.Span[bad]:X2}); a scenario file must be UTF-8")
            : new ScenarioFormatException(map.At(Math.Min(offset, utf8.Length)), "invalid JSON");
    }
}
