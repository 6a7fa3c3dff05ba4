using System.Globalization;
using Supervision.Engine;

namespace Supervision.Benchmarks.Footprint;

/// <summary>
/// Bytes an engine holds per child: the managed heap retained by an engine with N running children,
/// less the same heap without it, divided by N (full blocking collections before each reading). The
/// child specs are built before the first reading, because they are the caller's; everything the engine
/// keeps (child table, indexes, queues, replies it still references) is counted. Not a BenchmarkDotNet
/// benchmark: it is a measurement of memory held, not of time or of memory allocated.
/// </summary>
public static class EngineFootprint
{
    /// <summary>One measured configuration.</summary>
    /// <param name="Key">The key used in the results file and the comparison (for example <c>bytes_per_child.static</c>).</param>
    /// <param name="Description">What was measured.</param>
    /// <param name="Children">How many children the engine held.</param>
    /// <param name="BytesPerChild">Heap bytes retained per child.</param>
    public sealed record Row(string Key, string Description, int Children, double BytesPerChild);

    /// <summary>Measures every configuration.</summary>
    public static IReadOnlyList<Row> MeasureAll() =>
    [
        MeasureStatic(1_000),
        MeasureStatic(10_000),
        MeasureSimple(100_000),
    ];

    /// <summary>Prints the rows and writes them as <c>key\tvalue\tunit</c> lines to <paramref name="tsvPath"/>.</summary>
    public static void Report(IReadOnlyList<Row> rows, TextWriter output, string tsvPath)
    {
        output.WriteLine("| configuration | children | bytes held per child |");
        output.WriteLine("| --- | ---: | ---: |");
        foreach (var row in rows)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {row.Description} | {row.Children:N0} | {row.BytesPerChild:F1} |"));
        }
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(tsvPath))!);
        File.WriteAllLines(tsvPath, rows.Select(row => string.Create(CultureInfo.InvariantCulture, $"{row.Key}\t{row.BytesPerChild:F1}\tbytes")));
        output.WriteLine($"written: {tsvPath}");
    }

    private static Row MeasureStatic(int children)
    {
        var specs = new ChildSpec[children];
        for (var i = 0; i < specs.Length; i++)
        {
            specs[i] = new ChildSpec($"worker-{i}");
        }
        var spec = new SupervisorSpec(specs) { Strategy = RestartStrategy.OneForOne, Intensity = 10, PeriodSeconds = 5 };
        var bytes = Retained(() =>
        {
            var engine = new SupervisorEngine(spec, "footprint");
            engine.Handle(SupervisorEvent.Start(0));
            Drain(engine);
            return engine;
        });
        return new Row($"bytes_per_child.static.{children}", $"one_for_one, static children", children, bytes / children);
    }

    private static Row MeasureSimple(int instances)
    {
        var spec = new SupervisorSpec([new ChildSpec("conn") { Restart = RestartType.Transient }]) { Strategy = RestartStrategy.SimpleOneForOne };
        var request = CallRequest.StartInstance(null);
        var bytes = Retained(() =>
        {
            var engine = new SupervisorEngine(spec, "footprint");
            engine.Handle(SupervisorEvent.Start(0));
            Drain(engine);
            for (var i = 1; i <= instances; i++)
            {
                engine.Handle(SupervisorEvent.CallReceived(0, i, request));
                Drain(engine);
            }
            return engine;
        });
        return new Row("bytes_per_child.s1o1", "simple_one_for_one, instances", instances, bytes / instances);
    }

    /// <summary>Heap bytes retained by what <paramref name="build"/> returns.</summary>
    private static double Retained(Func<SupervisorEngine> build)
    {
        // Warm up once so that JIT and type-loading allocations are not counted.
        GC.KeepAlive(build());
        var before = SettledHeap();
        var engine = build();
        var after = SettledHeap();
        GC.KeepAlive(engine);
        return after - before;
    }

    private static long SettledHeap()
    {
        for (var i = 0; i < 3; i++)
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    /// <summary>Answers every start with success; nothing else is expected here.</summary>
    private static void Drain(SupervisorEngine engine)
    {
        while (engine.TryDequeueDecision(out var decision))
        {
            if (decision.Kind == DecisionKind.StartChild)
            {
                engine.Handle(SupervisorEvent.ChildStarted(0, decision.Child));
            }
        }
    }
}
