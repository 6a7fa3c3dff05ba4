using System.Collections.Concurrent;
using System.Globalization;

namespace Supervision.Conformance.Tests;

/// <summary>What conformance/run-otp.sh produced for one scenario.</summary>
/// <param name="ExitCode">0 ok, 2 invalid scenario, 3 timing violation, 4 driver error or deadlock.</param>
internal sealed record OtpOutcome(int ExitCode, string Trace, string Diagnostic, long RealMs)
{
    public const int Ok = 0;
    public const int Invalid = 2;
    public const int Timing = 3;
    public const int DriverError = 4;
}

/// <summary>
/// Runs scenarios on the real OTP node through conformance/run-otp.sh. A set of files runs as one batch
/// (one Erlang node per shard, shards in parallel) the first time any of its tests asks, and is cached.
/// </summary>
internal static class OtpDriver
{
    private static readonly TimeSpan BatchLimit = TimeSpan.FromMinutes(30);
    private static readonly ConcurrentDictionary<string, Lazy<Task<IReadOnlyDictionary<string, OtpOutcome>>>> Batches = new();

    /// <summary>The outcome for <paramref name="file"/>, running its whole batch once if needed.</summary>
    public static async Task<OtpOutcome> GetAsync(string batchKey, IReadOnlyList<string> batchFiles, string file)
    {
        var batch = await Batches.GetOrAdd(
            batchKey,
            _ => new Lazy<Task<IReadOnlyDictionary<string, OtpOutcome>>>(() => RunBatchAsync(batchFiles))).Value;
        var outcome = batch[Path.GetFullPath(file)];
        if (outcome.ExitCode == OtpOutcome.Timing)
        {
            // An OTP shutdown timer fired before the virtual clock reached it (real-time jitter): run this
            // one again, alone, with virtual time paced slower.
            outcome = await RunOneAsync(file, scale: 5);
        }
        return outcome;
    }

    /// <summary>Runs one scenario on its own node.</summary>
    public static async Task<OtpOutcome> RunOneAsync(string file, int scale)
    {
        var results = await RunShardAsync([Path.GetFullPath(file)], scale);
        return results[Path.GetFullPath(file)];
    }

    private static async Task<IReadOnlyDictionary<string, OtpOutcome>> RunBatchAsync(IReadOnlyList<string> files)
    {
        var shards = Shard(files.Select(Path.GetFullPath).Distinct(StringComparer.Ordinal).ToList());
        var parts = await Task.WhenAll(shards.Select(shard => RunShardAsync(shard, scale: 1)));
        return parts.SelectMany(part => part).ToDictionary(pair => pair.Key, pair => pair.Value, StringComparer.Ordinal);
    }

    /// <summary>Splits the files over the processors; names must be unique within a shard (the driver writes NAME.trace).</summary>
    private static List<List<string>> Shard(List<string> files)
    {
        var count = Math.Max(1, Math.Min(Environment.ProcessorCount, (files.Count + 9) / 10));
        var shards = Enumerable.Range(0, count).Select(_ => new List<string>()).ToList();
        var names = Enumerable.Range(0, count).Select(_ => new HashSet<string>(StringComparer.Ordinal)).ToList();
        var next = 0;
        foreach (var file in files)
        {
            var name = Path.GetFileNameWithoutExtension(file);
            var index = Enumerable.Range(0, shards.Count).Select(i => (next + i) % shards.Count).FirstOrDefault(i => !names[i].Contains(name), -1);
            if (index < 0)
            {
                shards.Add([]);
                names.Add([]);
                index = shards.Count - 1;
            }
            shards[index].Add(file);
            names[index].Add(name);
            next = (index + 1) % count;
        }
        return shards.Where(shard => shard.Count > 0).ToList();
    }

    private static async Task<Dictionary<string, OtpOutcome>> RunShardAsync(IReadOnlyList<string> files, int scale)
    {
        var outDir = Path.Combine(Path.GetTempPath(), "supervise-conformance-otp", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(outDir);
        try
        {
            var environment = new Dictionary<string, string> { ["SCONF_SCALE"] = scale.ToString(CultureInfo.InvariantCulture) };
            var result = await ProcessRunner.RunAsync(
                "bash", [ConformanceEnvironment.OtpScript, "--out", outDir, .. files], environment, BatchLimit, CancellationToken.None);
            if (result.ExitCode != 0)
            {
                throw new InvalidOperationException(
                    $"conformance/run-otp.sh failed with exit code {result.ExitCode}:\n{result.StandardError}");
            }
            var outcomes = new Dictionary<string, OtpOutcome>(StringComparer.Ordinal);
            foreach (var file in files)
            {
                var name = Path.GetFileNameWithoutExtension(file);
                var statusFile = Path.Combine(outDir, name + ".status");
                if (!File.Exists(statusFile))
                {
                    throw new InvalidOperationException($"run-otp.sh wrote no status for {file}:\n{result.StandardError}");
                }
                var status = File.ReadAllText(statusFile).Split(' ', 3);
                outcomes[file] = new OtpOutcome(
                    int.Parse(status[0], CultureInfo.InvariantCulture),
                    File.ReadAllText(Path.Combine(outDir, name + ".trace")),
                    status.Length > 2 ? status[2].Trim() : "",
                    long.Parse(status[1], CultureInfo.InvariantCulture));
            }
            return outcomes;
        }
        finally
        {
            Directory.Delete(outDir, recursive: true);
        }
    }
}
