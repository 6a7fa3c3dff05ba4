using System.Globalization;
using System.Text;

namespace Supervision.Simulation.Scenarios;

/// <summary>
/// Says exactly what is wrong with JSON text that <see cref="JsonParser"/> (System.Text.Json's reader)
/// refused, and where: a strict RFC 8259 scan (no comments, no trailing commas, no duplicate keys, 64-bit
/// integers, finite decimals, bounded nesting) that stops at the first error with a message written for
/// people, such as <c>trailing comma before ']'</c> at the comma or <c>unterminated string</c> at the
/// opening quote. It builds nothing: it runs only on text already known to be bad.
/// </summary>
internal sealed class JsonSyntaxDiagnosis
{
    private readonly string _text;
    private readonly string _file;
    private int _pos;
    private int _line = 1;
    private int _column = 1;

    private JsonSyntaxDiagnosis(string text, string file)
    {
        _text = text;
        _file = file;
    }

    private bool AtEnd => _pos >= _text.Length;

    private char Current => _text[_pos];

    private SourcePosition Here => new(_file, _line, _column);

    /// <summary>The first error in <paramref name="text"/>, or null when it is one valid JSON value.</summary>
    public static ScenarioFormatException? FindFirstError(string text, string file)
    {
        var scan = new JsonSyntaxDiagnosis(text, file);
        // RFC 8259 lets a reader ignore a byte order mark, and some editors write one.
        if (text.Length > 0 && text[0] == '\uFEFF')
        {
            scan._pos = 1;
        }
        try
        {
            scan.SkipWhitespace();
            scan.ScanValue(0);
            scan.SkipWhitespace();
            return scan.AtEnd ? null : scan.Error(scan.Here, $"unexpected {scan.DescribeCurrent()} after the end of the JSON value");
        }
        catch (ScenarioFormatException error)
        {
            return error;
        }
    }

    private void ScanValue(int depth)
    {
        if (AtEnd)
        {
            throw Error(Here, "unexpected end of input, expected a value");
        }
        switch (Current)
        {
            case '{':
                ScanObject(depth + 1);
                break;
            case '[':
                ScanArray(depth + 1);
                break;
            case '"':
                ScanString();
                break;
            case '-' or (>= '0' and <= '9'):
                ScanNumber();
                break;
            case var c when char.IsAsciiLetter(c):
                ScanLiteral();
                break;
            default:
                throw Error(Here, $"unexpected {DescribeCurrent()}, expected a value");
        }
    }

    private void ScanObject(int depth)
    {
        var at = Here;
        CheckDepth(depth, at);
        Advance();
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
            var name = ScanString();
            if (!names.TryAdd(name, namePosition))
            {
                var first = names[name];
                throw Error(namePosition, string.Create(CultureInfo.InvariantCulture,
                    $"duplicate key {Excerpt.Quote(name)} (first at line {first.Line}, column {first.Column})"));
            }
            SkipWhitespace();
            ExpectMore(at, "object");
            if (Current != ':')
            {
                throw Error(Here, $"unexpected {DescribeCurrent()}, expected ':' after the member name {Excerpt.Quote(name)}");
            }
            Advance();
            SkipWhitespace();
            ScanValue(depth);
            SkipWhitespace();
            ExpectMore(at, "object");
            if (Current == '}')
            {
                break;
            }
            if (Current != ',')
            {
                throw Error(Here, $"unexpected {DescribeCurrent()}, expected ',' or '}}' after the member {Excerpt.Quote(name)}");
            }
            SkipComma(at, "object", '}');
        }
        Advance();
    }

    private void ScanArray(int depth)
    {
        var at = Here;
        CheckDepth(depth, at);
        Advance();
        SkipWhitespace();
        ExpectMore(at, "array");
        while (Current != ']')
        {
            ScanValue(depth);
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

    /// <summary>Scans a string and returns its value (member names are compared for duplicates).</summary>
    private string ScanString()
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
        return value;
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

    private void ScanNumber()
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
        if (!isDecimal && !long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _))
        {
            throw Error(at, $"integer {Excerpt.Bare(text.ToString())} does not fit in 64 bits");
        }
        if (isDecimal && !double.IsFinite(double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture)))
        {
            throw Error(at, $"number {Excerpt.Bare(text.ToString())} is out of range");
        }
    }

    private void ScanLiteral()
    {
        var start = _pos;
        var at = Here;
        while (!AtEnd && (char.IsAsciiLetterOrDigit(Current) || Current == '_'))
        {
            Advance();
        }
        var word = _text.AsSpan(start, _pos - start);
        if (word is not ("true" or "false" or "null"))
        {
            throw Error(at, $"invalid literal '{Shorten(word.ToString())}' (expected true, false, null, a number, a string, an array or an object)");
        }
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
        if (depth > JsonParser.MaxDepth)
        {
            throw Error(at, string.Create(CultureInfo.InvariantCulture, $"nesting deeper than {JsonParser.MaxDepth} levels"));
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
