using System.Globalization;
using Supervision.Engine;

namespace Supervision.Benchmarks.Footprint;

/// <summary>
/// What a supervisor's restart window holds when its intensity is huge and it is used: an engine with
/// intensity 1,000,000 and period 3,600 s, one permanent child crashed <c>restarts</c> times, one
/// attempt every <c>spacingMs</c> of virtual time (the default, 1,000,000 restarts 3 ms apart, spans
/// 3,000 s, so every attempt stays inside the window and 3,000 distinct seconds are counted). Reports
/// the heap the engine retains afterwards, less an idle engine's, and the bytes allocated while crashing.
/// Not a BenchmarkDotNet benchmark: memory held, not time.
/// </summary>
public static class RestartWindowFootprint
{
    /// <summary>Measures and prints one line.</summary>
    public static void Report(int restarts, int spacingMs, TextWriter output)
    {
        var spec = new SupervisorSpec([new ChildSpec("worker")]) { Intensity = 1_000_000, PeriodSeconds = 3600 };
        // Warm up (JIT, type loading) on a short run.
        GC.KeepAlive(Crash(spec, 1_000, spacingMs, out _));
        var idle = SettledHeap();
        var engine = Crash(spec, restarts, spacingMs, out var allocated);
        var held = SettledHeap() - idle;
        GC.KeepAlive(engine);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"restart window: intensity 1,000,000, period 3600 s, {restarts:N0} restarts {spacingMs} ms apart ({engine.RestartsInWindow:N0} in the window): {held:N0} bytes held, {allocated:N0} bytes allocated while restarting"));
    }

    private static SupervisorEngine Crash(SupervisorSpec spec, int restarts, int spacingMs, out long allocated)
    {
        var engine = new SupervisorEngine(spec, "window");
        var now = 0L;
        var child = ChildRef.None;
        engine.Handle(SupervisorEvent.Start(now));
        Drain(engine, now, ref child);
        var crash = ExitReason.Abnormal("boom");
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < restarts; i++)
        {
            now += spacingMs;
            engine.Handle(SupervisorEvent.ChildExited(now, child, crash));
            Drain(engine, now, ref child);
        }
        allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        return engine;
    }

    private static void Drain(SupervisorEngine engine, long now, ref ChildRef child)
    {
        while (engine.TryDequeueDecision(out var decision))
        {
            if (decision.Kind == DecisionKind.StartChild)
            {
                child = decision.Child;
                engine.Handle(SupervisorEvent.ChildStarted(now, decision.Child));
            }
        }
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
}
