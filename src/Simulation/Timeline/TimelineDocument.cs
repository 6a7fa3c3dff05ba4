using Supervision.Simulation.Replay;
using Supervision.Simulation.Scenarios;

namespace Supervision.Simulation.Timeline;

/// <summary>
/// A picture of one run as a single self-contained HTML file (inline SVG and CSS; no script, no network, no
/// external font): a lane per child and supervisor over virtual time with starts, exits and their reasons,
/// stops, kills, start errors and ignores, calls and their replies; a band per restart, coloured by the strategy
/// that chose it and tied to the exit that caused it; each supervisor's restart count against its intensity;
/// and the give-ups. Hovering a mark shows its trace line. Long runs stay bounded: see <see cref="MaxFileBytes"/>.
/// </summary>
public static class TimelineDocument
{
    /// <summary>
    /// The most bytes a timeline file takes, whatever the run: at most 2000 marks (a longer run shows its first and
    /// last 1000, the middle as a marked break), 150 lanes and 200 rows of the restart table, and every text from
    /// the scenario cut to 96 characters before escaping.
    /// </summary>
    public const int MaxFileBytes = 4 * 1024 * 1024;

    /// <summary>Runs <paramref name="scenario"/> (on the engine, or through the async runtime on a deterministic scheduler) and draws its timeline.</summary>
    /// <param name="scenario">A scenario read by <see cref="ScenarioReader"/> (a shrunk failure file is one too).</param>
    /// <param name="throughRuntime">Run it through the async runtime (<c>replay --runtime</c>) instead of the engine.</param>
    /// <returns>The HTML document.</returns>
    /// <exception cref="ScenarioLimitExceededException">The run went over one of the scenario's limits.</exception>
    public static string Render(Scenario scenario, bool throughRuntime = false)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        var result = throughRuntime
            ? RuntimeReplay.RuntimeScenarioRunner.Run(scenario, includeReports: true)
            : ScenarioSimulator.Run(scenario, includeReports: true);
        return Render(scenario, result, throughRuntime ? "async runtime (deterministic scheduler)" : "engine");
    }

    /// <summary>Draws the timeline of a run already made.</summary>
    /// <param name="scenario">The scenario that was run.</param>
    /// <param name="result">Its result; the trace must include the <c># report</c> lines (restart grouping and give-ups come from them).</param>
    /// <param name="driver">What ran it, as shown in the page (for example <c>engine</c>).</param>
    /// <returns>The HTML document.</returns>
    public static string Render(Scenario scenario, SimulationResult result, string driver)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(driver);
        return Render(scenario, result.Lines, driver, TimelineLimits.Default);
    }

    internal static string Render(Scenario scenario, IReadOnlyList<TraceLine> lines, string driver, TimelineLimits limits)
    {
        var model = TimelineBuilder.Build(scenario, lines, driver, limits);
        return TimelineHtml.Write(model, limits);
    }
}
