using System.Text.Json.Nodes;
using Supervision.Simulation.Checking;
using Xunit;

namespace Supervision.Engine.Tests.Cli;

/// <summary>
/// <c>simulate</c> and <c>explore --generated</c> campaigns: <c>--shard K/N</c> splits the seed range,
/// <c>--json</c> writes a summary, <c>merge</c> combines the shards' summaries and checks they make one campaign.
/// </summary>
public sealed class CampaignCommandTests : IDisposable
{
    private readonly CliRunner _cli = new();

    public void Dispose() => _cli.Dispose();

    private JsonObject Summary(string file) => JsonNode.Parse(File.ReadAllText(file))!.AsObject();

    [Fact]
    public void Every_run_belongs_to_exactly_one_shard()
    {
        // Checks: for ranges of 0..23 runs and 1..5 shards, each run is in exactly one shard, run i in shard
        // (i mod N)+1, and RunsOf counts the runs each shard contains.
        for (var count = 1; count <= 5; count++)
        {
            for (var runs = 0; runs < 24; runs++)
            {
                var shards = Enumerable.Range(1, count).Select(k => new CampaignShard(k, count)).ToList();
                var owners = shards.SelectMany(s => s.RunsIn(runs).Select(run => (Run: run, s.Index))).OrderBy(p => p.Run).ToList();
                Assert.Equal(Enumerable.Range(0, runs), owners.Select(p => p.Run));
                Assert.All(owners, p => Assert.Equal(p.Run % count + 1, p.Index));
                Assert.All(shards, s => Assert.Equal(s.RunsIn(runs).Count(), s.RunsOf(runs)));
            }
        }
    }

    [Theory]
    [InlineData("simulate")]
    [InlineData("explore")]
    public void Shards_merge_to_the_same_totals_as_the_whole_campaign(string command)
    {
        // Checks: three shards' --json summaries merge to the whole run's scenarios, counters, coverage and
        // failing seeds; the merged summary covers shards 1..3 and names the seed range.
        string[] Args(params string[] more) => command == "simulate"
            ? ["simulate", "--seed", "7", "--runs", "20", "--out", _cli.Path("failures"), .. more]
            : ["explore", "--generated", "--seed", "7", "--runs", "10", "--iterations", "3", "--no-shrink", "--out", _cli.Path("failures"), .. more];
        CliRunner.Run(Args("--json", _cli.Path("whole.json")));
        var parts = new List<string>();
        for (var k = 1; k <= 3; k++)
        {
            parts.Add(_cli.Path($"part{k}.json"));
            CliRunner.Run(Args("--shard", $"{k}/3", "--json", parts[^1]));
        }
        var (code, output, errors) = CliRunner.Run(["merge", .. parts, "--json", _cli.Path("merged.json")]);
        Assert.True(code is 0 or 1, errors);
        Assert.Equal("", errors);
        var whole = Summary(_cli.Path("whole.json"));
        var merged = Summary(_cli.Path("merged.json"));
        foreach (var field in new[] { "scenarios", "counters", "coverage", "seed", "runs", "command", "settings" })
        {
            Assert.True(JsonNode.DeepEquals(whole[field], merged[field]), $"{field}: {whole[field]} vs {merged[field]}");
        }
        Assert.Equal([1, 2, 3], merged["shards"]!.AsArray().Select(n => n!.GetValue<int>()));
        Assert.Equal(whole["failures"]!.AsArray().Select(f => f!["seed"]!.GetValue<ulong>()), merged["failures"]!.AsArray().Select(f => f!["seed"]!.GetValue<ulong>()));
        Assert.Contains("shard 1,2,3/3", output, StringComparison.Ordinal);
        Assert.Contains("seeds 7..", output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_shard_runs_only_its_own_seeds()
    {
        // Checks: shard 2/4 of 10 runs checks runs 1, 5 and 9 (3 scenarios) and says so in its summary.
        var (code, _, _) = CliRunner.Run("simulate", "--runs", "10", "--shard", "2/4", "--json", _cli.Path("s.json"), "--out", _cli.Path("f"));
        Assert.Equal(0, code);
        var summary = Summary(_cli.Path("s.json"));
        Assert.Equal(3, summary["scenarios"]!.GetValue<int>());
        Assert.Equal(3, summary["planned"]!.GetValue<int>());
        Assert.Equal(4, summary["shardCount"]!.GetValue<int>());
        Assert.Equal([2], summary["shards"]!.AsArray().Select(n => n!.GetValue<int>()));
        Assert.Equal(10, summary["runs"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("0/4")]
    [InlineData("5/4")]
    [InlineData("1/0")]
    [InlineData("-1/3")]
    [InlineData("2")]
    [InlineData("a/b")]
    public void A_bad_shard_is_exit_2_naming_the_option(string shard)
    {
        // Checks: simulate and explore --generated refuse the shard with exit 2, a message naming --shard, and nothing on stdout.
        foreach (var args in new[] { new[] { "simulate", "--shard", shard }, ["explore", "--generated", "--shard", shard] })
        {
            var (code, output, errors) = CliRunner.Run(args);
            Assert.Equal(2, code);
            Assert.Equal("", output);
            Assert.Contains("--shard", errors, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Json_to_stdout_moves_the_human_summary_to_stderr()
    {
        // Checks: --json - prints a parseable summary (format, seed range, shard) on stdout and the human one on stderr.
        var (code, output, errors) = CliRunner.Run("simulate", "--seed", "3", "--runs", "5", "--json", "-", "--out", _cli.Path("f"));
        Assert.Equal(0, code);
        var summary = JsonNode.Parse(output)!.AsObject();
        Assert.Equal("supervise-campaign/1", summary["format"]!.GetValue<string>());
        Assert.Equal(3UL, summary["seed"]!.GetValue<ulong>());
        Assert.Equal(7UL, summary["lastSeed"]!.GetValue<ulong>());
        Assert.Equal(5, summary["scenarios"]!.GetValue<int>());
        Assert.True(summary["rate"]!.GetValue<double>() > 0);
        Assert.Contains("5 scenarios of seeds 3..7", errors, StringComparison.Ordinal);
    }

    private string Shard(int k, int n, ulong seed = 1, string name = "")
    {
        var file = _cli.Path($"shard{k}of{n}-{seed}{name}.json");
        var (code, _, errors) = CliRunner.Run("simulate", "--seed", seed.ToString(System.Globalization.CultureInfo.InvariantCulture), "--runs", "6", "--shard", $"{k}/{n}", "--json", file, "--out", _cli.Path("f"));
        Assert.True(code == 0, errors);
        return file;
    }

    [Fact]
    public void Merge_refuses_summaries_of_different_campaigns()
    {
        // Checks: a different first seed, shard count or command is exit 2 naming both files and the difference.
        var (code, output, errors) = CliRunner.Run("merge", Shard(1, 2), Shard(2, 2, seed: 5));
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Contains("not shards of one campaign: seed 1 vs 5", errors, StringComparison.Ordinal);
        Assert.Equal(2, CliRunner.Run("merge", Shard(1, 2), Shard(2, 3)).Code);
        var explore = _cli.Path("explore.json");
        CliRunner.Run("explore", "--generated", "--runs", "6", "--iterations", "2", "--shard", "2/2", "--json", explore, "--no-shrink", "--out", _cli.Path("f"));
        Assert.Contains("command 'simulate' vs 'explore --generated'", CliRunner.Run("merge", Shard(1, 2), explore).Err, StringComparison.Ordinal);
    }

    [Fact]
    public void Merge_reports_missing_and_duplicate_shards_with_exit_2()
    {
        // Checks: shards 1 and 3 of 3 print the combined summary but report shard 2 missing (exit 2); a shard given
        // twice is reported as counted twice (exit 2); all shards once is exit 0.
        var (code, output, errors) = CliRunner.Run("merge", Shard(1, 3), Shard(3, 3));
        Assert.Equal(2, code);
        Assert.Contains("shard 1,3/3", output, StringComparison.Ordinal);
        Assert.Contains("shard 2 of 3 missing", errors, StringComparison.Ordinal);
        var duplicate = CliRunner.Run("merge", Shard(1, 2), Shard(2, 2), Shard(2, 2, name: "-again"));
        Assert.Equal(2, duplicate.Code);
        Assert.Contains("shard 2/2 appears twice", duplicate.Err, StringComparison.Ordinal);
        Assert.Equal(0, CliRunner.Run("merge", Shard(1, 2), Shard(2, 2)).Code);
    }

    [Fact]
    public void Merge_exits_1_and_lists_the_failures_of_any_shard()
    {
        // Checks: a shard summary with a failing seed makes the merge exit 1 and print that seed, its files and commands.
        var failing = Shard(2, 2);
        var summary = Summary(failing);
        summary["failures"] = new JsonArray(new JsonObject
        {
            ["seed"] = 4, ["check"] = "invariant", ["message"] = "root/a has two live incarnations",
            ["files"] = new JsonObject { ["scenario"] = "f/seed-4.json" }, ["commands"] = new JsonArray("supervise replay f/seed-4.json"),
        });
        File.WriteAllText(failing, summary.ToJsonString());
        var (code, output, _) = CliRunner.Run("merge", Shard(1, 2), failing);
        Assert.Equal(1, code);
        Assert.Contains("FAILED seed 4 [invariant]: root/a has two live incarnations", output, StringComparison.Ordinal);
        Assert.Contains("reproduce: supervise replay f/seed-4.json", output, StringComparison.Ordinal);
        Assert.Contains("1 failing seed", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Merge_refuses_files_that_are_not_summaries()
    {
        // Checks: a folder, a missing file, malformed JSON and a scenario file are each exit 2 with the file named.
        var notJson = _cli.Write("bad.json", "{ \"format\": ");
        var scenario = CliRunner.Example("chat.json");
        foreach (var (file, expected) in new[] { (_cli.Folder, "is a folder"), (_cli.Path("none.json"), "no such file"), (notJson, "not valid JSON"), (scenario, "not a campaign summary") })
        {
            var (code, output, errors) = CliRunner.Run("merge", file);
            Assert.Equal(2, code);
            Assert.Equal("", output);
            Assert.Contains(file, errors, StringComparison.Ordinal);
            Assert.Contains(expected, errors, StringComparison.Ordinal);
        }
    }
}
