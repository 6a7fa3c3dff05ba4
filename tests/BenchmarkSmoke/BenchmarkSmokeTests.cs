using System.Reflection;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Xunit;

namespace Supervision.BenchmarkSmoke.Tests;

/// <summary>
/// CI's benchmark smoke test: every BenchmarkDotNet benchmark in benchmarks/ runs once (BenchmarkDotNet's
/// dry job: one launch, one invocation, no warm-up) in this process, through BenchmarkDotNet itself, so a
/// benchmark that throws, fails its setup or is rejected by BenchmarkDotNet's validators fails CI. It
/// measures nothing: the figures come from the full run (benchmarks/run-all.sh).
/// </summary>
public sealed class BenchmarkSmokeTests(ITestOutputHelper output)
{
    /// <summary>Every class of the benchmarks assembly with a [Benchmark] method.</summary>
    public static TheoryData<string> BenchmarkClasses() => new(BenchmarkClassNames());

    private static IEnumerable<string> BenchmarkClassNames() =>
        typeof(Benchmarks.Program).Assembly.GetTypes()
            .Where(type => type.GetMethods().Any(m => m.GetCustomAttribute<BenchmarkAttribute>() is not null))
            .Select(type => type.FullName!)
            .Order(StringComparer.Ordinal);

    [Fact]
    public void The_suite_has_the_benchmarks_the_issue_asks_for()
    {
        // Checks: the smoke test below covers engine, runtime, simulation and exploration benchmarks (a class
        // that lost its [Benchmark] attributes would silently drop out of the theory).
        var names = BenchmarkClassNames().Select(n => n[(n.LastIndexOf('.') + 1)..]).ToHashSet();
        foreach (var expected in new[]
        {
            "EngineRestartBenchmarks", "EngineCascadeBenchmarks", "EngineGiveUpBenchmarks", "SimpleOneForOneBenchmarks",
            "RuntimeRestartBenchmarks", "RuntimeScaleBenchmarks", "ScenarioReplayBenchmarks", "ExplorationBenchmarks",
            "FloorBenchmarks", "RuntimeDynamicChildrenBenchmarks", "GeneratedSimulationBenchmarks",
        })
        {
            Assert.Contains(expected, names);
        }
    }

    [Theory]
    [MemberData(nameof(BenchmarkClasses))]
    public void Every_benchmark_runs_once_without_error(string typeName)
    {
        // Checks: BenchmarkDotNet accepts the class (no critical validation error), runs every case (each
        // parameter combination) and every run succeeds.
        var type = typeof(Benchmarks.Program).Assembly.GetType(typeName, throwOnError: true)!;
        var config = ManualConfig.CreateEmpty()
            .AddJob(Job.Dry.WithToolchain(InProcessEmitToolchain.Instance))
            .AddLogger(new TestOutputLogger(output))
            .AddColumnProvider(DefaultColumnProviders.Instance)
            .WithArtifactsPath(Path.Combine(Path.GetTempPath(), "supervision-benchmark-smoke", type.Name))
            // dotnet test builds the libraries in Debug; the smoke test checks that the benchmarks run, not their speed.
            .WithOptions(ConfigOptions.DisableOptimizationsValidator | ConfigOptions.DisableLogFile);
        var summary = BenchmarkRunner.Run(type, config);
        Assert.False(summary.HasCriticalValidationErrors, string.Join("; ", summary.ValidationErrors.Select(e => e.Message)));
        Assert.NotEmpty(summary.BenchmarksCases);
        Assert.Equal(summary.BenchmarksCases.Length, summary.Reports.Length);
        foreach (var report in summary.Reports)
        {
            Assert.True(report.Success, $"{report.BenchmarkCase.DisplayInfo} failed: {string.Join(" | ", report.ExecuteResults.Select(r => $"success={r.IsSuccess} exit={r.ExitCode} errors={string.Join(";", r.Errors ?? [])}"))}");
        }
    }

    /// <summary>BenchmarkDotNet's log into the test's output.</summary>
    private sealed class TestOutputLogger(ITestOutputHelper output) : ILogger
    {
        private string _line = string.Empty;

        public string Id => nameof(TestOutputLogger);

        public int Priority => 0;

        public void Write(LogKind logKind, string text) => _line += text;

        public void WriteLine() => Flush();

        public void WriteLine(LogKind logKind, string text)
        {
            _line += text;
            Flush();
        }

        public void Flush()
        {
            output.WriteLine(_line);
            _line = string.Empty;
        }
    }
}
