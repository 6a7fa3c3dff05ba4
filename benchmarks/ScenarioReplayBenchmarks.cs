using BenchmarkDotNet.Attributes;
using Supervision.Benchmarks.Infrastructure;
using Supervision.Simulation.Replay;
using Supervision.Simulation.Scenarios;

namespace Supervision.Benchmarks;

/// <summary>
/// The deterministic simulator: one operation replays a whole scenario with
/// <see cref="ScenarioSimulator.Run"/> (one engine per supervisor, simulated workers, virtual time,
/// the trace built as text). The file is read and parsed once, in the setup. The extra columns give
/// scenarios per second and engine events per second (the run's
/// <see cref="SimulationResult.EngineEvents"/> divided by the mean time).
/// </summary>
[MemoryDiagnoser]
[Config(typeof(SimulationBenchmarkConfig))]
public class ScenarioReplayBenchmarks
{
    private Scenario _scenario = null!;

    /// <summary>The scenario file, relative to the repository root.</summary>
    [ParamsSource(nameof(Scenarios))]
    public string Scenario { get; set; } = "";

    /// <summary>
    /// The bundled examples, a few golden scenarios with group restarts, escalation and parallel shutdown,
    /// and a synthetic crash storm of thousands of events (the files are short: their replay time is
    /// mostly the simulator's fixed cost per run).
    /// </summary>
    public static IEnumerable<string> Scenarios =>
    [
        "examples/chat.json",
        "examples/ecommerce.json",
        "examples/gameserver.json",
        "tests/Engine.Tests/Scenarios/otp13/16b-simultaneous-crashes-one-for-all.json",
        "tests/Engine.Tests/Scenarios/otp13/27b-s1o1-parallel-shutdown-timeout.json",
        "tests/Engine.Tests/Scenarios/rules/intensity-retries-exhaust.json",
        "tests/Engine.Tests/Scenarios/rules/nested-escalation-two-levels.json",
        SyntheticScenarios.CrashStorm,
    ];

    /// <summary>Parses the scenario once.</summary>
    [GlobalSetup]
    public void Setup() => _scenario = ScenarioFiles.Load(Scenario);

    /// <summary>Replays the scenario to its end, reports included.</summary>
    [Benchmark]
    public SimulationResult Replay() => ScenarioSimulator.Run(_scenario);
}
