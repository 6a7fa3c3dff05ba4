using System.Globalization;

namespace Supervision.Simulation.Checking;

/// <summary>Short, printable quotes of user input for error messages: never the whole value, never a raw control character.</summary>
public static class TextExcerpt
{
    /// <summary>The start of <paramref name="text"/> (at most <paramref name="max"/> characters, then <c>...</c>) with control characters escaped as <c>\uXXXX</c>.</summary>
    public static string Of(string text, int max = 40)
    {
        ArgumentNullException.ThrowIfNull(text);
        var head = text.Length > max ? text[..max] : text;
        var escaped = string.Concat(head.Select(c => char.IsControl(c) ? string.Create(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}") : c.ToString()));
        return text.Length > max ? escaped + "..." : escaped;
    }
}
