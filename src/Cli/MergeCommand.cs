using System.CommandLine;
using System.Globalization;

namespace Supervision.Cli;

/// <summary>
/// <c>supervise merge A.json B.json ...</c>: combines the <c>--json</c> summaries of the shards of one campaign
/// (sums, union of failures), checks they belong together and that no shard is missing or counted twice,
/// prints the combined summary, and exits 1 if any shard failed, 2 if the shards do not make one whole
/// campaign, 0 otherwise.
/// </summary>
internal static class MergeCommand
{
    public static Command Create(CliConsole console)
    {
        var files = new Argument<string[]>("files") { Description = "The shards' summary files (written with --json FILE).", Arity = ArgumentArity.OneOrMore };
        var json = new Option<string?>("--json") { Description = "Also write the combined summary as JSON to FILE ('-': to stdout instead of the human summary).", HelpName = "FILE" };
        var command = new Command("merge", "Combine the --json summaries of the shards of one simulate or explore --generated campaign.") { files, json };
        command.SetAction(result => Run(result.GetValue(files)!, result.GetValue(json), console));
        return command;
    }

    private static int Run(string[] files, string? json, CliConsole console)
    {
        var summaries = new List<(string File, CampaignSummary Summary)>();
        foreach (var file in files)
        {
            if (!ReplayCommand.CheckReadable(file, "a summary file (--json)", console))
            {
                return Program.BadInput;
            }
            try
            {
                summaries.Add((file, SummaryJson.Read(File.ReadAllText(file), file)));
            }
            catch (SummaryFormatException error)
            {
                console.Error(error.Message);
                return Program.BadInput;
            }
            catch (Exception error) when (error is IOException or UnauthorizedAccessException)
            {
                console.Error($"{file}: {error.Message}");
                return Program.BadInput;
            }
        }
        if (Disagreement(summaries) is { } problem)
        {
            console.Error(problem);
            return Program.BadInput;
        }
        var merged = Merge(summaries.Select(s => s.Summary).ToList());
        var shardProblems = ShardProblems(summaries);
        var code = SummaryOutput.Emit(merged, console, json);
        foreach (var shardProblem in shardProblems)
        {
            console.Error(shardProblem);
        }
        return code == Program.Success && shardProblems.Count > 0 ? Program.BadInput : code;
    }

    /// <summary>Why the summaries are not shards of one campaign, or null.</summary>
    internal static string? Disagreement(IReadOnlyList<(string File, CampaignSummary Summary)> summaries)
    {
        var (firstFile, first) = summaries[0];
        foreach (var (file, other) in summaries.Skip(1))
        {
            string? field = first.Command != other.Command ? $"command '{first.Command}' vs '{other.Command}'"
                : first.Seed != other.Seed ? $"seed {first.Seed} vs {other.Seed}"
                : first.Runs != other.Runs ? $"runs {first.Runs} vs {other.Runs}"
                : first.ShardCount != other.ShardCount ? $"shard count {first.ShardCount} vs {other.ShardCount}"
                : !Same(first.Settings, other.Settings) ? $"settings ({Settings(first)}) vs ({Settings(other)})"
                : null;
            if (field is not null)
            {
                return $"merge: {firstFile} and {file} are not shards of one campaign: {field}";
            }
        }
        return null;
    }

    /// <summary>Shards missing from the set, or present more than once.</summary>
    internal static List<string> ShardProblems(IReadOnlyList<(string File, CampaignSummary Summary)> summaries)
    {
        var count = summaries[0].Summary.ShardCount;
        var seen = new Dictionary<int, string>();
        var problems = new List<string>();
        foreach (var (file, summary) in summaries)
        {
            foreach (var shard in summary.Shards)
            {
                if (!seen.TryAdd(shard, file))
                {
                    problems.Add(string.Create(CultureInfo.InvariantCulture, $"merge: shard {shard}/{count} appears twice ({seen[shard]} and {file}); its counts were added twice"));
                }
            }
        }
        var missing = Enumerable.Range(1, count).Where(k => !seen.ContainsKey(k)).ToList();
        if (missing.Count > 0)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture,
                $"merge: incomplete campaign: shard{(missing.Count == 1 ? "" : "s")} {string.Join(", ", missing)} of {count} missing"));
        }
        return problems;
    }

    internal static CampaignSummary Merge(IReadOnlyList<CampaignSummary> summaries)
    {
        var first = summaries[0];
        return first with
        {
            Shards = [.. summaries.SelectMany(s => s.Shards).Order()],
            Scenarios = summaries.Sum(s => s.Scenarios),
            Planned = summaries.Sum(s => s.Planned),
            Counters = Sum(summaries.Select(s => s.Counters)),
            Coverage = Sum(summaries.Select(s => s.Coverage)),
            Failures = [.. summaries.SelectMany(s => s.Failures).OrderBy(f => f.Seed)],
            ElapsedSeconds = summaries.Max(s => s.ElapsedSeconds),
            BusySeconds = summaries.Sum(s => s.BusySeconds),
        };
    }

    private static SortedDictionary<string, long> Sum(IEnumerable<IReadOnlyDictionary<string, long>> maps)
    {
        var total = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var (key, value) in maps.SelectMany(m => m))
        {
            total[key] = total.TryGetValue(key, out var n) ? n + value : value;
        }
        return total;
    }

    private static bool Same(IReadOnlyDictionary<string, string> a, IReadOnlyDictionary<string, string> b) =>
        a.Count == b.Count && a.All(p => b.TryGetValue(p.Key, out var v) && v == p.Value);

    private static string Settings(CampaignSummary summary) => string.Join(", ", summary.Settings.Select(p => $"{p.Key} {p.Value}"));
}
