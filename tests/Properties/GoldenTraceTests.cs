using Supervision.Simulation.Invariants;
using Supervision.Simulation.Scenarios;
using Xunit;

namespace Supervision.Properties.Tests;

/// <summary>
/// The checker against the golden traces of tests/Engine.Tests/Scenarios, which were written by hand from
/// docs/OTP-SEMANTICS.md and a real OTP node: a checker that objected to any of them would be wrong, not the trace.
/// </summary>
public sealed class GoldenTraceTests
{
    public static TheoryData<string> GoldenFiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Golden"), "*.trace", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetRelativePath(AppContext.BaseDirectory, file));
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(GoldenFiles))]
    public void TheCheckerAcceptsTheGoldenTrace(string traceFile)
    {
        var tracePath = Path.Combine(AppContext.BaseDirectory, traceFile);
        var scenario = ScenarioReader.Load(Path.ChangeExtension(tracePath, ".json"));
        // Hand-written traces may leave report lines out.
        var violations = TraceInvariantChecker.Check(scenario, CheckerExamples.ParseTrace(File.ReadAllText(tracePath)), reportsComplete: false);
        Assert.True(violations.Count == 0, string.Join("\n", violations));
    }

    [Fact]
    public void ThereAreGoldenTraces() => Assert.True(GoldenFiles().Count > 50);
}
