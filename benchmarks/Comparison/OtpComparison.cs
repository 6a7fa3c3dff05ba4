using System.Globalization;
using Supervision.Benchmarks.Infrastructure;

namespace Supervision.Benchmarks.Comparison;

/// <summary>
/// Prints one table: each engine and runtime figure (from BenchmarkDotNet's JSON results and the footprint files)
/// beside OTP's figure for the same thing (from <c>otp/run-otp.sh</c>'s output) and the ratio ours / OTP.
/// A missing figure on either side is shown as "-", so the table is useful after a partial run too.
/// Then a second table with the simulator's throughput, which has no OTP counterpart.
/// </summary>
public static class OtpComparison
{
    private static readonly (string Title, string Ours, string Otp, Unit Unit)[] Rows =
    [
        // The engine alone (the pure state machine).
        ("one_for_one restart, crash -> restarted", "EngineRestartBenchmarks.OneForOneRestart", "restart.one_for_one.latency_ns", Unit.Nanoseconds),
        ("one_for_one restarts/s, sustained (intensity 1e6, period 1 s)", "EngineRestartBenchmarks.OneForOneRestart", "restart.one_for_one.per_second", Unit.PerSecond),
        ("rest_for_one cascade, 10 children", "EngineCascadeBenchmarks.CrashFirstChild(Strategy=RestForOne&Children=10)", "cascade.rest_for_one.10_ns", Unit.Nanoseconds),
        ("rest_for_one cascade, 100 children", "EngineCascadeBenchmarks.CrashFirstChild(Strategy=RestForOne&Children=100)", "cascade.rest_for_one.100_ns", Unit.Nanoseconds),
        ("rest_for_one cascade, 1,000 children", "EngineCascadeBenchmarks.CrashFirstChild(Strategy=RestForOne&Children=1000)", "cascade.rest_for_one.1000_ns", Unit.Nanoseconds),
        ("one_for_all cascade, 10 children", "EngineCascadeBenchmarks.CrashFirstChild(Strategy=OneForAll&Children=10)", "cascade.one_for_all.10_ns", Unit.Nanoseconds),
        ("one_for_all cascade, 100 children", "EngineCascadeBenchmarks.CrashFirstChild(Strategy=OneForAll&Children=100)", "cascade.one_for_all.100_ns", Unit.Nanoseconds),
        ("one_for_all cascade, 1,000 children", "EngineCascadeBenchmarks.CrashFirstChild(Strategy=OneForAll&Children=1000)", "cascade.one_for_all.1000_ns", Unit.Nanoseconds),
        ("crash beyond intensity (8 children), crash -> exited", "EngineGiveUpBenchmarks.CrashBeyondIntensity(Children=8)", "giveup.one_for_one.8_ns", Unit.Nanoseconds),
        ("simple_one_for_one start_child (100,000 held)", "SimpleOneForOneBenchmarks.StartChild(Instances=100000)", "s1o1.start_child_ns", Unit.Nanoseconds),
        ("simple_one_for_one terminate_child (100,000 held)", "SimpleOneForOneBenchmarks.TerminateChild(Instances=100000)", "s1o1.terminate_child_ns", Unit.Nanoseconds),
        ("bytes held per static child (1,000)", "bytes_per_child.static.1000", "bytes_per_child.static.1000", Unit.Bytes),
        ("bytes held per static child (10,000)", "bytes_per_child.static.10000", "bytes_per_child.static.10000", Unit.Bytes),
        ("bytes held per simple_one_for_one child (100,000)", "bytes_per_child.s1o1", "bytes_per_child.s1o1", Unit.Bytes),
        // The floor below the floor: one pool dispatch whose answer runs inline (see FloorKey); no OTP counterpart.
        ("floor: one pool dispatch, answer run inline", "FloorBenchmarks.PoolRoundTrip", NoOtpFigure, Unit.Nanoseconds),
        // The runtime: real Tasks on the thread pool, mailbox loops, the system clock.
        ("runtime: restart, crash -> restarted (BenchmarkDotNet's thread waits for each)", "RuntimeRestartBenchmarks.CrashToRestarted", "restart.one_for_one.latency_ns", Unit.Nanoseconds),
        ("runtime: restart, back to back from a pool thread", "RuntimeRestartBenchmarks.SequentialRestarts", "restart.one_for_one.latency_ns", Unit.Nanoseconds),
        ("runtime: restarts/s of one child, vs OTP's single-restart latency", "RuntimeRestartBenchmarks.SequentialRestarts", "restart.one_for_one.latency_ns", Unit.PerSecondBothFromNanoseconds),
        ("runtime: restarts/s of one child, vs OTP sustained (same flags)", "RuntimeRestartBenchmarks.SequentialRestarts", "restart.one_for_one.per_second", Unit.PerSecond),
        ("runtime: rest_for_one cascade, 10 children", "RuntimeScaleBenchmarks.RestForOneCascade(Children=10)", "cascade.rest_for_one.10_ns", Unit.Nanoseconds),
        ("runtime: rest_for_one cascade, 100 children", "RuntimeScaleBenchmarks.RestForOneCascade(Children=100)", "cascade.rest_for_one.100_ns", Unit.Nanoseconds),
        ("runtime: start 100,000 dynamic children, per child", "RuntimeDynamicChildrenBenchmarks.StartChildren(Count=100000)", "s1o1.start_child_ns", Unit.NanosecondsPer100000),
        ("runtime: stop 100,000 dynamic children, per child", "RuntimeDynamicChildrenBenchmarks.StopChildren(Count=100000)", NoOtpFigure, Unit.NanosecondsPer100000),
        ("runtime: bytes held per running child (100,000)", "runtime.bytes_per_child.s1o1", "bytes_per_child.s1o1.with_process", Unit.Bytes),
    ];

    /// <summary>A row with no OTP counterpart (OTP stops a pool's children in one call, not one at a time).</summary>
    private const string NoOtpFigure = "-";

    /// <summary>
    /// The floor each runtime row is divided by: one round trip between two loops on the thread pool with
    /// reusable signals (<see cref="FloorBenchmarks.PoolPingPong"/>), the least hand-off a crash or a call needs
    /// to reach the supervisor's loop and come back. <see cref="FloorBenchmarks.PoolRoundTrip"/>, where the
    /// answer runs inline on the thread that queued the work, is printed in its own row: no restart can do that,
    /// since the caller and the supervisor's loop are two activities. Engine rows have no floor: they never
    /// leave their thread.
    /// </summary>
    public const string FloorKey = "FloorBenchmarks.PoolPingPong";

    private enum Unit
    {
        Nanoseconds,
        /// <summary>Ours: nanoseconds per operation, shown as a rate; OTP's: a rate.</summary>
        PerSecond,
        /// <summary>Both sides nanoseconds per operation, shown as rates.</summary>
        PerSecondBothFromNanoseconds,
        /// <summary>Ours: nanoseconds for 100,000 operations; OTP's: nanoseconds for one.</summary>
        NanosecondsPer100000,
        Bytes,
    }

    /// <summary>Reads the results and prints the tables; returns 0, or 1 when no result of ours was found.</summary>
    /// <param name="resultsDirectory">BenchmarkDotNet's results directory (its <c>*.json</c> files and <c>footprint.tsv</c>).</param>
    /// <param name="otpFile">The output of <c>otp/run-otp.sh</c>.</param>
    /// <param name="output">Where the tables go.</param>
    public static int Run(string resultsDirectory, string otpFile, TextWriter output)
    {
        var ours = ResultFiles.ReadBenchmarkMeans(resultsDirectory);
        foreach (var file in new[] { "footprint.tsv", "runtime-footprint.tsv" })
        {
            foreach (var (key, value) in ResultFiles.ReadTsv(Path.Combine(resultsDirectory, file)))
            {
                ours[key] = value;
            }
        }
        var otp = ResultFiles.ReadTsv(otpFile);
        if (ours.Count == 0)
        {
            output.WriteLine($"compare: no results in {resultsDirectory}; run the benchmarks with --exporters json first");
            return 1;
        }
        if (otp.Count == 0)
        {
            output.WriteLine($"compare: no OTP figures in {otpFile}; run otp/run-otp.sh first (the OTP column stays empty)");
        }
        double? floorNs = ours.TryGetValue(FloorKey, out var floorValue) ? floorValue : null;
        output.WriteLine("| measure | ours | floor | ours / floor | OTP 25 | ours / OTP | better |");
        output.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | --- |");
        foreach (var (title, oursKey, otpKey, unit) in Rows)
        {
            double? mine = ours.TryGetValue(oursKey, out var mean)
                ? unit switch
                {
                    Unit.PerSecond or Unit.PerSecondBothFromNanoseconds => 1e9 / mean,
                    Unit.NanosecondsPer100000 => mean / 100_000,
                    _ => mean,
                }
                : null;
            double? theirs = otp.TryGetValue(otpKey, out var value) ? unit == Unit.PerSecondBothFromNanoseconds ? 1e9 / value : value : null;
            var higherIsBetter = unit is Unit.PerSecond or Unit.PerSecondBothFromNanoseconds;
            // The floor is a time per hand-off: shown in the row's own unit (a rate for rate rows), for time and rate rows of the runtime only.
            double? floor = title.StartsWith("runtime:", StringComparison.Ordinal) && unit != Unit.Bytes && floorNs is { } f
                ? higherIsBetter ? 1e9 / f : f
                : null;
            output.WriteLine($"| {title} | {Format(mine, unit)} | {Format(floor, unit)} | {Ratio(mine, floor)} | {Format(theirs, unit)} | {Ratio(mine, theirs)} | {(higherIsBetter ? "higher" : "lower")} |");
        }
        output.WriteLine();
        PerformanceTargets.Print(ours, otp, output);
        output.WriteLine();
        PrintSimulation(ours, output);
        return 0;
    }

    private static void PrintSimulation(Dictionary<string, double> ours, TextWriter output)
    {
        const string prefix = "ScenarioReplayBenchmarks.Replay(Scenario=";
        // A replay's time only: its allocation has a key of its own (ResultFiles.AllocatedSuffix).
        var rows = ours.Where(pair => pair.Key.StartsWith(prefix, StringComparison.Ordinal) && !pair.Key.EndsWith(ResultFiles.AllocatedSuffix, StringComparison.Ordinal))
            .OrderBy(pair => pair.Key, StringComparer.Ordinal).ToList();
        if (rows.Count == 0)
        {
            return;
        }
        output.WriteLine("| scenario replayed | median | scenarios/s | engine events/run | engine events/s |");
        output.WriteLine("| --- | ---: | ---: | ---: | ---: |");
        foreach (var (key, ns) in rows)
        {
            var scenario = key[prefix.Length..^1];
            long events;
            try
            {
                events = ScenarioFiles.EngineEventsOf(scenario);
            }
            catch (IOException)
            {
                continue; // A scenario that is no longer in the repository.
            }
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {scenario} | {Format(ns, Unit.Nanoseconds)} | {1e9 / ns:N0} | {events:N0} | {events * 1e9 / ns:N0} |"));
        }
    }

    private static string Ratio(double? ours, double? other) =>
        ours is { } a && other is { } b && b > 0 ? (a / b).ToString(a / b < 0.01 ? "0.0000" : "0.000", CultureInfo.InvariantCulture) : "-";

    private static string Format(double? value, Unit unit) => value switch
    {
        null => "-",
        { } v when unit == Unit.Bytes => v.ToString("N1", CultureInfo.InvariantCulture) + " B",
        { } v when unit is Unit.PerSecond or Unit.PerSecondBothFromNanoseconds => v.ToString("N0", CultureInfo.InvariantCulture) + " /s",
        { } v when v >= 1e6 => (v / 1e6).ToString("N2", CultureInfo.InvariantCulture) + " ms",
        { } v when v >= 1e3 => (v / 1e3).ToString("N2", CultureInfo.InvariantCulture) + " us",
        { } v => v.ToString("N1", CultureInfo.InvariantCulture) + " ns",
    };
}
