using Supervision.Engine;
using Supervision.Runtime;

namespace Supervision.Benchmarks.Footprint;

/// <summary>Bytes held per running child in the real runtime: managed heap after a full collection, before and after starting N instances.</summary>
internal static class RuntimeFootprint
{
    public static async Task<double> BytesPerChildAsync(int count)
    {
        var pool = new SupervisorDefinition("pool",
            ChildDefinition.Worker("w", context => Task.Delay(Timeout.Infinite, context.Stopping)) with { Restart = RestartType.Temporary })
        {
            Strategy = RestartStrategy.SimpleOneForOne,
        };
        await using var tree = await SupervisionTree.StartAsync(pool);
        var before = Settle();
        for (var i = 0; i < count; i++)
        {
            await tree.Root.StartInstanceAsync();
        }
        var after = Settle();
        GC.KeepAlive(tree);
        return (after - before) / (double)count;
    }

    private static long Settle()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
