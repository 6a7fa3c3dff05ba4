using Supervision.Simulation.Generation;

namespace Supervision.Simulation.Exploration;

/// <summary>
/// Chooses which ready work item runs next. One strategy instance drives one iteration at a time;
/// <see cref="BeginIteration"/> prepares it (a seeded strategy derives the iteration's randomness from
/// its seed and the iteration number, so any iteration can be rerun alone).
/// </summary>
public abstract class SchedulingStrategy
{
    /// <summary>A short name with the parameters, printed with failures (for example <c>pct(d=3)</c>).</summary>
    public abstract string Name { get; }

    /// <summary>Prepares iteration <paramref name="iteration"/>; false when the strategy has nothing left to explore.</summary>
    public abstract bool BeginIteration(int iteration);

    /// <summary>Picks an index in <c>[0, readyCount)</c>; <paramref name="owners"/> names who queued each ready item.</summary>
    public abstract int Choose(int readyCount, IReadOnlyList<string> owners);

    /// <summary>Called after the iteration with the number of choices it made (PCT learns its step bound from it).</summary>
    public virtual void EndIteration(int steps)
    {
    }
}

/// <summary>Per-iteration seeds: any iteration of a seeded strategy can be rerun alone.</summary>
internal static class IterationSeed
{
    /// <summary>The seed of iteration <paramref name="iteration"/> of a run seeded with <paramref name="seed"/>.</summary>
    public static ulong Derive(ulong seed, int iteration) =>
        new SplitMix64(seed ^ (0xD1B54A32D192ED03UL * (ulong)(iteration + 1))).NextUInt64();
}

/// <summary>Uniformly random choice at every step.</summary>
public sealed class RandomStrategy(ulong seed) : SchedulingStrategy
{
    private SplitMix64 _random = new(seed);

    /// <inheritdoc />
    public override string Name => "random";

    /// <inheritdoc />
    public override bool BeginIteration(int iteration)
    {
        _random = new SplitMix64(IterationSeed.Derive(seed, iteration));
        return true;
    }

    /// <inheritdoc />
    public override int Choose(int readyCount, IReadOnlyList<string> owners) => _random.Below(readyCount);
}

/// <summary>
/// Probabilistic concurrency testing (Burckhardt, Kothari, Musuvathi, Nagarakatte, ASPLOS 2010): each
/// activity (work items are grouped by the activity that queued them) gets a random priority of at least
/// <c>depth</c>; the ready item of the highest-priority activity runs; at <c>depth - 1</c> random change
/// points the running activity's priority drops below all others. A bug of depth d is found with
/// probability at least 1/(n·k^(d-1)) per iteration. The step bound k is learnt from earlier iterations.
/// </summary>
public sealed class PctStrategy(ulong seed, int depth = 3) : SchedulingStrategy
{
    private readonly Dictionary<string, int> _priorities = new(StringComparer.Ordinal);
    private readonly HashSet<int> _changePoints = [];
    private SplitMix64 _random = new(seed);
    private int _stepBound = 100;
    private int _step;
    private int _nextLow;

    /// <inheritdoc />
    public override string Name => $"pct(d={depth})";

    /// <inheritdoc />
    public override bool BeginIteration(int iteration)
    {
        _random = new SplitMix64(IterationSeed.Derive(seed, iteration));
        _priorities.Clear();
        _changePoints.Clear();
        _step = 0;
        _nextLow = depth - 1;
        while (_changePoints.Count < Math.Min(depth - 1, _stepBound))
        {
            _changePoints.Add(1 + _random.Below(_stepBound));
        }
        return true;
    }

    /// <inheritdoc />
    public override int Choose(int readyCount, IReadOnlyList<string> owners)
    {
        _step++;
        var best = 0;
        var bestPriority = int.MinValue;
        for (var i = 0; i < readyCount; i++)
        {
            var priority = PriorityOf(owners[i]);
            if (priority > bestPriority)
            {
                best = i;
                bestPriority = priority;
            }
        }
        if (_changePoints.Contains(_step) && _nextLow > 0)
        {
            _priorities[owners[best]] = _nextLow--;
        }
        return best;
    }

    /// <inheritdoc />
    public override void EndIteration(int steps) => _stepBound = Math.Max(_stepBound, steps);

    private int PriorityOf(string owner)
    {
        if (!_priorities.TryGetValue(owner, out var priority))
        {
            priority = depth + _random.Below(1_000_000);
            _priorities[owner] = priority;
        }
        return priority;
    }
}

/// <summary>
/// Bounded exhaustive search: every sequence of choices, depth first, in which at most
/// <paramref name="maxPreemptions"/> choices differ from the default (first in, first out). Finishes
/// when the bounded space is exhausted. For small scenarios.
/// </summary>
public sealed class BoundedDfsStrategy(int maxPreemptions = 2) : SchedulingStrategy
{
    private readonly List<(int Chosen, int Count)> _path = [];
    private int _position;
    private bool _exhausted;

    /// <inheritdoc />
    public override string Name => $"dfs(preemptions<={maxPreemptions})";

    /// <inheritdoc />
    public override bool BeginIteration(int iteration)
    {
        if (iteration > 0 && !Backtrack())
        {
            _exhausted = true;
        }
        _position = 0;
        return !_exhausted;
    }

    /// <inheritdoc />
    public override int Choose(int readyCount, IReadOnlyList<string> owners)
    {
        if (_position < _path.Count)
        {
            var (chosen, _) = _path[_position];
            _path[_position++] = (Math.Min(chosen, readyCount - 1), readyCount);
            return Math.Min(chosen, readyCount - 1);
        }
        _path.Add((0, readyCount));
        _position++;
        return 0;
    }

    private bool Backtrack()
    {
        // The deepest point with an untried alternative, within the preemption bound, becomes the next path.
        _path.RemoveRange(_position, _path.Count - _position);
        while (_path.Count > 0)
        {
            var last = _path.Count - 1;
            var (chosen, count) = _path[last];
            var preemptions = 0;
            for (var i = 0; i < last; i++)
            {
                preemptions += _path[i].Chosen != 0 ? 1 : 0;
            }
            if (chosen + 1 < count && preemptions + 1 <= maxPreemptions)
            {
                _path[last] = (chosen + 1, count);
                return true;
            }
            _path.RemoveAt(last);
        }
        return false;
    }
}

/// <summary>Replays a saved list of choices exactly; checks that each choice point offers as many items as recorded.</summary>
public sealed class ReplayStrategy(IReadOnlyList<ScheduleChoice> choices) : SchedulingStrategy
{
    private int _position;

    /// <inheritdoc />
    public override string Name => "replay";

    /// <inheritdoc />
    public override bool BeginIteration(int iteration)
    {
        _position = 0;
        return iteration == 0;
    }

    /// <inheritdoc />
    public override int Choose(int readyCount, IReadOnlyList<string> owners)
    {
        if (_position >= choices.Count)
        {
            return 0;
        }
        var choice = choices[_position++];
        if (choice.ReadyCount != readyCount)
        {
            throw new InvalidOperationException(
                $"nondeterminism detected at choice {_position - 1}: {readyCount} items ready, the recording had {choice.ReadyCount}");
        }
        return choice.Chosen;
    }
}

/// <summary>One recorded scheduling decision: how many items were ready and which one ran.</summary>
/// <param name="ReadyCount">Items ready at that point.</param>
/// <param name="Chosen">The index chosen.</param>
public readonly record struct ScheduleChoice(int ReadyCount, int Chosen);
