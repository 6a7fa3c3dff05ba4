using Supervision.Simulation.Replay;
using Supervision.Simulation.RuntimeReplay;
using Supervision.Simulation.Scenarios;
using Xunit;

namespace Supervision.Runtime.Tests;

/// <summary>
/// The real runtime, on a deterministic scheduler and virtual time, must print the engine-only trace for
/// every bundled example and every scenario of the engine's golden corpus.
/// </summary>
public sealed class RuntimeReplayTests
{
    public static TheoryData<string> Scenarios()
    {
        var data = new TheoryData<string>();
        foreach (var folder in new[] { "Scenarios", "examples" })
        {
            var root = Path.Combine(AppContext.BaseDirectory, folder);
            foreach (var file in Directory.EnumerateFiles(root, "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                data.Add(Path.GetRelativePath(AppContext.BaseDirectory, file));
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void The_runtime_prints_the_engine_trace(string scenarioFile)
    {
        // Checks: RuntimeScenarioRunner's trace equals ScenarioSimulator's, line for line, reports included.
        var scenario = ScenarioReader.Load(Path.Combine(AppContext.BaseDirectory, scenarioFile));
        var engine = ScenarioSimulator.Run(scenario).TraceText();
        var runtime = RuntimeScenarioRunner.Run(scenario).TraceText();
        Assert.Equal(engine, runtime);
    }

    [Fact]
    public void The_corpus_is_there()
    {
        // Checks: the theory is not vacuous: the examples and the golden scenarios were copied.
        Assert.True(Scenarios().Count >= 90);
    }
}
