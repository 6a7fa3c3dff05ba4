using System.Globalization;
using Supervision.Simulation.Exploration;

namespace Supervision.Simulation.Checking;

/// <summary>A choices file was malformed; the message is <c>file:line: problem</c>.</summary>
public sealed class ChoicesFormatException(string message) : Exception(message);

/// <summary>
/// The file that replays one explored schedule: one scheduling decision per line, <c>READY:CHOSEN</c>
/// (how many work items were ready, which one ran, 0-based), as <c>supervise explore --replay</c> reads it.
/// </summary>
public static class ChoicesFile
{
    /// <summary>Writes <paramref name="choices"/> to <paramref name="path"/>.</summary>
    public static void Write(string path, IEnumerable<ScheduleChoice> choices)
    {
        ArgumentNullException.ThrowIfNull(choices);
        File.WriteAllLines(path, choices.Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.ReadyCount}:{c.Chosen}")));
    }

    /// <summary>Reads a choices file; blank lines are skipped.</summary>
    /// <exception cref="ChoicesFormatException">A line is not <c>READY:CHOSEN</c> with 2 ≤ READY and 0 ≤ CHOSEN &lt; READY.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    /// <exception cref="UnauthorizedAccessException">The file may not be read.</exception>
    public static List<ScheduleChoice> Read(string path)
    {
        var choices = new List<ScheduleChoice>();
        var number = 0;
        foreach (var line in File.ReadLines(path))
        {
            number++;
            var text = line.Trim();
            if (text.Length == 0)
            {
                continue;
            }
            choices.Add(Parse(text) ?? throw new ChoicesFormatException(
                $"{path}:{number}: expected READY:CHOSEN (for example 3:1, with 0 <= CHOSEN < READY), got '{TextExcerpt.Of(text)}'"));
        }
        return choices;
    }

    private static ScheduleChoice? Parse(string text)
    {
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0
            || !int.TryParse(text.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out var ready)
            || !int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var chosen)
            || ready < 2 || chosen >= ready)
        {
            return null;
        }
        return new ScheduleChoice(ready, chosen);
    }
}
