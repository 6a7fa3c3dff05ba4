using System.Globalization;
using Supervision.Engine;
using Supervision.Simulation.Invariants;
using Supervision.Simulation.Replay;
using Supervision.Simulation.Scenarios;

namespace Supervision.Simulation.Timeline;

/// <summary>
/// Reads one run (a scenario and its trace with reports) into a <see cref="TimelineModel"/>: a lane per path the
/// trace names, each child's lives, the calls with their replies, the restart episodes and the intensity budgets.
/// Only the scenario's specs and the trace are read, never the engine, so the picture shows what was printed.
/// </summary>
internal sealed partial class TimelineBuilder
{
    private readonly Scenario _scenario;
    private readonly TimelineModel _model;
    private readonly SpecLookup _specs;
    private readonly EpisodeTracker _episodes;
    private readonly Dictionary<string, IntensityBudget> _budgets = new(StringComparer.Ordinal);

    private TimelineBuilder(Scenario scenario, TimelineModel model)
    {
        _scenario = scenario;
        _model = model;
        _specs = new SpecLookup(scenario);
        _episodes = new EpisodeTracker(model);
        foreach (var step in scenario.Steps)
        {
            // Children added by start_child: their specs tell restart types and strategies (the last such call wins).
            if (step is CallStep { Spec: { Id: { } id } draft } call && draft.TryBuild(AutoShutdown.Never, out var spec, out _))
            {
                _specs.AddDynamic($"{call.Sup}/{id}", spec);
            }
        }
    }

    /// <summary>Builds the model of <paramref name="scenario"/>'s run whose trace (reports included) is <paramref name="lines"/>.</summary>
    public static TimelineModel Build(Scenario scenario, IReadOnlyList<TraceLine> lines, string driver, TimelineLimits limits)
    {
        var model = new TimelineModel { Title = scenario.Name, SourceFile = scenario.SourceFile, Driver = driver };
        var builder = new TimelineBuilder(scenario, model);
        builder.CreateLanes(lines);
        var (items, replyOfCall) = RunSequence.Merge(scenario, lines);
        var eventOfItem = new Dictionary<int, int>();
        for (var i = 0; i < items.Count; i++)
        {
            var before = model.Events.Count;
            builder.Accept(items[i]);
            if (model.Events.Count > before)
            {
                eventOfItem[i] = before;
            }
        }
        foreach (var (call, reply) in replyOfCall)
        {
            if (eventOfItem.TryGetValue(call, out var callEvent) && eventOfItem.TryGetValue(reply, out var replyEvent))
            {
                model.Events[callEvent].Partner = replyEvent;
                model.Events[replyEvent].Partner = callEvent;
            }
        }
        builder.Finish(lines.Count > 0 ? lines[^1].AtMs : 0, limits);
        return model;
    }

    private void Accept(RunItem item)
    {
        if (item.Step is { } step)
        {
            AcceptStep(step, item.StepNumber);
            return;
        }
        var line = item.Line;
        if (line.IsComment)
        {
            AcceptComment(line, item.LineNumber);
            return;
        }
        if (TraceEvent.TryParse(line.Text) is not { } parsed)
        {
            return; // Not a line of the format: nothing to draw.
        }
        var kind = parsed.Kind switch
        {
            TraceEventKind.Start => TimelineEventKind.Start,
            TraceEventKind.StartError => TimelineEventKind.StartError,
            TraceEventKind.Ignore => TimelineEventKind.Ignore,
            TraceEventKind.Exit => TimelineEventKind.Exit,
            TraceEventKind.Stop => TimelineEventKind.Stop,
            _ => TimelineEventKind.Reply,
        };
        Add(new TimelineEvent(kind, line.AtMs, parsed.Path, parsed.Detail, parsed.Call, item.LineNumber, 0));
    }

    private void AcceptStep(ScenarioStep step, int number)
    {
        var (path, call, detail) = step switch
        {
            CallStep c => (c.Sup, c.CallName, c.Child ?? c.Spec?.Id ?? string.Empty),
            FailStartStep f => (f.Path, "", string.Create(CultureInfo.InvariantCulture, $"fail_start x{f.Times}: {f.Reason}")),
            IgnoreStartStep g => (g.Path, "", string.Create(CultureInfo.InvariantCulture, $"ignore_start x{g.Times}")),
            StopDelayStep d => (d.Path, "", d.Never ? "stop_delay never" : string.Create(CultureInfo.InvariantCulture, $"stop_delay {d.DelayMs} ms")),
            _ => (string.Empty, "", ""),
        };
        if (_model.LaneByPath.ContainsKey(path))
        {
            Add(new TimelineEvent(step is CallStep ? TimelineEventKind.Call : TimelineEventKind.Plan, step.At, path, detail, call, 0, number));
        }
    }

    /// <summary>Report lines feed the episodes and budgets; a give-up is also drawn. Other comments only set flags.</summary>
    private void AcceptComment(TraceLine line, int lineNumber)
    {
        if (line.Text.StartsWith("# stuck", StringComparison.Ordinal))
        {
            _model.Stuck = true;
            return;
        }
        var parts = line.Text.Split(' ');
        if (parts.Length != 6 || parts[1] != "report" || !_model.LaneByPath.TryGetValue(parts[2], out var supervisor))
        {
            return;
        }
        var (child, reason) = (parts[4], parts[5]);
        switch (parts[3])
        {
            case "child_terminated":
                if (!(_model.LaneByPath.GetValueOrDefault(child)?.IsTemporary ?? false))
                {
                    Budget(supervisor)?.AddAttempt(line.AtMs, _model.Events.Count);
                    _episodes.Begin(supervisor, child, reason);
                }
                break;
            case "start_error" when supervisor.RunningSince >= 0:
                // A failed restart is retried, and the retry is one more attempt (docs/SCENARIO-FORMAT.md, intensity).
                Budget(supervisor)?.AddAttempt(line.AtMs, _model.Events.Count);
                _episodes.Retry(supervisor.Path);
                break;
            case "reached_max_restart_intensity":
                Budget(supervisor)?.GiveUps.Add(_model.Events.Count);
                _episodes.GiveUp(supervisor.Path);
                Add(new TimelineEvent(TimelineEventKind.GiveUp, line.AtMs, supervisor.Path, GiveUpText(supervisor), "", lineNumber, 0));
                break;
        }
    }

    private string GiveUpText(TimelineLane supervisor) =>
        _budgets.TryGetValue(supervisor.Path, out var budget)
            ? string.Create(CultureInfo.InvariantCulture,
                $"reached_max_restart_intensity: {budget.WindowSeconds.Count} restart attempts in {budget.PeriodSeconds} s, more than intensity {budget.Intensity}")
            : "reached_max_restart_intensity";

    private IntensityBudget? Budget(TimelineLane supervisor)
    {
        if (_budgets.TryGetValue(supervisor.Path, out var budget))
        {
            return budget;
        }
        if (supervisor.Supervisor is not { } spec)
        {
            return null;
        }
        budget = new IntensityBudget(supervisor.Path, spec.Intensity, spec.PeriodSeconds);
        _budgets.Add(supervisor.Path, budget);
        return budget;
    }
}
