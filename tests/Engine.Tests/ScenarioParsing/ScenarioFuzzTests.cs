using System.Globalization;
using System.Text.RegularExpressions;
using Supervision.Simulation.Replay;
using Supervision.Simulation.RuntimeReplay;
using Supervision.Simulation.Scenarios;
using Xunit;

namespace Supervision.Engine.Tests.ScenarioParsing;

/// <summary>
/// Thousands of mutated versions of the bundled examples and test scenarios: each must either be read, or be
/// refused with one short <c>file:line:column: message</c> line; one that is read must replay (through the
/// engine, and for some through the runtime) or stop at a limit. Never another exception.
/// SUPERVISE_FUZZ_SEED=&lt;n&gt; picks the first seed, SUPERVISE_FUZZ_COUNT=&lt;n&gt; how many files.
/// </summary>
public sealed partial class ScenarioFuzzTests(ITestOutputHelper output)
{
    private const int DefaultSeed = 20_250_000;
    private const int DefaultCount = 3000;

    /// <summary>Small limits, so that a mutation that makes a long run ends soon.</summary>
    private static readonly ScenarioLimits Limits = new() { MaxEngineEvents = 20_000, MaxTraceLength = 200_000 };

    private static int Setting(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : fallback;

    [Fact]
    public void Mutated_scenarios_are_read_or_refused_with_a_position_and_never_crash()
    {
        var first = Setting("SUPERVISE_FUZZ_SEED", DefaultSeed);
        var count = Setting("SUPERVISE_FUZZ_COUNT", DefaultCount);
        output.WriteLine($"seeds {first} to {first + count - 1} (SUPERVISE_FUZZ_SEED=<n> SUPERVISE_FUZZ_COUNT=<n> for others)");
        var sources = Directory.EnumerateFiles(Path.Combine(AppContext.BaseDirectory, "examples"), "*.json")
            .Concat(Directory.EnumerateFiles(Path.Combine(AppContext.BaseDirectory, "Scenarios"), "*.json", SearchOption.AllDirectories))
            .Order(StringComparer.Ordinal)
            .Select(File.ReadAllText)
            .ToArray();
        var (read, refused) = (0, 0);
        for (var seed = first; seed < first + count; seed++)
        {
            var text = new ScenarioMutator(seed).Mutate(sources[seed % sources.Length]);
            var problem = Check(text, seed, ref read, ref refused);
            Assert.True(problem is null,
                $"seed {seed}: {problem}\nreplay: SUPERVISE_FUZZ_SEED={seed} SUPERVISE_FUZZ_COUNT=1 dotnet test tests/Engine.Tests --filter FullyQualifiedName~ScenarioFuzzTests\n--- the file ---\n{text}");
        }
        output.WriteLine($"{read} read, {refused} refused");
        // A mutator that only ever broke the files (or never did) would test one side only.
        Assert.True(read > count / 20 && refused > count / 2, $"{read} read, {refused} refused");
    }

    /// <summary>Null when the file behaves; otherwise what went wrong.</summary>
    private static string? Check(string text, int seed, ref int read, ref int refused)
    {
        var name = string.Create(CultureInfo.InvariantCulture, $"fuzz-{seed}.json");
        Scenario scenario;
        try
        {
            scenario = ScenarioReader.Parse(text, name, Limits);
        }
        catch (ScenarioFormatException error)
        {
            refused++;
            return DiagnosticLine().IsMatch(error.Message) && error.Message.StartsWith(name + ":", StringComparison.Ordinal) && error.Message.Length < 600
                ? null
                : $"the message is not one short file:line:column line: {error.Message}";
        }
        catch (Exception error)
        {
            return $"the reader threw {error}";
        }
        read++;
        try
        {
            ScenarioSimulator.Run(scenario);
            if (seed % 10 == 0)
            {
                RuntimeScenarioRunner.Run(scenario);
            }
            return null;
        }
        catch (ScenarioLimitExceededException)
        {
            return null;
        }
        catch (Exception error)
        {
            return $"the replay threw {error}";
        }
    }

    [GeneratedRegex(@"^fuzz-\d+\.json:\d+:\d+: [^\n\r\u2028\u2029]+$")]
    private static partial Regex DiagnosticLine();
}
