using Supervision.Benchmarks;
using Supervision.Benchmarks.Comparison;
using Xunit;

namespace Supervision.BenchmarkSmoke.Tests;

/// <summary>
/// The reports the benchmarks print from their results: the targets table, the floor column and the cost
/// curves, computed from figures given here (not from a run), so each expectation is worked out by hand.
/// </summary>
public sealed class ComparisonReportTests
{
    private static string TargetLine(string output, string title) =>
        output.Split('\n').Single(line => line.StartsWith("| " + title, StringComparison.Ordinal));

    [Fact]
    public void Targets_are_met_missed_or_not_measured_from_the_figures()
    {
        // Checks: back-to-back restart 1,200 ns over a 1,000 ns floor is 1.2x (met, limit 1.3x); the engine restart at
        // 50 ns misses 45 ns; 0 B allocated meets 0 B; simulation at 100 us per scenario is 10,000/s (met, the limit
        // itself); a target whose figures are missing is "not measured", never "met".
        var ours = new Dictionary<string, double>
        {
            ["RuntimeRestartBenchmarks.SequentialRestarts"] = 1_200,
            [OtpComparison.FloorKey] = 1_000,
            ["EngineRestartBenchmarks.OneForOneRestart"] = 50,
            ["EngineRestartBenchmarks.OneForOneRestart" + ResultFiles.AllocatedSuffix] = 0,
            ["GeneratedSimulationBenchmarks.GenerateSimulateCheck"] = 100_000,
        };
        var output = new StringWriter();
        PerformanceTargets.Print(ours, new Dictionary<string, double>(), output);
        var text = output.ToString();
        Assert.EndsWith("| 1.20x | <= 1.30x | met |  |", TargetLine(text, "runtime back-to-back restart / floor").TrimEnd());
        Assert.EndsWith("| 50.0 ns | <= 45.0 ns | missed |  |", TargetLine(text, "engine one_for_one restart (median)").TrimEnd());
        Assert.EndsWith("| 0.0 B | <= 0.0 B | met |  |", TargetLine(text, "engine one_for_one restart, allocated").TrimEnd());
        Assert.EndsWith("| 10,000 /s | >= 10,000 /s | met |  |", TargetLine(text, "generated scenarios").TrimEnd());
        Assert.EndsWith("| - | >= 15,000 /s | not measured |  |", TargetLine(text, "explorer interleavings").TrimEnd());
        Assert.EndsWith("| not measured |  |", TargetLine(text, "runtime crash -> restarted, one at a time / OTP").TrimEnd());
    }

    [Fact]
    public void A_missed_target_says_why_and_a_met_one_does_not()
    {
        // Checks: back-to-back restart at 3,000 ns over a 1,000 ns floor is 3.00x, missed, and the row names what a
        // restart pays that the floor does not; at 1,000 ns over 1,000 ns (1.00x, met) the reason column is empty.
        var missed = new StringWriter();
        PerformanceTargets.Print(new Dictionary<string, double> { ["RuntimeRestartBenchmarks.SequentialRestarts"] = 3_000, [OtpComparison.FloorKey] = 1_000 }, new Dictionary<string, double>(), missed);
        var row = TargetLine(missed.ToString(), "runtime back-to-back restart / floor");
        Assert.Contains("| 3.00x | <= 1.30x | missed | a restart makes a new incarnation", row);
        var met = new StringWriter();
        PerformanceTargets.Print(new Dictionary<string, double> { ["RuntimeRestartBenchmarks.SequentialRestarts"] = 1_000, [OtpComparison.FloorKey] = 1_000 }, new Dictionary<string, double>(), met);
        Assert.EndsWith("| 1.00x | <= 1.30x | met |  |", TargetLine(met.ToString(), "runtime back-to-back restart / floor").TrimEnd());
    }

    [Fact]
    public void The_comparison_divides_runtime_rows_by_the_floor_and_leaves_engine_rows_without_one()
    {
        // Checks: a runtime restart of 1,500 ns over a 1,000 ns floor prints 1.500 in the floor-ratio column and 0.500
        // against OTP's 3,000 ns; the engine row has "-" for the floor.
        var (text, figures) = Compare("""
                {"Benchmarks": [
                  {"Type": "RuntimeRestartBenchmarks", "Method": "SequentialRestarts", "FullName": "Supervision.Benchmarks.RuntimeRestartBenchmarks.SequentialRestarts", "Statistics": {"Median": 1500}, "Memory": {"BytesAllocatedPerOperation": 824}},
                  {"Type": "FloorBenchmarks", "Method": "PoolPingPong", "FullName": "Supervision.Benchmarks.FloorBenchmarks.PoolPingPong", "Statistics": {"Median": 1000}},
                  {"Type": "FloorBenchmarks", "Method": "PoolRoundTrip", "FullName": "Supervision.Benchmarks.FloorBenchmarks.PoolRoundTrip", "Statistics": {"Median": 90}},
                  {"Type": "EngineRestartBenchmarks", "Method": "OneForOneRestart", "FullName": "Supervision.Benchmarks.EngineRestartBenchmarks.OneForOneRestart", "Statistics": {"Median": 50}}
                ]}
                """, "restart.one_for_one.latency_ns\t3000\tns\n");
        Assert.Contains("| runtime: restart, back to back from a pool thread | 1.50 us | 1.00 us | 1.500 | 3.00 us | 0.500 | lower |", text);
        Assert.Contains("| one_for_one restart, crash -> restarted | 50.0 ns | - | - | 3.00 us | 0.017 | lower |", text);
        // The inline round trip is shown, but it is not what the runtime rows are divided by.
        Assert.Contains("| floor: one pool dispatch, answer run inline | 90.0 ns | - | - | - | - | lower |", text);
        Assert.Equal(824, figures["RuntimeRestartBenchmarks.SequentialRestarts" + ResultFiles.AllocatedSuffix]);
    }

    [Fact]
    public void The_replay_table_lists_each_scenario_once_by_its_time_whatever_its_allocation()
    {
        // Checks: a replay result with an allocation (MemoryDiagnoser) gives one row, 8.00 ms for the synthetic crash
        // storm, and its allocation key is not read as a scenario named "synthetic/crash-storm)#allocate", which made
        // --compare throw (run-all.sh stopped before the cost curves).
        var (text, _) = Compare("""
                {"Benchmarks": [
                  {"Type": "ScenarioReplayBenchmarks", "Method": "Replay", "FullName": "Supervision.Benchmarks.ScenarioReplayBenchmarks.Replay(Scenario: \"synthetic/crash-storm\")", "Statistics": {"Median": 8000000}, "Memory": {"BytesAllocatedPerOperation": 3000000}}
                ]}
                """, otpTsv: null);
        var rows = text.Split('\n').Where(line => line.StartsWith("| synthetic/crash-storm", StringComparison.Ordinal)).ToList();
        Assert.Single(rows);
        Assert.StartsWith("| synthetic/crash-storm | 8.00 ms | 125 |", rows[0]);
    }

    [Fact]
    public void Cost_curves_give_the_cost_per_child_at_each_size_and_plot_every_point()
    {
        // Checks: a cascade of 1,000 children in 100 us is 100 ns a child, of 100,000 children in 20 ms is 200 ns a child,
        // so the growth column says 2.00 (not linear); start_child is per call (not divided); the SVG has one point per
        // measured size and nothing for a series without figures.
        var ours = new Dictionary<string, double>
        {
            ["RuntimeScaleBenchmarks.RestForOneCascade(Children=1000)"] = 100_000,
            ["RuntimeScaleBenchmarks.RestForOneCascade(Children=100000)"] = 20_000_000,
            ["SimpleOneForOneBenchmarks.StartChild(Instances=1000)"] = 400,
            ["SimpleOneForOneBenchmarks.StartChild(Instances=100000)"] = 440,
        };
        var svg = Path.Combine(Path.GetTempPath(), $"curves-{Guid.NewGuid():N}.svg");
        try
        {
            var output = new StringWriter();
            Assert.Equal(2, CostCurves.Write(ours, output, svg));
            var text = output.ToString();
            Assert.Contains("| runtime rest_for_one cascade, per child | - | - | 100 ns | - | 200 ns | 2.00 |", text);
            Assert.Contains("| engine start_child, n held | - | - | 400 ns | - | 440 ns | 1.10 |", text);
            var plot = File.ReadAllText(svg);
            Assert.StartsWith("<svg", plot);
            Assert.Equal(4, plot.Split("<circle").Length - 1);
            Assert.DoesNotContain("engine one_for_all", plot);
        }
        finally
        {
            File.Delete(svg);
        }
    }

    /// <summary>
    /// Runs <c>--compare</c> over one BenchmarkDotNet JSON report (<paramref name="benchmarksJson"/>) and OTP's figures
    /// (none when <paramref name="otpTsv"/> is null), in a folder deleted afterwards; returns the printed text and the
    /// figures <see cref="ResultFiles.ReadBenchmarkMeans"/> read from the report.
    /// </summary>
    private static (string Text, Dictionary<string, double> Figures) Compare(string benchmarksJson, string? otpTsv)
    {
        var directory = Directory.CreateTempSubdirectory("comparison-test").FullName;
        try
        {
            File.WriteAllText(Path.Combine(directory, "bench.json"), benchmarksJson);
            var otp = Path.Combine(directory, "otp.tsv");
            if (otpTsv is not null)
            {
                File.WriteAllText(otp, otpTsv);
            }
            var output = new StringWriter();
            Assert.Equal(0, OtpComparison.Run(directory, otp, output));
            return (output.ToString(), ResultFiles.ReadBenchmarkMeans(directory));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
