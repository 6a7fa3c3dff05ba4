using System.Diagnostics;

namespace Supervision.Simulation.Checking;

/// <summary>
/// A <see cref="SimulationCampaign"/> over one shard of its seed range (<see cref="CampaignShard"/>: run
/// <c>i</c>, seed <c>Seed + i</c>, belongs to shard <c>(i mod N) + 1</c>), with progress that counts failures.
/// Each seed is checked exactly as the campaign checks it; the first failure of each invariant is shrunk.
/// </summary>
public static class ShardedSimulation
{
    /// <summary>Runs shard <paramref name="shard"/> of the campaign <paramref name="options"/> describes.</summary>
    /// <param name="options">The whole campaign (its <see cref="SimulationOptions.Progress"/> is not used).</param>
    /// <param name="shard">The shard to run.</param>
    /// <param name="progress">Called after each seed.</param>
    public static SimulationReport Run(SimulationOptions options, CampaignShard shard, Action<CampaignProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Runs < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Runs, "Runs must be at least 1");
        }
        var total = shard.RunsOf(options.Runs);
        var coverage = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var failures = new List<SimulationFailure>();
        var shrunkInvariants = new HashSet<string>(StringComparer.Ordinal);
        long events = 0;
        var done = 0;
        // Wall time only for the report's rates.
        var clock = Stopwatch.StartNew();
        foreach (var run in shard.RunsIn(options.Runs))
        {
            var one = options with { Seed = unchecked(options.Seed + (ulong)run), Runs = 1, Progress = null, Shrink = false, StopAtFirstFailure = false };
            var report = SimulationCampaign.Run(one);
            if (report.Failures.Count > 0 && options.Shrink && shrunkInvariants.Add(report.Failures[0].Invariant))
            {
                // Same seed again, shrinking this time: the first failure of each invariant gets a minimal scenario.
                report = SimulationCampaign.Run(one with { Shrink = true });
            }
            done++;
            events += report.EngineEvents;
            foreach (var (what, count) in report.Coverage)
            {
                coverage[what] = coverage.TryGetValue(what, out var n) ? n + count : count;
            }
            failures.AddRange(report.Failures);
            progress?.Invoke(new CampaignProgress(done, total, failures.Count));
            if (report.Failures.Count > 0 && options.StopAtFirstFailure)
            {
                break;
            }
        }
        return new SimulationReport(done, events, clock.Elapsed, coverage, failures);
    }
}
