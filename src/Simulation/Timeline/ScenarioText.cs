using System.Text;

namespace Supervision.Simulation.Timeline;

/// <summary>
/// Every text from the scenario and its trace that goes into one page: escaped by <see cref="HtmlText"/>, each piece
/// cut to a few dozen characters once escaped, and all pieces together held to
/// <see cref="TimelineLimits.MaxScenarioTextBytes"/>; past that, tooltips and labels show an ellipsis. So a hostile
/// scenario (255-character ids of <c>&amp;</c>, thousands of them) cannot make the file big.
/// </summary>
internal sealed class ScenarioText(TimelineLimits limits)
{
    private long _remaining = limits.MaxScenarioTextBytes;

    /// <summary>A reason, result or name: its beginning, at most <paramref name="max"/> characters once escaped (default <see cref="TimelineLimits.MaxTextChars"/>).</summary>
    public string Text(string text, int? max = null) => Spend(HtmlText.Escape(text, max ?? limits.MaxTextChars));

    /// <summary>A path: its end (the most specific part), at most <see cref="TimelineLimits.MaxPathChars"/> characters once escaped.</summary>
    public string Path(string path) => Spend(HtmlText.Escape(path, limits.MaxPathChars, keepEnd: true));

    /// <summary>A path for a <c>data-</c> attribute, which tests and tools read: up to <see cref="TimelineLimits.MaxAttributeChars"/>, outside the budget (one per lane).</summary>
    public string Attribute(string path) => HtmlText.Escape(path, limits.MaxAttributeChars, keepEnd: true);

    private string Spend(string escaped)
    {
        var bytes = Encoding.UTF8.GetByteCount(escaped);
        if (bytes > _remaining)
        {
            return "\u2026";
        }
        _remaining -= bytes;
        return escaped;
    }
}
