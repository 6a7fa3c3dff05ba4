using System.Globalization;
using System.Text;

namespace Supervision.Simulation.Scenarios;

/// <summary>
/// How error messages quote a value from the file: at most a short excerpt, escaped. A message is one line
/// on a terminal: a 10 MB value must not be echoed whole, and an escaped newline in a JSON string must not
/// print as a line break that forges a second diagnostic (nor may bidirectional or other invisible controls
/// reorder what the reader sees).
/// </summary>
internal static class Excerpt
{
    /// <summary>The most characters of a value a message shows (escapes counted as written).</summary>
    public const int MaxLength = 64;

    /// <summary><c>"value"</c> with JSON-style escapes; a longer value is cut: <c>"start"... (N characters)</c>.</summary>
    /// <param name="value">The value to quote.</param>
    public static string Quote(string value)
    {
        var escaped = Escape(value, MaxLength, out var cut);
        return cut ? $"\"{escaped}\"{Length(value)}" : $"\"{escaped}\"";
    }

    /// <summary>The value escaped and cut like <see cref="Quote"/>, without the quotes (for numbers and words).</summary>
    /// <param name="value">The value to show.</param>
    public static string Bare(string value)
    {
        var escaped = Escape(value, MaxLength, out var cut);
        return cut ? escaped + Length(value) : escaped;
    }

    /// <summary>
    /// The start of <paramref name="value"/>, JSON-escaped, of about <paramref name="maxLength"/> characters
    /// (escapes counted as written); <paramref name="cut"/> says whether it stopped before the end.
    /// </summary>
    public static string Escape(string value, int maxLength, out bool cut)
    {
        ArgumentNullException.ThrowIfNull(value);
        var text = new StringBuilder(Math.Min(value.Length, maxLength));
        cut = false;
        for (var i = 0; i < value.Length; i++)
        {
            if (text.Length >= maxLength)
            {
                cut = true;
                break;
            }
            var c = value[i];
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                text.Append(c).Append(value[++i]);
                continue;
            }
            _ = c switch
            {
                '"' => text.Append("\\\""),
                '\\' => text.Append("\\\\"),
                '\n' => text.Append("\\n"),
                '\r' => text.Append("\\r"),
                '\t' => text.Append("\\t"),
                _ when NeedsEscape(c) => text.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}"),
                _ => text.Append(c),
            };
        }
        return text.ToString();
    }

    /// <summary>Controls, line and paragraph separators, invisible format characters (bidi overrides) and lone surrogates.</summary>
    private static bool NeedsEscape(char c) => char.GetUnicodeCategory(c) is UnicodeCategory.Control or UnicodeCategory.LineSeparator
        or UnicodeCategory.ParagraphSeparator or UnicodeCategory.Format or UnicodeCategory.Surrogate;

    private static string Length(string value) => string.Create(CultureInfo.InvariantCulture, $"... ({value.Length} characters)");
}
