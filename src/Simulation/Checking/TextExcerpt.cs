using Supervision.Simulation.Scenarios;

namespace Supervision.Simulation.Checking;

/// <summary>Short, printable quotes of user input for error messages: never the whole value, never a raw control character.</summary>
public static class TextExcerpt
{
    /// <summary>
    /// The start of <paramref name="text"/> (about <paramref name="max"/> characters, then <c>...</c>) with control,
    /// invisible and line-breaking characters escaped as in JSON (<c>\n</c>, <c>\u001B</c>); the same escaping as
    /// the scenario reader's messages.
    /// </summary>
    public static string Of(string text, int max = 40)
    {
        var escaped = Excerpt.Escape(text, max, out var cut);
        return cut ? escaped + "..." : escaped;
    }
}
