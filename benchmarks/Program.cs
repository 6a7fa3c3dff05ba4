using BenchmarkDotNet.Running;
using Supervision.Benchmarks.Comparison;
using Supervision.Benchmarks.Footprint;

namespace Supervision.Benchmarks;

/// <summary>
/// Runs the benchmarks (<c>dotnet run -c Release --project benchmarks -- --filter '*'</c>; every
/// argument goes to BenchmarkDotNet's switcher), or one of two helper modes used by run-all.sh:
/// <c>--footprint [file]</c> measures the bytes an engine holds per child, <c>--runtime-footprint [n] [file]</c> the
/// bytes the runtime holds per running child, <c>--window-footprint [restarts] [spacing-ms]</c> the bytes a huge restart
/// window holds,
/// <c>--compare [results-dir] [otp.tsv]</c> prints the table of ratios to the floor and to OTP's figures and the targets, and
/// <c>--curves [results-dir] [out.svg]</c> prints the cost per child at each size and plots it.
/// </summary>
public static class Program
{
    /// <summary>Entry point.</summary>
    public static int Main(string[] args)
    {
        var results = Path.Combine("BenchmarkDotNet.Artifacts", "results");
        switch (args.FirstOrDefault())
        {
            case "--footprint":
                EngineFootprint.Report(EngineFootprint.MeasureAll(), Console.Out, args.ElementAtOrDefault(1) ?? Path.Combine(results, "footprint.tsv"));
                return 0;
            case "--runtime-footprint":
                var count = int.TryParse(args.ElementAtOrDefault(1), out var n) ? n : 100_000;
                var bytes = RuntimeFootprint.BytesPerChildAsync(count).GetAwaiter().GetResult();
                Console.WriteLine($"runtime: {bytes:0.0} bytes held per running simple_one_for_one child ({count} children)");
                if (args.ElementAtOrDefault(2) is { } tsv)
                {
                    // For the comparison table (read with the engine's footprint file).
                    // Appended, so one file holds every size; the 100,000 figure also under the key the comparison reads.
                    var line = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"runtime.bytes_per_child.s1o1.{count}\t{bytes:F1}\tbytes\n");
                    File.AppendAllText(tsv, count == 100_000 ? line + line.Replace($".{count}\t", "\t", StringComparison.Ordinal) : line);
                }
                return 0;
            case "--window-footprint":
                RestartWindowFootprint.Report(
                    int.TryParse(args.ElementAtOrDefault(1), out var restarts) ? restarts : 1_000_000,
                    int.TryParse(args.ElementAtOrDefault(2), out var spacing) ? spacing : 3,
                    Console.Out);
                return 0;
            case "--curves":
                var curvesDirectory = args.ElementAtOrDefault(1) ?? results;
                return CostCurves.Write(ResultFiles.ReadBenchmarkMeans(curvesDirectory), Console.Out,
                    args.ElementAtOrDefault(2) ?? Path.Combine(curvesDirectory, "cost-curves.svg")) > 0 ? 0 : 1;
            case "--compare":
                return OtpComparison.Run(args.ElementAtOrDefault(1) ?? results, args.ElementAtOrDefault(2) ?? Path.Combine("otp", "results", "otp.tsv"), Console.Out);
            default:
                BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
                return 0;
        }
    }
}
