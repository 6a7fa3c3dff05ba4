namespace Supervision.Simulation.Timeline;

/// <summary>
/// Everything the picture shows, built from one run by <see cref="TimelineBuilder"/>: lanes in tree order,
/// events in run order, restart episodes, intensity budgets, and what was left out to keep the file bounded.
/// </summary>
internal sealed class TimelineModel
{
    /// <summary>The scenario's name, or null.</summary>
    public string? Title { get; init; }

    /// <summary>The scenario file.</summary>
    public required string SourceFile { get; init; }

    /// <summary>What ran it: the engine or the async runtime.</summary>
    public required string Driver { get; init; }

    /// <summary>Virtual time when the run ended.</summary>
    public long EndMs { get; set; }

    /// <summary>The run could make no more progress before it stopped.</summary>
    public bool Stuck { get; set; }

    /// <summary>Every lane, in tree order (drawn ones have a <see cref="TimelineLane.Row"/>).</summary>
    public List<TimelineLane> Lanes { get; } = [];

    /// <summary>The lanes by path.</summary>
    public Dictionary<string, TimelineLane> LaneByPath { get; } = new(StringComparer.Ordinal);

    /// <summary>Every event, in run order.</summary>
    public List<TimelineEvent> Events { get; } = [];

    /// <summary>Group restarts and give-ups, in the order they began.</summary>
    public List<RestartEpisode> Episodes { get; } = [];

    /// <summary>Intensity budgets of the supervisors that counted at least one restart attempt, in tree order.</summary>
    public List<IntensityBudget> Budgets { get; } = [];

    /// <summary>Events left out of the middle of a long run: [<see cref="OmittedFrom"/>, <see cref="OmittedTo"/>); empty when none.</summary>
    public int OmittedFrom { get; set; }

    /// <summary>The first event drawn again after the omitted ones.</summary>
    public int OmittedTo { get; set; }

    /// <summary>True when some events are left out.</summary>
    public bool HasOmission => OmittedTo > OmittedFrom;

    /// <summary>Whether event <paramref name="index"/> is drawn: in the kept part of the run and on a drawn lane.</summary>
    public bool IsDrawn(int index, TimelineLane lane) => lane.Row >= 0 && (index < OmittedFrom || index >= OmittedTo);

    /// <summary>Lanes over the lane limit, not drawn.</summary>
    public int HiddenLanes => Lanes.Count(lane => lane.Row < 0);
}
