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

    private readonly ReadOnlyMemory<byte> _raw;
    // The string of a String node; for an Array or an Object, first the JsonNodeBuilder that reads it, then
    // once read its JsonNode[] or JsonMember[].
    private object? _value;
    // The integer of an Integer node, the bits of a Decimal, 1 for true; for an Array or an Object, the
    // offset of its opening bracket in the text (low half) and its number in document order (high half).
    private readonly long _bits;

    private JsonNode(JsonNodeKind kind, SourcePosition position, ReadOnlyMemory<byte> raw, object? value = null, long bits = 0)
    {
        Kind = kind;
        Position = position;
        _raw = raw;
        _value = value;
        _bits = bits;
    }

    /// <summary>The kind of value.</summary>
    public JsonNodeKind Kind { get; }

    /// <summary>Where the value starts (its first character).</summary>
    public SourcePosition Position { get; }

    /// <summary>The 1-based line where the value starts.</summary>
    public int Line => Position.Line;

    /// <summary>The 1-based column where the value starts.</summary>
    public int Column => Position.Column;

    /// <summary>The value's text exactly as written in the file.</summary>
    public string RawText => Encoding.UTF8.GetString(_raw.Span);

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
            items = ((JsonNodeBuilder)value!).ReadItems(this);
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
            members = ((JsonNodeBuilder)value!).ReadMembers(this);
            _value = members;
            return members;
        }
    }

    /// <summary>An array or an object not read yet: the builder that reads it (see <see cref="JsonParser.ForEachElement"/>).</summary>
    internal JsonNodeBuilder? Unread => _value as JsonNodeBuilder;

    /// <summary>For an array or an object, the offset of its opening bracket in the text.</summary>
    internal int ContentOffset => (int)(uint)_bits;

    /// <summary>For an array or an object, its number in document order (see <see cref="ContainerEnds"/>), or -1 when not noted.</summary>
    internal int ContainerNumber => (int)(_bits >> 32);

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

    internal static JsonNode Null(SourcePosition at, ReadOnlyMemory<byte> raw) => new(JsonNodeKind.Null, at, raw);

    internal static JsonNode Boolean(SourcePosition at, ReadOnlyMemory<byte> raw, bool value) =>
        new(JsonNodeKind.Boolean, at, raw, bits: value ? 1 : 0);

    internal static JsonNode Integer(SourcePosition at, ReadOnlyMemory<byte> raw, long value) =>
        new(JsonNodeKind.Integer, at, raw, bits: value);

    internal static JsonNode Decimal(SourcePosition at, ReadOnlyMemory<byte> raw, double value) =>
        new(JsonNodeKind.Decimal, at, raw, bits: BitConverter.DoubleToInt64Bits(value));

    internal static JsonNode String(SourcePosition at, ReadOnlyMemory<byte> raw, string value) =>
        new(JsonNodeKind.String, at, raw, value);

    internal static JsonNode Container(JsonNodeKind kind, SourcePosition at, ReadOnlyMemory<byte> raw, JsonNodeBuilder builder, int offset, int number) =>
        new(kind, at, raw, builder, ((long)number << 32) | (uint)offset);

    private JsonNode Expect(JsonNodeKind kind) =>
        Kind == kind ? this : throw new InvalidOperationException($"the JSON value at {Position} is {Describe()}, not {kind}");
}
