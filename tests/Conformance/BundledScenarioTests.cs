using Xunit;

namespace Supervision.Conformance.Tests;

/// <summary>
/// Every bundled scenario (examples/, the OTP-SEMANTICS section 13 scenarios and the rule scenarios of
/// tests/Engine.Tests, conformance/scenarios/, and any folder in SUPERVISE_CONFORMANCE_FOLDERS) is run on a
/// real OTP 25 node and through <c>supervise replay</c>; the traces must be equal, reports compared by kind and subjects (TraceDiff).
/// </summary>
public sealed class BundledScenarioTests
{
    private static readonly string[] DefaultFolders =
    [
        "examples",
        "tests/Engine.Tests/Scenarios/otp13",
        "tests/Engine.Tests/Scenarios/rules",
        "conformance/scenarios",
    ];

    private static IEnumerable<string> Folders()
    {
        var extra = Environment.GetEnvironmentVariable(ConformanceEnvironment.FoldersVariable) ?? "";
        return DefaultFolders
            .Concat(extra.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Select(folder => Path.GetFullPath(folder, ConformanceEnvironment.RepoRoot))
            .Distinct(StringComparer.Ordinal);
    }

    /// <summary>The scenario files of one folder (not its subfolders: conformance/scenarios/divergent is kept apart).</summary>
    private static List<string> FilesIn(string folder) =>
        Directory.Exists(folder)
            ? Directory.EnumerateFiles(folder, "*.json").Order(StringComparer.Ordinal).ToList()
            : [];

    public static TheoryData<string> Scenarios()
    {
        var data = new TheoryData<string>();
        foreach (var folder in Folders())
        {
            foreach (var file in FilesIn(folder))
            {
                data.Add(Path.GetRelativePath(ConformanceEnvironment.RepoRoot, file));
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Scenarios))]
    public async Task Trace_equals_the_trace_of_a_real_OTP_node(string scenario)
    {
        // Checks: the CLI's trace for a bundled scenario equals what real OTP supervisors do ('#' lines aside).
        var file = Path.GetFullPath(scenario, ConformanceEnvironment.RepoRoot);
        var folder = Path.GetDirectoryName(file)!;
        await ConformanceCheck.AssertMatchesOtpAsync(file, "folder:" + folder, FilesIn(folder));
    }

    [Fact]
    public void The_bundled_corpus_is_there()
    {
        // Checks: the folders really hold scenarios (a moved folder would otherwise make the theory vacuous).
        var files = Scenarios().Select(row => row.Data).ToList();
        Assert.True(files.Count(file => file.StartsWith("conformance", StringComparison.Ordinal)) >= 30,
            "conformance/scenarios should hold at least 30 scenarios");
        Assert.Contains(files, file => file.Contains("otp13", StringComparison.Ordinal));
    }
}
