using Supervision.Simulation.Replay;
using Supervision.Simulation.Scenarios;
using Xunit;

namespace Supervision.Engine.Tests.Golden;

/// <summary>
/// Replays every scenario that has a hand-written expected trace beside it (tests/Engine.Tests/Scenarios
/// and examples/) and requires the printed trace to equal it, '#' lines aside. The expected traces were
/// written from docs/OTP-SEMANTICS.md and docs/TRACE-RULES.md, never from the program's output.
/// </summary>
public sealed class GoldenTraceTests
{
    public static TheoryData<string> Scenarios() => new(ScenarioFiles());

    /// <summary>Every bundled scenario with an expected trace, relative to the test binaries.</summary>
    private static List<string> ScenarioFiles()
    {
        var files = new List<string>();
        foreach (var folder in new[] { "Scenarios", "examples" })
        {
            var root = Path.Combine(AppContext.BaseDirectory, folder);
            if (!Directory.Exists(root))
            {
                continue;
            }
            foreach (var file in Directory.EnumerateFiles(root, "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                if (File.Exists(Path.ChangeExtension(file, ".trace")))
                {
                    files.Add(Path.GetRelativePath(AppContext.BaseDirectory, file));
                }
            }
        }
        return files;
    }

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void Replay_prints_the_trace_written_from_the_spec(string scenarioFile)
    {
        // Checks: the engine-backed replay of the scenario equals its hand-written trace, line for line.
        var path = Path.Combine(AppContext.BaseDirectory, scenarioFile);
        var expected = TraceComparison.Significant(File.ReadAllLines(Path.ChangeExtension(path, ".trace")));
        var result = ScenarioSimulator.Run(ScenarioReader.Load(path));
        var actual = TraceComparison.Significant(result.Lines.Select(line => line.ToString()));
        var difference = TraceComparison.Describe(expected, actual);
        Assert.True(difference is null, $"{scenarioFile}\n{difference}");
    }

    [Fact]
    public void Every_section_13_example_and_every_bundled_example_has_an_expected_trace()
    {
        // Checks: the golden corpus is really there (a missing copy step would make the theory vacuous).
        var files = ScenarioFiles();
        Assert.Contains(files, file => file.Contains("otp13", StringComparison.Ordinal));
        Assert.Contains(files, file => file.StartsWith("examples", StringComparison.Ordinal));
        Assert.True(files.Count >= 30, $"only {files.Count} golden scenarios found");
    }
}

/// <summary>Trace comparison as docs/SCENARIO-FORMAT.md defines it: '#' lines removed, then line for line.</summary>
internal static class TraceComparison
{
    public static List<string> Significant(IEnumerable<string> lines) =>
        lines.Select(line => line.TrimEnd()).Where(line => line.Length > 0 && !line.StartsWith('#')).ToList();

    /// <summary>Null when equal; otherwise the first differing line and both traces.</summary>
    public static string? Describe(IReadOnlyList<string> expected, IReadOnlyList<string> actual)
    {
        var count = Math.Max(expected.Count, actual.Count);
        for (var i = 0; i < count; i++)
        {
            var want = i < expected.Count ? expected[i] : "<end of trace>";
            var got = i < actual.Count ? actual[i] : "<end of trace>";
            if (want != got)
            {
                return $"first difference at line {i + 1}:\n  expected: {want}\n  actual:   {got}\n--- expected ---\n{string.Join('\n', expected)}\n--- actual ---\n{string.Join('\n', actual)}";
            }
        }
        return null;
    }
}
