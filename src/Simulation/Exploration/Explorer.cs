using System.Diagnostics;
using Supervision.Simulation.Replay;
using Supervision.Simulation.RuntimeReplay;
using Supervision.Simulation.Scenarios;

namespace Supervision.Simulation.Exploration;

/// <summary>One explored run that broke a check.</summary>
/// <param name="Iteration">The iteration number (with the strategy and seed, enough to rerun it).</param>
/// <param name="Check">Which check failed.</param>
/// <param name="Message">What was wrong.</param>
/// <param name="Choices">Every scheduling decision of the run: replays it exactly.</param>
/// <param name="Trace">The run's trace (when it got that far).</param>
public sealed record ExplorationFailure(int Iteration, string Check, string Message, IReadOnlyList<ScheduleChoice> Choices, string Trace);

/// <summary>What an exploration did.</summary>
/// <param name="Strategy">The strategy's name.</param>
/// <param name="Iterations">Iterations run.</param>
/// <param name="DistinctSchedules">Distinct choice sequences seen.</param>
/// <param name="Elapsed">Wall time taken.</param>
/// <param name="Failures">Failed iterations (at most one is kept per check, plus the first).</param>
public sealed record ExplorationReport(string Strategy, int Iterations, int DistinctSchedules, TimeSpan Elapsed, IReadOnlyList<ExplorationFailure> Failures)
{
    /// <summary>Iterations per second.</summary>
    public double IterationsPerSecond => Iterations / Math.Max(Elapsed.TotalSeconds, 1e-9);
}

/// <summary>
/// Runs one scenario through the real runtime many times, each time under a different interleaving
/// chosen by a strategy, and checks every run: the trace must equal the engine's, supervisor reports
/// included (the runtime adds no policy, and drops or adds no report), nothing may escape the scheduler
/// or throw unobserved, the run must not deadlock, and after the tree stops nothing it started may still
/// be running or pending.
/// </summary>
public static class Explorer
{
    /// <summary>Explores <paramref name="scenario"/> for up to <paramref name="iterations"/> iterations.</summary>
    /// <param name="scenario">The scenario.</param>
    /// <param name="strategy">The strategy (it decides when the space is exhausted, for DFS).</param>
    /// <param name="iterations">The iteration budget.</param>
    /// <param name="stopAtFirstFailure">Stop as soon as one iteration fails.</param>
    /// <param name="configure">Adjusts the runtime's options (tests plug deliberately broken runtime pieces in here).</param>
    /// <param name="progress">Called after each iteration with the number done.</param>
    /// <param name="race">Apply same-instant steps concurrently; runs are then judged by invariants, not by the engine's trace.</param>
    /// <param name="asyncStarts">Every child's start waits once, so the runtime's asynchronous start path is explored (by default starts complete on the supervisor's loop).</param>
    public static ExplorationReport Explore(Scenario scenario, SchedulingStrategy strategy, int iterations, bool stopAtFirstFailure = true, Func<Runtime.SupervisionTreeOptions, Runtime.SupervisionTreeOptions>? configure = null, Action<int>? progress = null, bool race = false, bool asyncStarts = false)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(strategy);
        var expected = ExpectedTrace(scenario);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var failures = new List<ExplorationFailure>();
        // Wall time only for the iterations/s in the report; every run itself is on virtual time.
        var clock = Stopwatch.StartNew();
        var run = 0;
        for (; run < iterations && strategy.BeginIteration(run); run++)
        {
            var scheduler = new ControlledScheduler(strategy);
            var failure = RunOnce(scenario, scheduler, race ? null : expected, run, configure, asyncStarts);
            strategy.EndIteration(scheduler.Choices.Count);
            seen.Add(string.Join(',', scheduler.Choices.Select(c => c.Chosen)));
            progress?.Invoke(run + 1);
            if (failure is not null)
            {
                failures.Add(failure);
                if (stopAtFirstFailure)
                {
                    run++;
                    break;
                }
            }
        }
        return new ExplorationReport(strategy.Name, run, seen.Count, clock.Elapsed, failures);
    }

    /// <summary>Runs the scenario once under <paramref name="scheduler"/> and returns what went wrong, if anything.</summary>
    /// <param name="scenario">The scenario.</param>
    /// <param name="scheduler">The controlled scheduler for this run.</param>
    /// <param name="expected">The engine's canonical trace to compare with (<see cref="ExpectedTrace"/>: reports included); null in race mode (invariants only).</param>
    /// <param name="iteration">The iteration number, for the report.</param>
    /// <param name="configure">Adjusts the runtime's options.</param>
    /// <param name="asyncStarts">Every child's start waits once (the runtime's asynchronous start path).</param>
    public static ExplorationFailure? RunOnce(Scenario scenario, ControlledScheduler scheduler, string? expected, int iteration, Func<Runtime.SupervisionTreeOptions, Runtime.SupervisionTreeOptions>? configure = null, bool asyncStarts = false)
    {
        ArgumentNullException.ThrowIfNull(scheduler);
        // Race runs also race timers due at the same instant; sequential runs fire them one at a time, as
        // the engine-only replay does (two supervisors' timers at one instant are otherwise a scenario race).
        scheduler.SameInstantTimersRace = expected is null;
        SimulationResult result;
        try
        {
            result = RuntimeScenarioRunner.Run(scenario, scheduler, includeReports: true, configure, raceSameInstantSteps: expected is null, asyncStarts);
        }
        catch (Exception error)
        {
            return new ExplorationFailure(iteration, "runtime-error", error.Message, scheduler.Choices, string.Empty);
        }
        var trace = result.TraceText();
        // A scenario can deadlock by design (a child that never stops under an infinity shutdown): then the
        // engine-only replay is stuck too, and so must the runtime be. Only a runtime that is stuck alone fails.
        if (result.Outcome == RunOutcome.Stuck && ScenarioSimulator.Run(scenario, includeReports: false).Outcome != RunOutcome.Stuck)
        {
            return new ExplorationFailure(iteration, "deadlock", "the tree stopped making progress with work still pending", scheduler.Choices, trace);
        }
        if (scheduler.ReadyCount != 0 || scheduler.Clock.TryGetNextDue(out _))
        {
            return new ExplorationFailure(iteration, "leftover-work", $"after the tree stopped: {scheduler.ReadyCount} work items ready and timers pending", scheduler.Choices, trace);
        }
        if (result.Violations.Count > 0)
        {
            return new ExplorationFailure(iteration, "invariant", string.Join("; ", result.Violations), scheduler.Choices, trace);
        }
        var actual = Canonical(result);
        if (expected is not null && actual != expected)
        {
            return new ExplorationFailure(iteration, "trace", FirstDifference(expected, actual), scheduler.Choices, trace);
        }
        return null;
    }

    /// <summary>The engine's canonical trace of <paramref name="scenario"/>, reports included: what <see cref="RunOnce"/> compares a runtime run with.</summary>
    public static string ExpectedTrace(Scenario scenario) => Canonical(ScenarioSimulator.Run(scenario, includeReports: true));

    /// <summary>
    /// The trace with its report lines (a missing or an extra report is a difference) and without other comments,
    /// with same-instant stops of simple_one_for_one instances as a set (sorted).
    /// </summary>
    public static string Canonical(SimulationResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var lines = result.Lines.Where(l => !l.IsComment || l.Text.StartsWith("# report ", StringComparison.Ordinal)).Select(l => l.ToString()).ToList();
        SortInstanceGroups(lines, 0, lines.Count, outermost: true);
        return string.Join('\n', lines);
    }

    /// <summary>
    /// Puts each run of lines in <paramref name="from"/> .. <paramref name="to"/> that one pool's instances print in
    /// whatever order they stop into one order. At the outermost level a run is keyed by the outermost pool, so an
    /// instance that is itself a supervisor keeps its children's stops in the run (seed 59315 of explore --generated:
    /// <c>root/t#3/t#1</c> stopped before <c>root/t#1</c>); the instances are put in order, and each instance's own
    /// lines keep the order they were printed in (its children stop before it, which is no race), apart from its
    /// own pool's instances, sorted the same way one level down.
    /// </summary>
    private static void SortInstanceGroups(List<string> lines, int from, int to, bool outermost)
    {
        for (var start = from; start < to;)
        {
            var end = InstanceGroupEnd(lines, start, to, outermost);
            if (end - start > 1 && !outermost)
            {
                lines.Sort(start, end - start, StringComparer.Ordinal);
            }
            else if (end - start > 1)
            {
                // OrderBy is stable: an instance's lines stay in the order printed.
                var ordered = lines.GetRange(start, end - start).OrderBy(OutermostInstance, StringComparer.Ordinal).ToList();
                for (var i = 0; i < ordered.Count; i++)
                {
                    lines[start + i] = ordered[i];
                }
                for (var block = start; block < end;)
                {
                    var instance = OutermostInstance(lines[block]);
                    var blockEnd = block + 1;
                    while (blockEnd < end && OutermostInstance(lines[blockEnd]) == instance)
                    {
                        blockEnd++;
                    }
                    SortInstanceGroups(lines, block, blockEnd, outermost: false);
                    block = blockEnd;
                }
            }
            start = end;
        }
    }

    /// <summary>
    /// The end of the run of lines that starts at <paramref name="start"/> and that the instances of one
    /// simple_one_for_one pool print in whatever order they stop: stops of the pool's instances (or of their
    /// children) at one instant, and the instances' reports among them (a shutdown_error of a child). A run
    /// without a stop is not one (it ends after its first line).
    /// </summary>
    private static int InstanceGroupEnd(List<string> lines, int start, int to, bool outermost)
    {
        string? pool = null;
        string? time = null;
        var end = start;
        var sawStop = false;
        for (; end < to; end++)
        {
            if (!TryPoolLine(lines[end], outermost, out var linePool, out var lineTime) || (pool is not null && linePool != pool) || (time is not null && lineTime is not null && lineTime != time))
            {
                break;
            }
            pool = linePool;
            if (lineTime is not null)
            {
                time = lineTime;
                sawStop = true;
            }
        }
        // A report line has no time of its own: it is at the instant of the stop before it, so it stays in the run.
        return sawStop ? end : start + 1;
    }

    /// <summary>
    /// A stop of a pool instance or its child (with its time), or a report of a pool instance (no time); the pool
    /// is the outermost one on the path, or with <paramref name="outermost"/> false the innermost.
    /// </summary>
    private static bool TryPoolLine(string line, bool outermost, out string pool, out string? time)
    {
        time = null;
        pool = "";
        if (PathOf(line, out time) is not { } path)
        {
            return false;
        }
        var hash = outermost ? path.IndexOf('#', StringComparison.Ordinal) : path.LastIndexOf('#');
        if (hash < 0)
        {
            return false;
        }
        pool = path[..hash];
        return true;
    }

    /// <summary>The path a stop line or a report line is about (a report: its supervisor), with a stop's time.</summary>
    private static string? PathOf(string line, out string? time)
    {
        var parts = line.Split(' ');
        time = null;
        if (parts.Length > 3 && parts[0] == "#" && parts[1] == "report")
        {
            return parts[2];
        }
        if (parts.Length >= 3 && parts[1] == "stop")
        {
            time = parts[0];
            return parts[2];
        }
        return null;
    }

    /// <summary>The outermost instance a pool line is about: <c>root/t#3</c> for <c>root/t#3/t#1</c> and for <c>root/t#3</c>.</summary>
    private static string OutermostInstance(string line)
    {
        var path = PathOf(line, out _)!;
        var hash = path.IndexOf('#', StringComparison.Ordinal);
        var slash = path.IndexOf('/', hash);
        return slash < 0 ? path : path[..slash];
    }

    private static string FirstDifference(string expected, string actual)
    {
        var want = expected.Split('\n');
        var got = actual.Split('\n');
        for (var i = 0; i < Math.Max(want.Length, got.Length); i++)
        {
            var w = i < want.Length ? want[i] : "<end>";
            var g = i < got.Length ? got[i] : "<end>";
            if (w != g)
            {
                return $"line {i + 1}: expected '{w}', got '{g}'";
            }
        }
        return "traces differ";
    }
}
