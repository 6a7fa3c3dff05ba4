using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;

namespace Supervision.Benchmarks.Infrastructure;

/// <summary>
/// Engine benchmarks: the default columns plus the median and the minimum (steadier than the mean on a
/// shared machine) and the time per child where the benchmark has a <c>Children</c> parameter.
/// </summary>
public sealed class EngineBenchmarkConfig : ManualConfig
{
    /// <summary>Adds the columns.</summary>
    public EngineBenchmarkConfig() => AddColumn(StatisticColumn.Median, StatisticColumn.Min, new PerChildColumn());
}
