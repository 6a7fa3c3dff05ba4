using System.Globalization;
using System.Text;

namespace Supervision.Simulation.Timeline;

/// <summary>
/// Text made safe for an HTML page with inline SVG. Ids and reasons are hostile input: every character that means
/// something to HTML or XML is written as an entity, and characters not allowed in a document (controls, lone
/// surrogates, U+FFFE/U+FFFF) become U+FFFD. The result is the same in text and in quoted attributes, and keeps
/// the page well-formed XML, so a test can parse it.
/// </summary>
internal static class HtmlText
{
    /// <summary>Appends <paramref name="text"/> escaped to <paramref name="output"/>.</summary>
    public static StringBuilder AppendEscaped(this StringBuilder output, string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            output.Append(Piece(text, ref i));
        }
        return output;
    }

    /// <summary><paramref name="text"/> escaped.</summary>
    public static string Escape(string text) => new StringBuilder(text.Length + 16).AppendEscaped(text).ToString();

    /// <summary>
    /// <paramref name="text"/> escaped and at most <paramref name="max"/> characters long once escaped (an entity or a
    /// surrogate pair is never split), ending (or, with <paramref name="keepEnd"/>, beginning) with an ellipsis when cut.
    /// </summary>
    public static string Escape(string text, int max, bool keepEnd = false)
    {
        var whole = Escape(text);
        if (whole.Length <= max)
        {
            return whole;
        }
        var pieces = new List<string>();
        for (var i = 0; i < text.Length; i++)
        {
            pieces.Add(Piece(text, ref i));
        }
        if (keepEnd)
        {
            pieces.Reverse();
        }
        var kept = new List<string>();
        var length = 1; // the ellipsis
        foreach (var piece in pieces)
        {
            if (length + piece.Length > max)
            {
                break;
            }
            kept.Add(piece);
            length += piece.Length;
        }
        if (keepEnd)
        {
            kept.Reverse();
            return "\u2026" + string.Concat(kept);
        }
        return string.Concat(kept) + "\u2026";
    }

    /// <summary>The escaped form of the character (or surrogate pair) at <paramref name="i"/>; moves <paramref name="i"/> past a pair.</summary>
    private static string Piece(string text, ref int i)
    {
        var c = text[i];
        switch (c)
        {
            case '&': return "&amp;";
            case '<': return "&lt;";
            case '>': return "&gt;";
            case '"': return "&quot;";
            case '\'': return "&#39;";
        }
        if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
        {
            i++;
            return text.Substring(i - 1, 2);
        }
        return c < ' ' || char.IsSurrogate(c) || c is '\uFFFE' or '\uFFFF' || (c >= '\u007F' && c <= '\u009F') ? "\uFFFD" : c.ToString();
    }

    /// <summary>At most <paramref name="max"/> characters of <paramref name="text"/>, ending in an ellipsis when cut (for our own text).</summary>
    public static string Cut(string text, int max) =>
        text.Length <= max ? text : string.Concat(text.AsSpan(0, Math.Max(1, max - 1)), "\u2026");

    /// <summary>A virtual time for people: <c>300 ms</c>, <c>1.3 s</c>, <c>12 s</c>.</summary>
    public static string Time(long ms) => ms < 1000
        ? ms.ToString(CultureInfo.InvariantCulture) + " ms"
        : (ms / 1000.0).ToString("0.###", CultureInfo.InvariantCulture) + " s";

    /// <summary>A coordinate with at most one decimal.</summary>
    public static string N(double value) => Math.Round(value, 1).ToString("0.#", CultureInfo.InvariantCulture);

    /// <summary>An integer, invariant.</summary>
    public static string N(long value) => value.ToString(CultureInfo.InvariantCulture);
}
