using System.Globalization;

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
/// <see cref="Kind"/> rather than a class per kind: scenario files are small and the readers only ever
/// ask "is it a string here?", which a kind check answers directly.
/// </summary>
public sealed class JsonNode
{
    private static readonly JsonNode[] NoItems = [];
    private static readonly JsonMember[] NoMembers = [];

    private readonly string _source;
    private readonly int _start;
    private readonly int _length;
    private readonly string? _string;
    private readonly long _integer;
    private readonly double _decimal;
    private readonly JsonNode[] _items;
    private readonly JsonMember[] _members;

    // One constructor for every kind; the factories below say which fields each kind uses.
    private JsonNode(JsonNodeKind kind, SourcePosition position, string source, int start, int length,
        string? text = null, long integer = 0, double number = 0, JsonNode[]? items = null, JsonMember[]? members = null)
    {
        Kind = kind;
        Position = position;
        _source = source;
        _start = start;
        _length = length;
        _string = text;
        _integer = integer;
        _decimal = number;
        _items = items ?? NoItems;
        _members = members ?? NoMembers;
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
    public string RawText => _source.Substring(_start, _length);

    /// <summary>The value of a <see cref="JsonNodeKind.Boolean"/>.</summary>
    /// <exception cref="InvalidOperationException">The node is not a boolean.</exception>
    public bool BooleanValue => Expect(JsonNodeKind.Boolean)._integer != 0;

    /// <summary>The value of an <see cref="JsonNodeKind.Integer"/>.</summary>
    /// <exception cref="InvalidOperationException">The node is not an integer.</exception>
    public long IntegerValue => Expect(JsonNodeKind.Integer)._integer;

    /// <summary>The value of a <see cref="JsonNodeKind.Decimal"/>.</summary>
    /// <exception cref="InvalidOperationException">The node is not a decimal.</exception>
    public double DecimalValue => Expect(JsonNodeKind.Decimal)._decimal;

    /// <summary>The unescaped value of a <see cref="JsonNodeKind.String"/>.</summary>
    /// <exception cref="InvalidOperationException">The node is not a string.</exception>
    public string StringValue => Expect(JsonNodeKind.String)._string!;

    /// <summary>The elements of an array, in order; empty for every other kind.</summary>
    public IReadOnlyList<JsonNode> Items => _items;

    /// <summary>The members of an object, in file order; empty for every other kind.</summary>
    public IReadOnlyList<JsonMember> Members => _members;

    /// <summary>The member of an object with that name, or null (also for a node that is not an object).</summary>
    /// <param name="name">The member's name.</param>
    public JsonMember? Member(string name)
    {
        // Linear on purpose: scenario objects have a handful of members.
        foreach (var member in _members)
        {
            if (string.Equals(member.Name, name, StringComparison.Ordinal))
            {
                return member;
            }
        }
        return null;
    }

    /// <summary>Describes the value for error messages: <c>the string "x"</c>, <c>the integer 5</c>, <c>an object</c>.</summary>
    public string Describe() => Kind switch
    {
        JsonNodeKind.Null => "null",
        JsonNodeKind.Boolean => BooleanValue ? "true" : "false",
        JsonNodeKind.Integer => "the integer " + _integer.ToString(CultureInfo.InvariantCulture),
        JsonNodeKind.Decimal => "the decimal " + RawText,
        JsonNodeKind.String => "the string \"" + _string + "\"",
        JsonNodeKind.Array => "an array",
        _ => "an object",
    };

    /// <summary>The raw text of the value.</summary>
    public override string ToString() => RawText;

    internal static JsonNode Null(SourcePosition at, string source, int start, int length) =>
        new(JsonNodeKind.Null, at, source, start, length);

    internal static JsonNode Boolean(SourcePosition at, string source, int start, int length, bool value) =>
        new(JsonNodeKind.Boolean, at, source, start, length, integer: value ? 1 : 0);

    internal static JsonNode Integer(SourcePosition at, string source, int start, int length, long value) =>
        new(JsonNodeKind.Integer, at, source, start, length, integer: value);

    internal static JsonNode Decimal(SourcePosition at, string source, int start, int length, double value) =>
        new(JsonNodeKind.Decimal, at, source, start, length, number: value);

    internal static JsonNode String(SourcePosition at, string source, int start, int length, string value) =>
        new(JsonNodeKind.String, at, source, start, length, text: value);

    internal static JsonNode Array(SourcePosition at, string source, int start, int length, JsonNode[] items) =>
        new(JsonNodeKind.Array, at, source, start, length, items: items);

    internal static JsonNode Object(SourcePosition at, string source, int start, int length, JsonMember[] members) =>
        new(JsonNodeKind.Object, at, source, start, length, members: members);

    private JsonNode Expect(JsonNodeKind kind) =>
        Kind == kind ? this : throw new InvalidOperationException($"the JSON value at {Position} is {Describe()}, not {kind}");
}
