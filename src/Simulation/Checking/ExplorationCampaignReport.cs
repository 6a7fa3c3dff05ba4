namespace Supervision.Simulation.Checking;

/// <summary>One generated scenario that failed under exploration, with everything needed to replay it.</summary>
/// <param name="Seed">The scenario's seed (also its strategy's seed).</param>
/// <param name="Check">The check that failed (invariant, trace, deadlock, leftover-work, runtime-error, crash).</param>
/// <param name="Message">What was wrong.</param>
/// <param name="Iteration">The failing interleaving's number in the scenario's exploration.</param>
/// <param name="Files">The files written: <c>scenario</c>, <c>choices</c>, and when shrinking made it smaller <c>shrunk</c> and <c>shrunk-choices</c>.</param>
/// <param name="Commands">The commands that replay it, the most direct first.</param>
/// <param name="Size">The scenario's size (steps + children).</param>
/// <param name="ShrunkSize">The shrunk scenario's size (the same when shrinking found nothing smaller).</param>
public sealed record ExplorationCampaignFailure(
    ulong Seed, string Check, string Message, int Iteration, IReadOnlyDictionary<string, string> Files, IReadOnlyList<string> Commands, int Size, int ShrunkSize)
{
    /// <inheritdoc />
    public override string ToString() =>
        $"seed {Seed}: [{Check}] {Message}\n" + string.Concat(Commands.Select(c => $"  {c}\n"));
}

/// <summary>What an exploration campaign did.</summary>
/// <param name="Scenarios">Scenarios explored.</param>
/// <param name="Total">Scenarios the campaign (its shard) was to explore.</param>
/// <param name="Interleavings">Runs through the runtime, all scenarios together.</param>
/// <param name="DistinctSchedules">Distinct schedules, summed over scenarios.</param>
/// <param name="Elapsed">Wall time taken (shrinking included).</param>
/// <param name="Coverage">What the scenarios exercised (as <c>simulate</c> counts it), plus exploration counts.</param>
/// <param name="Failures">Failing scenarios, in seed order.</param>
public sealed record ExplorationCampaignReport(
    int Scenarios, int Total, long Interleavings, long DistinctSchedules, TimeSpan Elapsed, IReadOnlyDictionary<string, int> Coverage, IReadOnlyList<ExplorationCampaignFailure> Failures)
{
    /// <summary>Scenarios per second.</summary>
    public double ScenariosPerSecond => Scenarios / Math.Max(Elapsed.TotalSeconds, 1e-9);

    /// <summary>Interleavings per second.</summary>
    public double InterleavingsPerSecond => Interleavings / Math.Max(Elapsed.TotalSeconds, 1e-9);
}
