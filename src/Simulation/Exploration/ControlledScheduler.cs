using Supervision.Runtime.Scheduling;

namespace Supervision.Simulation.Exploration;

/// <summary>
/// The deterministic scheduler with its choices handed to a <see cref="SchedulingStrategy"/> and
/// recorded: every point where more than one work item could run is a decision, and the list of
/// decisions replays the run exactly (<see cref="ReplayStrategy"/>).
/// </summary>
public sealed class ControlledScheduler(SchedulingStrategy strategy) : DeterministicScheduler
{
    private readonly List<string> _owners = [];

    /// <summary>Every decision made, in order (only points with two or more ready items).</summary>
    public List<ScheduleChoice> Choices { get; } = [];

    /// <inheritdoc />
    protected override int ChooseNext(IReadOnlyList<WorkItem> ready)
    {
        if (ready.Count == 1)
        {
            return 0;
        }
        _owners.Clear();
        foreach (var item in ready)
        {
            _owners.Add(item.Owner);
        }
        var chosen = strategy.Choose(ready.Count, _owners);
        if ((uint)chosen >= (uint)ready.Count)
        {
            throw new InvalidOperationException($"strategy {strategy.Name} chose {chosen} of {ready.Count}");
        }
        Choices.Add(new ScheduleChoice(ready.Count, chosen));
        return chosen;
    }
}
