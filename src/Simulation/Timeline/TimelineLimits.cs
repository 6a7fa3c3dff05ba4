namespace Supervision.Simulation.Timeline;

/// <summary>
/// What keeps a timeline file bounded whatever the run: at most <see cref="MaxEvents"/> marks (a longer run shows
/// its beginning and its end, the middle as a marked break), <see cref="MaxLanes"/> lanes (the rest named in a
/// note), <see cref="MaxEpisodeRows"/> rows of the restart table, and the scenario's own text cut per piece and
/// held to <see cref="MaxScenarioTextBytes"/> in all (see <see cref="ScenarioText"/>).
/// </summary>
internal sealed record TimelineLimits
{
    /// <summary>The defaults, which keep a file under <see cref="TimelineDocument.MaxFileBytes"/>.</summary>
    public static TimelineLimits Default { get; } = new();

    /// <summary>Marks drawn at most.</summary>
    public int MaxEvents { get; init; } = 2000;

    /// <summary>Lanes drawn at most.</summary>
    public int MaxLanes { get; init; } = 150;

    /// <summary>Rows of the table of restart episodes at most.</summary>
    public int MaxEpisodeRows { get; init; } = 200;

    /// <summary>Characters of one reason, result or name at most, once escaped.</summary>
    public int MaxTextChars { get; init; } = 64;

    /// <summary>Characters of one path at most, once escaped (its end is kept).</summary>
    public int MaxPathChars { get; init; } = 96;

    /// <summary>Characters of a path in a <c>data-path</c> attribute at most, once escaped.</summary>
    public int MaxAttributeChars { get; init; } = 256;

    /// <summary>UTF-8 bytes of the scenario's text in the whole page at most.</summary>
    public long MaxScenarioTextBytes { get; init; } = 1024 * 1024;
}
