using System.Text.RegularExpressions;

namespace Supervision.Engine.Tests.ScenarioParsing;

/// <summary>
/// Mutates scenario text the way a careless edit or a hostile file would: characters inserted, deleted or
/// replaced, spans copied or cut, the text cut short, lines swapped or repeated, and numbers and strings
/// replaced by edge values (huge, negative, escapes, lone surrogates, long strings). Deterministic for a seed.
/// </summary>
internal sealed partial class ScenarioMutator(int seed)
{
    private static readonly string[] Characters =
        ["{", "}", "[", "]", ",", ":", "\"", "\\", " ", "0", "7", "-", "+", ".", "e", "t", "n", "/", "#", "\n", "\t", "\r", "é", "\u2028", "\uD83D\uDE00", "\0", "\u007F"];

    private static readonly string[] Numbers =
        ["9223372036854775807", "-9223372036854775808", "-1", "1e999", "0.5", "99999999999999999999", "4294967294", "4294967295", "2147483648", "-0", "1E2", "0", "2000000000"];

    private static readonly string[] Strings =
        ["\"a\\nb\"", "\"\\ud800\"", "\"\\u0000\"", "\"" + new string('x', 300) + "\"", "\"a\\\"b\"", "\"root/\"", "\"root//a\"", "\"#1\"", "\"w#0\"", "\"\"", "\"shutdown:x\"", "\"never\"", "\"brutal_kill\""];

    private readonly Random _random = new(seed);

    /// <summary>One to three mutations of <paramref name="text"/>.</summary>
    public string Mutate(string text)
    {
        for (var count = _random.Next(1, 4); count > 0; count--)
        {
            text = MutateOnce(text);
        }
        return text;
    }

    private string MutateOnce(string text)
    {
        if (text.Length == 0)
        {
            return Pick(Characters);
        }
        var at = _random.Next(text.Length);
        var end = Math.Min(text.Length, at + _random.Next(1, 40));
        return _random.Next(11) switch
        {
            0 => text.Remove(at, 1),
            1 => text.Insert(at, Pick(Characters)),
            2 => text.Remove(at, 1).Insert(at, Pick(Characters)),
            3 => text.Insert(_random.Next(text.Length), text[at..end]),
            4 => text.Remove(at, end - at),
            5 => ReplaceOne(text, NumberPattern(), Numbers),
            6 => ReplaceOne(text, StringPattern(), Strings),
            7 => text[..at],
            8 => "\uFEFF" + text,
            9 => SwapLines(text),
            _ => RepeatLine(text),
        };
    }

    private string ReplaceOne(string text, Regex pattern, string[] choices)
    {
        var matches = pattern.Matches(text);
        if (matches.Count == 0)
        {
            return text;
        }
        var match = matches[_random.Next(matches.Count)];
        return text[..match.Index] + Pick(choices) + text[(match.Index + match.Length)..];
    }

    private string SwapLines(string text)
    {
        var lines = text.Split('\n');
        var (a, b) = (_random.Next(lines.Length), _random.Next(lines.Length));
        (lines[a], lines[b]) = (lines[b], lines[a]);
        return string.Join('\n', lines);
    }

    private string RepeatLine(string text)
    {
        var lines = text.Split('\n').ToList();
        lines.Insert(_random.Next(lines.Count), lines[_random.Next(lines.Count)]);
        return string.Join('\n', lines);
    }

    private string Pick(string[] choices) => choices[_random.Next(choices.Length)];

    [GeneratedRegex(@"-?\d+(\.\d+)?([eE][-+]?\d+)?")]
    private static partial Regex NumberPattern();

    [GeneratedRegex(@"""[^""\\\n]*""")]
    private static partial Regex StringPattern();
}
