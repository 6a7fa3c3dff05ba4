using Supervision.Engine;
using Supervision.Simulation.Invariants;
using Supervision.Simulation.Replay;

namespace Supervision.Simulation.Timeline;

/// <summary>Lanes: which exist, their order, and each child's lives.</summary>
internal sealed partial class TimelineBuilder
{
    /// <summary>One lane per path the trace's events name (and their ancestors), before any event is read.</summary>
    private void CreateLanes(IReadOnlyList<TraceLine> lines)
    {
        foreach (var line in lines)
        {
            if (!line.IsComment && TraceEvent.TryParse(line.Text) is { } parsed)
            {
                Lane(parsed.Path);
            }
        }
    }

    private TimelineLane Lane(string path)
    {
        if (_model.LaneByPath.TryGetValue(path, out var lane))
        {
            return lane;
        }
        var cut = path.LastIndexOf('/');
        var parent = cut > 0 ? Lane(path[..cut]) : null;
        lane = new TimelineLane(path, parent is null ? 0 : parent.Depth + 1)
        {
            Spec = parent is null ? null : _specs.Child(path),
            Supervisor = _specs.Supervisor(path),
        };
        lane.IsSupervisor = lane.Supervisor is not null || lane.Spec?.EffectiveType == ChildType.Supervisor;
        if (parent is not null)
        {
            parent.IsSupervisor = true; // It has children, whatever its spec says.
        }
        _model.LaneByPath.Add(path, lane);
        _model.Lanes.Add(lane);
        return lane;
    }

    /// <summary>Adds a drawn event and updates its lane's lives, the episodes and the budgets.</summary>
    private void Add(TimelineEvent e)
    {
        var index = _model.Events.Count;
        _model.Events.Add(e);
        var lane = _model.LaneByPath[e.Path];
        lane.EventCount++;
        switch (e.Kind)
        {
            case TimelineEventKind.Start:
                MarkInitialising(lane, index);
                lane.RunningBegin = lane.PendingBegin >= 0 ? lane.PendingBegin : index;
                lane.RunningSince = index;
                lane.PendingBegin = -1;
                break;
            case TimelineEventKind.StartError or TimelineEventKind.Ignore:
                MarkInitialising(lane, index);
                if (lane.PendingBegin >= 0)
                {
                    // A supervisor whose init failed: its children started (or tried to), it never ran.
                    lane.Segments.Add(new LaneSegment(lane.PendingBegin, -1, index, SegmentEnd.InitFailed));
                    lane.PendingBegin = -1;
                }
                break;
            case TimelineEventKind.Exit or TimelineEventKind.Stop:
                End(lane, index, e.AtMs);
                break;
        }
        _episodes.Observe(index, e);
    }

    /// <summary>A start attempt under supervisors that are not running means their init is under way.</summary>
    private void MarkInitialising(TimelineLane lane, int index)
    {
        for (var ancestor = ParentOf(lane); ancestor is not null; ancestor = ParentOf(ancestor))
        {
            if (ancestor.RunningSince >= 0 || ancestor.PendingBegin >= 0)
            {
                break; // Running (a restart) or already known to be starting: so are its ancestors.
            }
            ancestor.PendingBegin = index;
        }
    }

    private TimelineLane? ParentOf(TimelineLane lane) => lane.Parent is { } parent ? _model.LaneByPath[parent] : null;

    private void End(TimelineLane lane, int index, long atMs)
    {
        lane.LastEnd = index;
        if (lane.RunningSince >= 0)
        {
            lane.Segments.Add(new LaneSegment(lane.RunningBegin, lane.RunningSince, index, SegmentEnd.Ended));
        }
        else if (lane.PendingBegin >= 0)
        {
            lane.Segments.Add(new LaneSegment(lane.PendingBegin, -1, index, SegmentEnd.InitFailed));
        }
        lane.RunningSince = -1;
        lane.PendingBegin = -1;
        if (_budgets.TryGetValue(lane.Path, out var budget))
        {
            budget.Reset(atMs); // Its next incarnation counts from nothing.
        }
    }

    /// <summary>Closes what is still open, orders the lanes, and decides what is drawn within <paramref name="limits"/>.</summary>
    private void Finish(long endMs, TimelineLimits limits)
    {
        _model.EndMs = endMs;
        foreach (var lane in _model.Lanes)
        {
            if (lane.RunningSince >= 0)
            {
                lane.Segments.Add(new LaneSegment(lane.RunningBegin, lane.RunningSince, -1, SegmentEnd.Open));
            }
        }
        _episodes.Finish();
        _model.Episodes.Sort((a, b) => a.First.CompareTo(b.First));
        var ordered = TreeOrder();
        _model.Lanes.Clear();
        _model.Lanes.AddRange(ordered);
        for (var i = 0; i < ordered.Count && i < limits.MaxLanes; i++)
        {
            ordered[i].Row = i;
        }
        foreach (var lane in ordered)
        {
            if (_budgets.TryGetValue(lane.Path, out var budget))
            {
                budget.Expire(endMs);
                _model.Budgets.Add(budget);
            }
        }
        // The marks of the drawn lanes are what the limit counts: keep the first and last halves of those.
        var drawn = new List<int>();
        for (var i = 0; i < _model.Events.Count; i++)
        {
            if (_model.LaneByPath[_model.Events[i].Path].Row >= 0)
            {
                drawn.Add(i);
            }
        }
        if (drawn.Count > limits.MaxEvents)
        {
            _model.OmittedFrom = drawn[limits.MaxEvents / 2];
            _model.OmittedTo = drawn[drawn.Count - (limits.MaxEvents - limits.MaxEvents / 2)];
        }
    }

    /// <summary>Depth first from the root; siblings in spec order, children added by calls after them in order of appearance.</summary>
    private List<TimelineLane> TreeOrder()
    {
        var children = new Dictionary<string, List<TimelineLane>>(StringComparer.Ordinal);
        var roots = new List<TimelineLane>();
        foreach (var lane in _model.Lanes)
        {
            if (lane.Parent is { } parent)
            {
                if (!children.TryGetValue(parent, out var list))
                {
                    list = [];
                    children.Add(parent, list);
                }
                list.Add(lane);
            }
            else
            {
                roots.Add(lane);
            }
        }
        var ordered = new List<TimelineLane>(_model.Lanes.Count);
        var stack = new Stack<TimelineLane>(Enumerable.Reverse(roots));
        while (stack.Count > 0)
        {
            var lane = stack.Pop();
            ordered.Add(lane);
            if (children.TryGetValue(lane.Path, out var list))
            {
                var spec = lane.Supervisor;
                // A stable sort: instances of a template and children added later keep their order of appearance.
                var sorted = list.Select((child, i) => (child, i)).OrderBy(p => SpecIndex(spec, p.child.Id)).ThenBy(p => p.i).Select(p => p.child);
                foreach (var child in sorted.Reverse())
                {
                    stack.Push(child);
                }
            }
        }
        return ordered;
    }

    private static int SpecIndex(SupervisorSpec? spec, string segment)
    {
        var hash = segment.IndexOf('#', StringComparison.Ordinal);
        var id = hash > 0 ? segment[..hash] : segment;
        for (var i = 0; spec is not null && i < spec.Children.Count; i++)
        {
            if (spec.Children[i].Id == id)
            {
                return i;
            }
        }
        return int.MaxValue;
    }
}
