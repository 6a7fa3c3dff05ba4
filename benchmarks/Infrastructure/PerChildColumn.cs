using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Supervision.Benchmarks.Infrastructure;

/// <summary>The mean time divided by the benchmark's <c>Children</c> parameter: flat when the work is linear in the children.</summary>
public sealed class PerChildColumn : IColumn
{
    /// <inheritdoc />
    public string Id => nameof(PerChildColumn);

    /// <inheritdoc />
    public string ColumnName => "ns/child";

    /// <inheritdoc />
    public bool AlwaysShow => true;

    /// <inheritdoc />
    public ColumnCategory Category => ColumnCategory.Custom;

    /// <inheritdoc />
    public int PriorityInCategory => 0;

    /// <inheritdoc />
    public bool IsNumeric => true;

    /// <inheritdoc />
    public UnitType UnitType => UnitType.Dimensionless;

    /// <inheritdoc />
    public string Legend => "Mean time in nanoseconds divided by the number of children";

    /// <inheritdoc />
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    /// <inheritdoc />
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var children = benchmarkCase.Parameters.Items.FirstOrDefault(p => p.Name == "Children")?.Value;
        var mean = summary[benchmarkCase]?.ResultStatistics?.Mean;
        return children is int count && count > 0 && mean is { } ns
            ? (ns / count).ToString("F1", CultureInfo.InvariantCulture)
            : "-";
    }

    /// <inheritdoc />
    public bool IsAvailable(Summary summary) => true;

    /// <inheritdoc />
    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
}
