using System.Globalization;
using Xunit;

namespace Supervision.Conformance.Tests;

/// <summary>
/// Generated scenarios (ScenarioGenerator), from a seed that changes per CI run and is printed in every
/// test name ("seed 123456 #042"), run on a real OTP node and through <c>supervise replay</c>.
/// Reproduce one with SUPERVISE_CONFORMANCE_SEED=&lt;seed&gt;; the files are kept in
/// $TMPDIR/supervise-conformance-generated/seed-&lt;seed&gt;/.
/// </summary>
public sealed class GeneratedScenarioTests
{
    /// <summary>Overrides the seed (otherwise GITHUB_RUN_ID, CI_PIPELINE_ID or BUILD_BUILDID, else the UTC day).</summary>
    public const string SeedVariable = "SUPERVISE_CONFORMANCE_SEED";

    /// <summary>How many scenarios to generate (default 300).</summary>
    public const string CountVariable = "SUPERVISE_CONFORMANCE_COUNT";

    private const int DefaultCount = 300;

    public static int Seed()
    {
        foreach (var name in new[] { SeedVariable, "GITHUB_RUN_ID", "CI_PIPELINE_ID", "BUILD_BUILDID" })
        {
            if (long.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
            {
                return (int)(value % int.MaxValue);
            }
        }
        return (int)(DateTime.UtcNow - DateTime.UnixEpoch).TotalDays;
    }

    public static int Count() =>
        int.TryParse(Environment.GetEnvironmentVariable(CountVariable), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : DefaultCount;

    public static TheoryData<string> Cases()
    {
        var seed = Seed();
        var data = new TheoryData<string>();
        for (var i = 0; i < Count(); i++)
        {
            data.Add(Label(seed, i));
        }
        return data;
    }

    private static string Label(int seed, int index) => $"seed {seed} #{index:D3}";

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Generated_scenario_trace_equals_the_trace_of_a_real_OTP_node(string label)
    {
        // Checks: for a scenario generated from (seed, index), the CLI and real OTP print the same trace.
        var parts = label.Split(' ');
        var seed = int.Parse(parts[1], CultureInfo.InvariantCulture);
        var index = int.Parse(parts[2].TrimStart('#'), CultureInfo.InvariantCulture);
        var files = GeneratedCorpus.Files(seed, Math.Max(Count(), index + 1));
        TestContext.Current.TestOutputHelper?.WriteLine($"{label}: {files[index]} (reproduce: {SeedVariable}={seed})");
        await ConformanceCheck.AssertMatchesOtpAsync(files[index], $"generated:{seed}:{files.Count}", files);
    }

    [Fact]
    public void Generation_is_deterministic_and_valid_json()
    {
        // Checks: the same (seed, index) gives the same text, and it parses as a scenario-shaped object.
        var seed = Seed();
        for (var i = 0; i < 20; i++)
        {
            var text = ScenarioGenerator.Generate(seed, i);
            Assert.Equal(text, ScenarioGenerator.Generate(seed, i));
            var node = System.Text.Json.Nodes.JsonNode.Parse(text)!;
            Assert.NotNull(node["tree"]);
            Assert.NotNull(node["steps"]);
        }
    }
}

/// <summary>Writes the generated scenarios of a seed to disk once per test run.</summary>
internal static class GeneratedCorpus
{
    private static readonly Lock Gate = new();
    private static readonly Dictionary<(int Seed, int Count), List<string>> Written = [];

    public static List<string> Files(int seed, int count)
    {
        lock (Gate)
        {
            if (Written.TryGetValue((seed, count), out var files))
            {
                return files;
            }
            var dir = Path.Combine(Path.GetTempPath(), "supervise-conformance-generated", $"seed-{seed}");
            Directory.CreateDirectory(dir);
            files = [];
            for (var i = 0; i < count; i++)
            {
                var file = Path.Combine(dir, $"gen-{seed}-{i:D3}.json");
                File.WriteAllText(file, ScenarioGenerator.Generate(seed, i));
                files.Add(file);
            }
            Written[(seed, count)] = files;
            return files;
        }
    }
}
