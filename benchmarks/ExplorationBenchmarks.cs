using BenchmarkDotNet.Attributes;
using Supervision.Simulation.Exploration;
using Supervision.Simulation.Scenarios;

namespace Supervision.Benchmarks;

/// <summary>
/// The controlled scheduler's exploration rate: one interleaving of a three-child scenario run through the
/// real runtime and checked (the engine's trace compared, no escape, no leftover work). 1 s divided by the
/// mean is interleavings per second (issue target: at least 5,000).
/// </summary>
[MemoryDiagnoser]
public class ExplorationBenchmarks
{
    private const string ThreeChildren = """
        { "name": "three children, one crash", "tree": { "id": "root", "strategy": "one_for_one", "intensity": 5,
          "children": [ { "id": "a" }, { "id": "b" }, { "id": "c" } ] },
          "steps": [ { "at": 100, "exit": "root/b", "reason": "boom" } ] }
        """;

    private const string Race = """
        { "name": "terminate_child racing the child's own exit", "tree": { "id": "root", "strategy": "one_for_one", "intensity": 5,
          "children": [ { "id": "a" }, { "id": "b", "shutdown": 1000 }, { "id": "c" } ] },
          "steps": [ { "at": 100, "exit": "root/b", "reason": "boom" },
                     { "at": 100, "call": "terminate_child", "sup": "root", "child": "b" } ] }
        """;

    private Scenario _sequential = null!;
    private Scenario _race = null!;
    private PctStrategy _pct = null!;
    private int _iteration;

    /// <summary>Parses the scenarios once.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _sequential = ScenarioReader.Parse(ThreeChildren, "three.json");
        _race = ScenarioReader.Parse(Race, "race.json");
        _pct = new PctStrategy(1, 3);
    }

    /// <summary>One PCT interleaving of the three-child scenario, checked against the engine's trace.</summary>
    [Benchmark]
    public int ThreeChildScenario() => Explorer.Explore(_sequential, Next(), 1).Iterations;

    /// <summary>One PCT interleaving of the three-child race (same-instant steps applied concurrently).</summary>
    [Benchmark]
    public int ThreeChildRace() => Explorer.Explore(_race, Next(), 1, race: true).Iterations;

    private SchedulingStrategy Next() => new OffsetStrategy(_pct, _iteration++);

    /// <summary>Runs iteration <c>offset</c> of the wrapped strategy, so each benchmark call explores a new interleaving.</summary>
    private sealed class OffsetStrategy(SchedulingStrategy inner, int offset) : SchedulingStrategy
    {
        public override string Name => inner.Name;

        public override bool BeginIteration(int iteration) => inner.BeginIteration(iteration + offset);

        public override int Choose(int readyCount, IReadOnlyList<string> owners) => inner.Choose(readyCount, owners);

        public override void EndIteration(int steps) => inner.EndIteration(steps);
    }
}
