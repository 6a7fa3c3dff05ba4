using System.Globalization;
using System.Text;
using Supervision.Engine;

namespace Supervision.Runtime;

/// <summary>
/// Bounded renderings for log messages: a list of children names at most <see cref="NamesLimit"/> of them,
/// and a restart window itemised up to <see cref="WindowItemsLimit"/> attempts, summarised beyond. However large
/// the tree or the intensity, a message stays a few kilobytes.
/// </summary>
internal static class LogText
{
    /// <summary>The most names a message lists; the rest are counted ("and 12 more").</summary>
    public const int NamesLimit = 20;

    /// <summary>The most restart attempts a give-up message lists one by one.</summary>
    public const int WindowItemsLimit = 10;

    /// <summary>The longest child id or reason quoted in a window summary.</summary>
    private const int TokenLimit = 100;

    /// <summary>"a, b, c", "a, b and 3 more" when <paramref name="total"/> exceeds the names given, "none" when empty.</summary>
    public static string Names(IReadOnlyList<string> names, int total)
    {
        if (total == 0)
        {
            return "none";
        }
        var shown = Math.Min(names.Count, NamesLimit);
        var text = new StringBuilder();
        for (var i = 0; i < shown; i++)
        {
            text.Append(i == 0 ? "" : ", ").Append(names[i]);
        }
        if (total > shown)
        {
            text.Append(CultureInfo.InvariantCulture, $" and {total - shown} more");
        }
        return text.ToString();
    }

    /// <summary>
    /// The restart window of a give-up: each attempt ("1500 ms b boom") when there are at most
    /// <see cref="WindowItemsLimit"/> and the engine itemised them all; otherwise how many attempts, from when to
    /// when, and the itemised (newest) ones grouped by child and reason, most frequent first.
    /// </summary>
    public static string Window(RestartWindowReport? window)
    {
        if (window is null || window.AttemptCount == 0)
        {
            return "none";
        }
        if (window.OmittedCount == 0 && window.Count <= WindowItemsLimit)
        {
            return "[" + string.Join(", ", window.Select(Attempt)) + "]";
        }
        var groups = new List<(string Child, string Reason, int Count)>();
        foreach (var attempt in window)
        {
            var child = Cut(attempt.ChildId);
            var reason = Cut(attempt.Reason.ToString());
            var index = groups.FindIndex(g => g.Child == child && g.Reason == reason);
            if (index < 0)
            {
                groups.Add((child, reason, 1));
            }
            else
            {
                groups[index] = (child, reason, groups[index].Count + 1);
            }
        }
        groups.Sort((x, y) => y.Count.CompareTo(x.Count));
        return string.Create(CultureInfo.InvariantCulture,
            $"{window.AttemptCount} attempts from {window.FirstTimeMs} ms to {window.LastTimeMs} ms; the newest {window.Count} by child and reason: {string.Join(", ", groups.Select(g => $"{g.Child} {g.Reason} x{g.Count}"))}; the last: {Attempt(window[^1])}");
    }

    private static string Attempt(RestartAttempt attempt) =>
        string.Create(CultureInfo.InvariantCulture, $"{attempt.TimeMs} ms {Cut(attempt.ChildId)}{(attempt.Instance > 0 ? $"#{attempt.Instance}" : "")} {Cut(attempt.Reason.ToString())}");

    /// <summary><paramref name="text"/>, cut at <paramref name="limit"/> characters (an ellipsis marks the cut).</summary>
    public static string Cut(string text, int limit = TokenLimit) => text.Length <= limit ? text : string.Concat(text.AsSpan(0, limit), "…");
}
