using System.Globalization;
using System.Text;

namespace Supervision.Simulation.Scenarios;

/// <summary>The kind of a <see cref="JsonNode"/>.</summary>
public enum JsonNodeKind
{
    /// <summary><c>null</c>.</summary>
    Null,
    /// <summary><c>true</c> or <c>false</c>.</summary>
    Boolean,
    /// <summary>A number without fraction or exponent that fits in 64 bits.</summary>
    Integer,
    /// <summary>A number with a fraction or an exponent.</summary>
    Decimal,
    /// <summary>A string.</summary>
    String,
    /// <summary>An array.</summary>
    Array,
    /// <summary>An object.</summary>
    Object,
}

/// <summary>One member of a JSON object: its name, where the name is written, and its value.</summary>
/// <param name="Name">The member's name, unescaped.</param>
/// <param name="Position">Where the name's opening quote is.</param>
/// <param name="Value">The member's value.</param>
public sealed record JsonMember(string Name, SourcePosition Position, JsonNode Value);

/// <summary>
/// A JSON value read from a scenario file, with the place it was written. Immutable. One flat type with a
/// <see cref="Kind"/> rather than a class per kind: the readers only ever ask "is it a string here?",
/// which a kind check answers directly. A node keeps a slice of the file's UTF-8 bytes for
/// <see cref="RawText"/> rather than a copy of its text, and an array or an object reads its elements or
/// members only when they are first asked for, so a part of the file that no reader looks at (a value
/// refused for its kind, say) costs no memory.
/// </summary>
public sealed class JsonNode
{
    private static readonly JsonNode[] NoItems = [];
    private static readonly JsonMember[] NoMembers = [];

    // The document: its text, for RawText, and its file name, for Position; it also reads containers.
    private readonly JsonNodeBuilder _document;
    // The string of a String node; for an Array or an Object, first null (not read yet), then once read its
    // JsonNode[] or JsonMember[].
    private object? _value;
    // The integer of an Integer node, the bits of a Decimal, 1 for true; for an Array or an Object, its number
    // in document order (see ContainerEnds), or -1.
    private readonly long _bits;
    // Where the value's text is, and where it starts as a line and a column: kept as fields rather than as a
    // slice and a SourcePosition, which would each hold a reference that the document already gives.
    private readonly int _start;
    private readonly int _length;
    private readonly int _line;
    private readonly int _column;
    private readonly byte _kind;

    private JsonNode(JsonNodeBuilder document, JsonNodeKind kind, SourcePosition at, int start, int length, object? value = null, long bits = 0)
    {
        _document = document;
        _kind = (byte)kind;
        _line = at.Line;
        _column = at.Column;
        _start = start;
        _length = length;
        _value = value;
        _bits = bits;
    }

    /// <summary>The kind of value.</summary>
    public JsonNodeKind Kind => (JsonNodeKind)_kind;

    /// <summary>Where the value starts (its first character).</summary>
    public SourcePosition Position => new(_document.File, _line, _column);

    /// <summary>The 1-based line where the value starts.</summary>
    public int Line => _line;

    /// <summary>The 1-based column where the value starts.</summary>
    public int Column => _column;

    /// <summary>The value's text exactly as written in the file.</summary>
    public string RawText => Encoding.UTF8.GetString(_document.Text.Span.Slice(_start, _length));

    /// <summary>The value of a <see cref="JsonNodeKind.Boolean"/>.</summary>
    /// <exception cref="InvalidOperationException">The node is not a boolean.</exception>
    public bool BooleanValue => Expect(JsonNodeKind.Boolean)._bits != 0;

    /// <summary>The value of an <see cref="JsonNodeKind.Integer"/>.</summary>
    /// <exception cref="InvalidOperationException">The node is not an integer.</exception>
    public long IntegerValue => Expect(JsonNodeKind.Integer)._bits;

    /// <summary>The value of a <see cref="JsonNodeKind.Decimal"/>.</summary>
    /// <exception cref="InvalidOperationException">The node is not a decimal.</exception>
    public double DecimalValue => BitConverter.Int64BitsToDouble(Expect(JsonNodeKind.Decimal)._bits);

    /// <summary>The unescaped value of a <see cref="JsonNodeKind.String"/>.</summary>
    /// <exception cref="InvalidOperationException">The node is not a string.</exception>
    public string StringValue => (string)Expect(JsonNodeKind.String)._value!;

    /// <summary>The elements of an array, in order; empty for every other kind.</summary>
    public IReadOnlyList<JsonNode> Items => ItemArray;

    /// <summary>The members of an object, in file order; empty for every other kind.</summary>
    public IReadOnlyList<JsonMember> Members => MemberArray;

    /// <summary><see cref="Items"/> as an array, which the readers walk without an enumerator.</summary>
    internal JsonNode[] ItemArray
    {
        get
        {
            if (Kind != JsonNodeKind.Array)
            {
                return NoItems;
            }
            // Read once into a local: another thread may be replacing the builder by the items meanwhile.
            var value = _value;
            if (value is JsonNode[] items)
            {
                return items;
            }
            items = _document.ReadItems(this);
            _value = items;
            return items;
        }
    }

    /// <summary><see cref="Members"/> as an array, which the readers walk without an enumerator.</summary>
    internal JsonMember[] MemberArray
    {
        get
        {
            if (Kind != JsonNodeKind.Object)
            {
                return NoMembers;
            }
            var value = _value;
            if (value is JsonMember[] members)
            {
                return members;
            }
            members = _document.ReadMembers(this);
            _value = members;
            return members;
        }
    }

    /// <summary>An array or an object not read yet: the builder that reads it (see <see cref="JsonParser.ForEachElement"/>); null once read, and for other kinds.</summary>
    internal JsonNodeBuilder? Unread => Kind is JsonNodeKind.Array or JsonNodeKind.Object && _value is null ? _document : null;

    /// <summary>The offset of the value's first byte in the text (an array's or an object's opening bracket).</summary>
    internal int Offset => _start;

    /// <summary>For an array or an object, its number in document order (see <see cref="ContainerEnds"/>), or -1 when not noted.</summary>
    internal int ContainerNumber => (int)_bits;

    /// <summary>The member of an object with that name, or null (also for a node that is not an object).</summary>
    /// <param name="name">The member's name.</param>
    public JsonMember? Member(string name)
    {
        // Linear on purpose: scenario objects have a handful of members.
        foreach (var member in MemberArray)
        {
            if (string.Equals(member.Name, name, StringComparison.Ordinal))
            {
                return member;
            }
        }
        return null;
    }

    /// <summary>
    /// Describes the value for error messages: <c>the string "x"</c>, <c>the integer 5</c>, <c>an object</c>.
    /// A long or odd string is quoted as a short, escaped excerpt (<see cref="Excerpt"/>).
    /// </summary>
    public string Describe() => Kind switch
    {
        JsonNodeKind.Null => "null",
        JsonNodeKind.Boolean => BooleanValue ? "true" : "false",
        JsonNodeKind.Integer => "the integer " + _bits.ToString(CultureInfo.InvariantCulture),
        JsonNodeKind.Decimal => "the decimal " + Excerpt.Bare(RawText),
        JsonNodeKind.String => "the string " + Excerpt.Quote((string)_value!),
        JsonNodeKind.Array => "an array",
        _ => "an object",
    };

    /// <summary>The raw text of the value.</summary>
    public override string ToString() => RawText;

    internal static JsonNode Null(JsonNodeBuilder document, SourcePosition at, int start, int length) =>
        new(document, JsonNodeKind.Null, at, start, length);

    internal static JsonNode Boolean(JsonNodeBuilder document, SourcePosition at, int start, int length, bool value) =>
        new(document, JsonNodeKind.Boolean, at, start, length, bits: value ? 1 : 0);

    internal static JsonNode Integer(JsonNodeBuilder document, SourcePosition at, int start, int length, long value) =>
        new(document, JsonNodeKind.Integer, at, start, length, bits: value);

    internal static JsonNode Decimal(JsonNodeBuilder document, SourcePosition at, int start, int length, double value) =>
        new(document, JsonNodeKind.Decimal, at, start, length, bits: BitConverter.DoubleToInt64Bits(value));

    internal static JsonNode String(JsonNodeBuilder document, SourcePosition at, int start, int length, string value) =>
        new(document, JsonNodeKind.String, at, start, length, value);

    internal static JsonNode Container(JsonNodeBuilder document, JsonNodeKind kind, SourcePosition at, int start, int length, int number) =>
        new(document, kind, at, start, length, bits: number);

    private JsonNode Expect(JsonNodeKind kind) =>
        Kind == kind ? this : throw new InvalidOperationException($"the JSON value at {Position} is {Describe()}, not {kind}");
}
