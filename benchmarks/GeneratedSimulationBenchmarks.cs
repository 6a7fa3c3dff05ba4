using BenchmarkDotNet.Attributes;
using Supervision.Simulation.Checking;

namespace Supervision.Benchmarks;

/// <summary>
/// What <c>supervise simulate</c> does per seed, on one core: generate a scenario (the swarm generator: a new
/// tree and crash schedule), replay it on the engine and check the trace against the reference model. 1 s
/// divided by the time per scenario is generated scenarios per second per core (issue target: 10,000).
/// </summary>
[MemoryDiagnoser]
public class GeneratedSimulationBenchmarks
{
    /// <summary>Scenarios per invocation.</summary>
    public const int ScenariosPerInvoke = 500;

    private ulong _nextSeed = 1;

    /// <summary>One generated scenario, simulated and checked (no shrinking: nothing fails).</summary>
    [Benchmark(OperationsPerInvoke = ScenariosPerInvoke)]
    public int GenerateSimulateCheck()
    {
        var report = SimulationCampaign.Run(new SimulationOptions { Seed = _nextSeed, Runs = ScenariosPerInvoke, Shrink = false });
        _nextSeed += ScenariosPerInvoke;
        if (report.Failures.Count > 0)
        {
            throw new InvalidOperationException($"seed {report.Failures[0].Seed} broke {report.Failures[0].Invariant}: {report.Failures[0].Message}");
        }
        return report.Scenarios;
    }
}
