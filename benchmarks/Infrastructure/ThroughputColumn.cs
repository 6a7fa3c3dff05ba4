using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Supervision.Benchmarks.Infrastructure;

/// <summary>
/// Throughput of a scenario replay, from the mean time of one run and the number of engine events a run
/// handles (the run is deterministic, so the count is taken once, by replaying the scenario here).
/// </summary>
public sealed class ThroughputColumn : IColumn
{
    private readonly Measure _measure;

    /// <summary>A column showing <paramref name="measure"/>.</summary>
    public ThroughputColumn(Measure measure) => _measure = measure;

    /// <summary>What a <see cref="ThroughputColumn"/> shows.</summary>
    public enum Measure
    {
        /// <summary>Whole scenario replays per second.</summary>
        ScenariosPerSecond,
        /// <summary>Engine events handled by one replay.</summary>
        EventsPerRun,
        /// <summary>Engine events per second.</summary>
        EventsPerSecond,
    }

    /// <inheritdoc />
    public string Id => $"{nameof(ThroughputColumn)}.{_measure}";

    /// <inheritdoc />
    public string ColumnName => _measure switch
    {
        Measure.ScenariosPerSecond => "scenarios/s",
        Measure.EventsPerRun => "events/run",
        _ => "events/s",
    };

    /// <inheritdoc />
    public bool AlwaysShow => true;

    /// <inheritdoc />
    public ColumnCategory Category => ColumnCategory.Custom;

    /// <inheritdoc />
    public int PriorityInCategory => (int)_measure;

    /// <inheritdoc />
    public bool IsNumeric => true;

    /// <inheritdoc />
    public UnitType UnitType => UnitType.Dimensionless;

    /// <inheritdoc />
    public string Legend => _measure switch
    {
        Measure.ScenariosPerSecond => "Scenario replays per second (1 s / Mean)",
        Measure.EventsPerRun => "Engine events handled by one replay (SimulationResult.EngineEvents)",
        _ => "Engine events per second (events/run / Mean)",
    };

    /// <inheritdoc />
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    /// <inheritdoc />
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var scenario = benchmarkCase.Parameters.Items.FirstOrDefault(p => p.Name == "Scenario")?.Value as string;
        var mean = summary[benchmarkCase]?.ResultStatistics?.Mean;
        if (scenario is null || mean is not { } ns || ns <= 0)
        {
            return "-";
        }
        var events = ScenarioFiles.EngineEventsOf(scenario);
        var value = _measure switch
        {
            Measure.ScenariosPerSecond => 1e9 / ns,
            Measure.EventsPerRun => events,
            _ => events * 1e9 / ns,
        };
        return value.ToString("N0", CultureInfo.InvariantCulture);
    }

    /// <inheritdoc />
    public bool IsAvailable(Summary summary) => true;

    /// <inheritdoc />
    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
}
