namespace Supervision.Simulation.Timeline;

/// <summary>One instant of the run: every drawn event at that virtual time, side by side in run order.</summary>
/// <param name="Ms">The virtual time.</param>
/// <param name="StartX">Where its first event's slot begins.</param>
/// <param name="EndX">Where its last event's slot ends.</param>
/// <param name="AfterBreak">True when omitted events come just before it.</param>
internal readonly record struct AxisInstant(long Ms, double StartX, double EndX, bool AfterBreak);

/// <summary>
/// The horizontal axis. Virtual time runs left to right, but an instant is as wide as the events that happen at
/// it (so a cascade at one millisecond reads in its order) and the idle time between instants is drawn on a log
/// scale (a 10 s wait is not 100 times a 100 ms one), so a long run stays legible. Every event gets an x;
/// so does any time in between (for the intensity budget's decay).
/// </summary>
internal sealed class TimeAxis
{
    /// <summary>Room before the first instant and after the last.</summary>
    public const double Margin = 18;

    /// <summary>Width of the column that stands for omitted events.</summary>
    public const double BreakWidth = 56;

    private readonly double[] _x;
    private readonly List<AxisInstant> _instants = [];

    private TimeAxis(int events) => _x = new double[events];

    /// <summary>Width of one event's slot.</summary>
    public double Slot { get; private init; }

    /// <summary>The instants drawn, in time order.</summary>
    public IReadOnlyList<AxisInstant> Instants => _instants;

    /// <summary>The x of the omitted events' column (its centre), or NaN when nothing is omitted.</summary>
    public double BreakX { get; private set; } = double.NaN;

    /// <summary>The whole axis's width.</summary>
    public double Width { get; private set; }

    /// <summary>The centre of event <paramref name="index"/>'s slot (the break's centre for an omitted event).</summary>
    public double X(int index) => _x[index];

    /// <summary>Lays out the drawn events of <paramref name="model"/>.</summary>
    public static TimeAxis Build(TimelineModel model)
    {
        var drawn = Enumerable.Range(0, model.Events.Count).Count(i => model.IsDrawn(i, model.LaneByPath[model.Events[i].Path]));
        // Up to 300 events get a comfortable slot; a longer run gets narrower ones, so the file stays a picture.
        var slot = drawn <= 300 ? 13.0 : Math.Max(4.0, 13.0 * 300 / drawn);
        var axis = new TimeAxis(model.Events.Count) { Slot = slot };
        var gapScale = Math.Clamp(slot / 13.0, 0.35, 1.0);
        var cursor = Margin;
        long? previousMs = null;
        var afterBreak = false;
        for (var i = 0; i < model.Events.Count; i++)
        {
            var e = model.Events[i];
            if (model.HasOmission && i >= model.OmittedFrom && i < model.OmittedTo)
            {
                if (i == model.OmittedFrom)
                {
                    CloseInstant(axis, cursor);
                    axis.BreakX = cursor + BreakWidth / 2;
                    cursor += BreakWidth;
                    previousMs = null;
                    afterBreak = true;
                }
                axis._x[i] = axis.BreakX;
                continue;
            }
            if (previousMs != e.AtMs)
            {
                CloseInstant(axis, cursor);
                if (previousMs is { } before)
                {
                    cursor += GapWidth(e.AtMs - before) * gapScale;
                }
                axis._instants.Add(new AxisInstant(e.AtMs, cursor, cursor, afterBreak));
                afterBreak = false;
                previousMs = e.AtMs;
            }
            if (model.IsDrawn(i, model.LaneByPath[e.Path]))
            {
                axis._x[i] = cursor + slot / 2;
                cursor += slot;
            }
            else
            {
                axis._x[i] = cursor; // On a lane that is not drawn: takes no room.
            }
        }
        CloseInstant(axis, cursor);
        axis.Width = cursor + Margin * 3;
        return axis;
    }

    /// <summary>The width of an idle gap of <paramref name="ms"/>: about 33 px for 100 ms, 107 for 1 s, 190 for 5 s, 330 for a minute.</summary>
    public static double GapWidth(long ms) => 14 + 40 * Math.Log2(1 + ms / 250.0);

    /// <summary>The x of virtual time <paramref name="ms"/>: an instant's start, or a point of the gap it falls in.</summary>
    public double XAtMs(long ms)
    {
        if (_instants.Count == 0)
        {
            return Margin;
        }
        int low = 0, high = _instants.Count - 1;
        if (ms <= _instants[0].Ms)
        {
            return _instants[0].StartX;
        }
        if (ms > _instants[high].Ms)
        {
            return Math.Min(Width - Margin, _instants[high].EndX + GapWidth(ms - _instants[high].Ms));
        }
        while (high - low > 1)
        {
            var middle = (low + high) / 2;
            if (_instants[middle].Ms <= ms)
            {
                low = middle;
            }
            else
            {
                high = middle;
            }
        }
        var (a, b) = (_instants[low], _instants[high]);
        if (ms == a.Ms)
        {
            return a.StartX;
        }
        if (b.AfterBreak)
        {
            return BreakX;
        }
        // The same log scale as the gap's width, so equal waits look alike within a gap.
        var fraction = Math.Log2(1 + (ms - a.Ms) / 250.0) / Math.Log2(1 + (b.Ms - a.Ms) / 250.0);
        return a.EndX + (b.StartX - a.EndX) * fraction;
    }

    private static void CloseInstant(TimeAxis axis, double cursor)
    {
        if (axis._instants.Count > 0 && axis._instants[^1].EndX < cursor)
        {
            axis._instants[^1] = axis._instants[^1] with { EndX = cursor };
        }
    }
}
