using System.Globalization;
using System.Text;

namespace Supervision.Simulation.Scenarios;

/// <summary>
/// A strict RFC 8259 reader (no comments, no trailing commas, no duplicate keys) that keeps the line and
/// column of every value and member name. Hand-written rather than System.Text.Json because scenario
/// errors must point at the exact place, including for the rules checked after parsing.
/// </summary>
internal sealed class JsonParser
{
    /// <summary>Deeper nesting is rejected, so that a hostile file cannot overflow the stack.</summary>
    internal const int MaxDepth = 128;

    private readonly string _text;
    private readonly string _file;
    private int _pos;
    private int _line = 1;
    private int _column = 1;

    private JsonParser(string text, string file)
    {
        _text = text;
        _file = file;
    }

    private bool AtEnd => _pos >= _text.Length;

    private char Current => _text[_pos];

    private SourcePosition Here => new(_file, _line, _column);

    /// <summary>Reads one JSON value that spans the whole text.</summary>
    /// <exception cref="ScenarioFormatException">The text is not valid JSON; the position is that of the first error.</exception>
    public static JsonNode Parse(string text, string file)
    {
        var parser = new JsonParser(text, file);
        // RFC 8259 lets a reader ignore a byte order mark, and some editors write one.
        if (text.Length > 0 && text[0] == '\uFEFF')
        {
            parser._pos = 1;
        }
        parser.SkipWhitespace();
        var root = parser.ParseValue(0);
        parser.SkipWhitespace();
        if (!parser.AtEnd)
        {
            throw parser.Error(parser.Here, $"unexpected {parser.DescribeCurrent()} after the end of the JSON value");
        }
        return root;
    }

    private JsonNode ParseValue(int depth)
    {
        if (AtEnd)
        {
            throw Error(Here, "unexpected end of input, expected a value");
        }
        return Current switch
        {
            '{' => ParseObject(depth + 1),
            '[' => ParseArray(depth + 1),
            '"' => ParseString(),
            '-' or (>= '0' and <= '9') => ParseNumber(),
            _ when char.IsAsciiLetter(Current) => ParseLiteral(),
            _ => throw Error(Here, $"unexpected {DescribeCurrent()}, expected a value"),
        };
    }

    private JsonNode ParseObject(int depth)
    {
        var start = _pos;
        var at = Here;
        CheckDepth(depth, at);
        Advance();
        var members = new List<JsonMember>();
        var names = new Dictionary<string, SourcePosition>(StringComparer.Ordinal);
        SkipWhitespace();
        ExpectMore(at, "object");
        while (Current != '}')
        {
            if (Current != '"')
            {
                throw Error(Here, $"unexpected {DescribeCurrent()}, expected a member name in double quotes");
            }
            var namePosition = Here;
            var name = ParseString().StringValue;
            if (!names.TryAdd(name, namePosition))
            {
                var first = names[name];
                throw Error(namePosition, string.Create(CultureInfo.InvariantCulture,
                    $"duplicate key \"{name}\" (first at line {first.Line}, column {first.Column})"));
            }
            SkipWhitespace();
            ExpectMore(at, "object");
            if (Current != ':')
            {
                throw Error(Here, $"unexpected {DescribeCurrent()}, expected ':' after the member name \"{name}\"");
            }
            Advance();
            SkipWhitespace();
            members.Add(new JsonMember(name, namePosition, ParseValue(depth)));
            SkipWhitespace();
            ExpectMore(at, "object");
            if (Current == '}')
            {
                break;
            }
            if (Current != ',')
            {
                throw Error(Here, $"unexpected {DescribeCurrent()}, expected ',' or '}}' after the member \"{name}\"");
            }
            SkipComma(at, "object", '}');
        }
        Advance();
        return JsonNode.Object(at, _text, start, _pos - start, [.. members]);
    }

    private JsonNode ParseArray(int depth)
    {
        var start = _pos;
        var at = Here;
        CheckDepth(depth, at);
        Advance();
        var items = new List<JsonNode>();
        SkipWhitespace();
        ExpectMore(at, "array");
        while (Current != ']')
        {
            items.Add(ParseValue(depth));
            SkipWhitespace();
            ExpectMore(at, "array");
            if (Current == ']')
            {
                break;
            }
            if (Current != ',')
            {
                throw Error(Here, $"unexpected {DescribeCurrent()}, expected ',' or ']' after an array element");
            }
            SkipComma(at, "array", ']');
        }
        Advance();
        return JsonNode.Array(at, _text, start, _pos - start, [.. items]);
    }

    /// <summary>Steps over a separating comma; what follows must be another element, not the closing bracket.</summary>
    private void SkipComma(SourcePosition opened, string container, char closing)
    {
        var comma = Here;
        Advance();
        SkipWhitespace();
        ExpectMore(opened, container);
        if (Current == closing)
        {
            throw Error(comma, $"trailing comma before '{closing}'");
        }
    }

    private JsonNode ParseString()
    {
        var start = _pos;
        var at = Here;
        Advance();
        StringBuilder? unescaped = null;
        var run = _pos;
        while (true)
        {
            // A raw line break inside a string almost always means a missing closing quote.
            if (AtEnd || Current == '\n')
            {
                throw Error(at, "unterminated string");
            }
            var c = Current;
            if (c == '"')
            {
                break;
            }
            if (c < ' ')
            {
                throw Error(Here, $"control character U+{(int)c:X4} in a string; write it as an escape");
            }
            if (c == '\\')
            {
                unescaped ??= new StringBuilder();
                unescaped.Append(_text, run, _pos - run);
                ReadEscape(unescaped, at);
                run = _pos;
                continue;
            }
            Advance();
        }
        var value = unescaped is null
            ? _text.Substring(start + 1, _pos - start - 1)
            : unescaped.Append(_text, run, _pos - run).ToString();
        Advance();
        return JsonNode.String(at, _text, start, _pos - start, value);
    }

    private void ReadEscape(StringBuilder into, SourcePosition stringStart)
    {
        var at = Here;
        Advance();
        if (AtEnd)
        {
            throw Error(stringStart, "unterminated string");
        }
        var c = Current;
        Advance();
        switch (c)
        {
            case '"' or '\\' or '/': into.Append(c); return;
            case 'b': into.Append('\b'); return;
            case 'f': into.Append('\f'); return;
            case 'n': into.Append('\n'); return;
            case 'r': into.Append('\r'); return;
            case 't': into.Append('\t'); return;
            case 'u': break;
            default: throw Error(at, $"invalid escape '\\{c}'");
        }
        for (var i = 0; i < 4; i++)
        {
            if (_pos + i >= _text.Length || !char.IsAsciiHexDigit(_text[_pos + i]))
            {
                throw Error(at, "invalid \\u escape: expected four hexadecimal digits");
            }
        }
        into.Append((char)int.Parse(_text.AsSpan(_pos, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture));
        for (var i = 0; i < 4; i++)
        {
            Advance();
        }
    }

    private JsonNode ParseNumber()
    {
        var start = _pos;
        var at = Here;
        if (Current == '-')
        {
            Advance();
        }
        RequireDigit(at, start);
        if (Current == '0')
        {
            Advance();
            if (!AtEnd && char.IsAsciiDigit(Current))
            {
                throw Error(at, $"invalid number '{NumberText(start)}': leading zeros are not allowed");
            }
        }
        SkipDigits();
        var isDecimal = false;
        if (!AtEnd && Current == '.')
        {
            isDecimal = true;
            Advance();
            RequireDigit(at, start);
            SkipDigits();
        }
        if (!AtEnd && Current is 'e' or 'E')
        {
            isDecimal = true;
            Advance();
            if (!AtEnd && Current is '+' or '-')
            {
                Advance();
            }
            RequireDigit(at, start);
            SkipDigits();
        }
        var text = _text.AsSpan(start, _pos - start);
        if (!isDecimal)
        {
            return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer)
                ? JsonNode.Integer(at, _text, start, _pos - start, integer)
                : throw Error(at, $"integer {text} does not fit in 64 bits");
        }
        var number = double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
        return double.IsFinite(number)
            ? JsonNode.Decimal(at, _text, start, _pos - start, number)
            : throw Error(at, $"number {text} is out of range");
    }

    private JsonNode ParseLiteral()
    {
        var start = _pos;
        var at = Here;
        while (!AtEnd && (char.IsAsciiLetterOrDigit(Current) || Current == '_'))
        {
            Advance();
        }
        var word = _text[start.._pos];
        return word switch
        {
            "true" => JsonNode.Boolean(at, _text, start, _pos - start, true),
            "false" => JsonNode.Boolean(at, _text, start, _pos - start, false),
            "null" => JsonNode.Null(at, _text, start, _pos - start),
            _ => throw Error(at, $"invalid literal '{Shorten(word)}' (expected true, false, null, a number, a string, an array or an object)"),
        };
    }

    private void RequireDigit(SourcePosition numberStart, int start)
    {
        if (AtEnd || !char.IsAsciiDigit(Current))
        {
            throw Error(numberStart, $"invalid number '{NumberText(start)}'");
        }
    }

    private void SkipDigits()
    {
        while (!AtEnd && char.IsAsciiDigit(Current))
        {
            Advance();
        }
    }

    /// <summary>The number-like text from <paramref name="start"/>, for messages (it may run past the bad character).</summary>
    private string NumberText(int start)
    {
        var end = start;
        while (end < _text.Length && (char.IsAsciiLetterOrDigit(_text[end]) || _text[end] is '-' or '+' or '.'))
        {
            end++;
        }
        return Shorten(_text[start..end]);
    }

    private void SkipWhitespace()
    {
        while (!AtEnd && Current is ' ' or '\t' or '\n' or '\r')
        {
            Advance();
        }
    }

    private void Advance()
    {
        if (_text[_pos] == '\n')
        {
            _line++;
            _column = 1;
        }
        else
        {
            _column++;
        }
        _pos++;
    }

    private void ExpectMore(SourcePosition opened, string container)
    {
        if (AtEnd)
        {
            throw Error(Here, string.Create(CultureInfo.InvariantCulture,
                $"unexpected end of input: the {container} opened at line {opened.Line}, column {opened.Column} is not closed"));
        }
    }

    private void CheckDepth(int depth, SourcePosition at)
    {
        if (depth > MaxDepth)
        {
            throw Error(at, string.Create(CultureInfo.InvariantCulture, $"nesting deeper than {MaxDepth} levels"));
        }
    }

    private string DescribeCurrent()
    {
        if (AtEnd)
        {
            return "end of input";
        }
        var c = Current;
        return c is < ' ' or > '~' ? $"character U+{(int)c:X4}" : $"'{c}'";
    }

    private static string Shorten(string text) => text.Length <= 24 ? text : text[..24] + "...";

    private ScenarioFormatException Error(SourcePosition at, string detail) => new(at, detail);
}
