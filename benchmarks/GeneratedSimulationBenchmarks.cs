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

    /// <summary>Scenarios run before the measurement (seeds far from the measured ones).</summary>
    public const int WarmUpScenarios = 30_000;

    private ulong _nextSeed = 1;

    /// <summary>
    /// Runs a campaign first, so the measurement is of the steady state that any campaign of useful length is in:
    /// the JIT's tiering has several hundred methods of reader, simulator, engine and checker to optimise, and on
    /// two cores its background compilation takes seconds, longer than BenchmarkDotNet's warm-up (measured: the
    /// ShortRun iterations fell from 358 to 229 us per scenario, still falling, while
    /// <c>supervise simulate --runs 100000</c> runs its last 80,000 seeds at about 12,000 per second).
    /// </summary>
    [GlobalSetup]
    public void WarmUp() => SimulationCampaign.Run(new SimulationOptions { Seed = 1UL << 40, Runs = WarmUpScenarios, Shrink = false });

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
