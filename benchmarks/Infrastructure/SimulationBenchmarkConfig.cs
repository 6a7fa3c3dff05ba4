using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;

namespace Supervision.Benchmarks.Infrastructure;

/// <summary>Simulation benchmarks: the default columns plus the median, scenarios per second and engine events per second (from the mean).</summary>
public sealed class SimulationBenchmarkConfig : ManualConfig
{
    /// <summary>Adds the throughput columns.</summary>
    public SimulationBenchmarkConfig()
    {
        AddColumn(StatisticColumn.Median);
        AddColumn(new ThroughputColumn(ThroughputColumn.Measure.ScenariosPerSecond));
        AddColumn(new ThroughputColumn(ThroughputColumn.Measure.EventsPerRun));
        AddColumn(new ThroughputColumn(ThroughputColumn.Measure.EventsPerSecond));
        // Scenario paths are long; show them whole.
        SummaryStyle = SummaryStyle.Default.WithMaxParameterColumnWidth(90);
    }
}
