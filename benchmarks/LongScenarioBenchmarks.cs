using System.Globalization;
using System.Text;
using BenchmarkDotNet.Attributes;
using Supervision.Simulation.Replay;
using Supervision.Simulation.Scenarios;

namespace Supervision.Benchmarks;

/// <summary>
/// Long scenarios: one child crashed every 10 ms, 10 000 or 100 000 times. <see cref="Read"/> reads the file's
/// bytes (its allocations, per step, show how much the reader costs next to the file's own ~50 bytes a step);
/// <see cref="Replay"/> replays the parsed scenario. Both should grow linearly with the steps: replay used to be
/// quadratic in steps for one child, and the reader used to allocate about 20 times the file.
/// </summary>
[MemoryDiagnoser]
public class LongScenarioBenchmarks
{
    private static readonly ScenarioLimits Unbounded = new() { MaxSteps = int.MaxValue, MaxEngineEvents = long.MaxValue, MaxTraceLength = long.MaxValue };

    private byte[] _utf8 = [];
    private Scenario _scenario = null!;

    /// <summary>How many exit steps the scenario has.</summary>
    [Params(10_000, 100_000)]
    public int Steps { get; set; }

    /// <summary>Writes the scenario and parses it once for <see cref="Replay"/>.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var json = new StringBuilder("""{"tree": {"id": "root", "intensity": 1000000, "children": [{"id": "a"}]}, "steps": [""");
        for (var i = 0; i < Steps; i++)
        {
            json.Append(CultureInfo.InvariantCulture, $"{(i == 0 ? "" : ",")}\n  {{\"at\": {i * 10}, \"exit\": \"root/a\", \"reason\": \"boom\"}}");
        }
        _utf8 = Encoding.UTF8.GetBytes(json.Append("\n]}").ToString());
        _scenario = Read();
    }

    /// <summary>Reads and checks the scenario from its bytes.</summary>
    [Benchmark]
    public Scenario Read() => ScenarioReader.Parse(_utf8, "long.json", Unbounded);

    /// <summary>Replays the scenario to its end.</summary>
    [Benchmark]
    public SimulationResult Replay() => ScenarioSimulator.Run(_scenario);
}
