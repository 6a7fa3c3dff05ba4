using System.Globalization;

namespace Supervision.Simulation.Scenarios;

/// <summary>
/// Reads the fields of one JSON object of a scenario with type checks, and turns every mistake into a
/// <see cref="ScenarioFormatException"/> at the offending value (or at the object, for a missing field).
/// A struct: one is opened for every step and every child, and it holds only references.
/// </summary>
internal readonly struct ObjectReader
{
    // What only messages need is made when a message needs it: from _subject and _number by _describe.
    private readonly Func<string, int, string>? _describe;
    private readonly string _subject;
    private readonly int _number;
    private readonly string? _what;

    private ObjectReader(JsonNode node, string what)
    {
        Node = node;
        _subject = what;
        _what = what;
    }

    private ObjectReader(JsonNode node, Func<string, int, string> describe, string subject, int number)
    {
        Node = node;
        _describe = describe;
        _subject = subject;
        _number = number;
    }

    /// <summary>The object being read.</summary>
    public JsonNode Node { get; }

    /// <summary>What the object is, for messages: <c>supervisor "root"</c>, <c>exit step</c>.</summary>
    public string What => _what ?? _describe!(_subject, _number);

    /// <summary>Starts reading <paramref name="node"/>, which must be an object.</summary>
    public static ObjectReader Open(JsonNode node, string what) =>
        node.Kind == JsonNodeKind.Object ? new ObjectReader(node, what) : throw Fail(node, $"{what} must be an object, got {node.Describe()}");

    /// <summary>
    /// Starts reading <paramref name="node"/>, which must be an object, described for messages by
    /// <c><paramref name="describe"/>(<paramref name="subject"/>, <paramref name="number"/>)</c>, made only if a
    /// message needs it (pass a static lambda, so that opening allocates nothing else).
    /// </summary>
    public static ObjectReader Open(JsonNode node, Func<string, int, string> describe, string subject, int number = 0) =>
        node.Kind == JsonNodeKind.Object
            ? new ObjectReader(node, describe, subject, number)
            : throw Fail(node, $"{describe(subject, number)} must be an object, got {node.Describe()}");

    public static ScenarioFormatException Fail(JsonNode at, string detail) => new(at.Position, detail);

    public static ScenarioFormatException Fail(JsonMember at, string detail) => new(at.Position, detail);

    /// <summary>Rejects the first member, in file order, whose name is not in <paramref name="allowed"/>.</summary>
    public void RejectUnknown(params ReadOnlySpan<string> allowed)
    {
        foreach (var member in Node.MemberArray)
        {
            if (!IsOneOf(member.Name, allowed))
            {
                throw Fail(member, $"unknown field {Excerpt.Quote(member.Name)} in {What}");
            }
        }
    }

    /// <summary>
    /// Whether <paramref name="name"/> is one of <paramref name="names"/> (ordinal). A field name read from a
    /// file is usually the very string of the format's table (<see cref="JsonStrings.DecodeName"/>), so a
    /// reference test answers first.
    /// </summary>
    public static bool IsOneOf(string name, ReadOnlySpan<string> names)
    {
        foreach (var candidate in names)
        {
            if (ReferenceEquals(candidate, name))
            {
                return true;
            }
        }
        foreach (var candidate in names)
        {
            if (string.Equals(candidate, name, StringComparison.Ordinal))
            {
                return true;
            }
        }
        return false;
    }

    public bool Has(string name) => Node.Member(name) is not null;

    public JsonNode? Optional(string name) => Node.Member(name)?.Value;

    public JsonNode Required(string name) =>
        Optional(name) ?? throw Fail(Node, $"{What} is missing the required field \"{name}\"");

    public string RequiredString(string name) => AsString(name, Required(name));

    public string? OptionalString(string name) => Optional(name) is { } value ? AsString(name, value) : null;

    public long RequiredInteger(string name, long min, long max = long.MaxValue) => AsInteger(name, Required(name), min, max);

    public long? OptionalInteger(string name, long min, long max = long.MaxValue) =>
        Optional(name) is { } value ? AsInteger(name, value, min, max) : null;

    public bool? OptionalBoolean(string name) => Optional(name) switch
    {
        null => null,
        { Kind: JsonNodeKind.Boolean } value => value.BooleanValue,
        var value => throw Fail(value, $"field \"{name}\" of {What} must be true or false, got {value.Describe()}"),
    };

    /// <summary>Reads a word from a fixed table (a strategy, a restart type, ...); null when the field is absent.</summary>
    public T? OptionalToken<T>(string name, IReadOnlyDictionary<string, T> table)
        where T : struct
    {
        if (Optional(name) is not { } value)
        {
            return null;
        }
        var word = AsString(name, value);
        return table.TryGetValue(word, out var token)
            ? token
            : throw Fail(value, $"field \"{name}\" of {What} must be {ScenarioTokens.Choices(table)}, got {Excerpt.Quote(word)}");
    }

    public string AsString(string name, JsonNode value) => value.Kind == JsonNodeKind.String
        ? value.StringValue
        : throw Fail(value, $"field \"{name}\" of {What} must be a string, got {value.Describe()}");

    /// <summary>A time in milliseconds: an integer from 0 to <see cref="ScenarioLimits.MaxTimeMs"/>.</summary>
    public long AsTime(string name, JsonNode value) => AsInteger(name, value, 0, ScenarioLimits.MaxTimeMs, TimeLimit);

    /// <summary>What a message says about <see cref="ScenarioLimits.MaxTimeMs"/>.</summary>
    public const string TimeLimit = "the limit on times, ScenarioLimits.MaxTimeMs: the longest timer .NET accepts, about 49.7 days";

    public long AsInteger(string name, JsonNode value, long min, long max, string? limitName = null)
    {
        if (value.Kind != JsonNodeKind.Integer)
        {
            throw Fail(value, $"field \"{name}\" of {What} must be an integer, got {value.Describe()}");
        }
        var number = value.IntegerValue;
        if (number < min)
        {
            var bound = min == 1 ? "> 0" : string.Create(CultureInfo.InvariantCulture, $">= {min}");
            throw Fail(value, string.Create(CultureInfo.InvariantCulture, $"field \"{name}\" of {What} must be {bound}, got {number}"));
        }
        return number <= max
            ? number
            : throw Fail(value, string.Create(CultureInfo.InvariantCulture,
                $"field \"{name}\" of {What} must be at most {max}{(limitName is null ? "" : $" ({limitName})")}, got {number}"));
    }
}
