namespace Supervision.Simulation.Checking;

/// <summary>How far a campaign is, for progress bars.</summary>
/// <param name="Done">Scenarios checked so far.</param>
/// <param name="Total">Scenarios this campaign (or shard) will check.</param>
/// <param name="Failures">Failing scenarios so far.</param>
public readonly record struct CampaignProgress(int Done, int Total, int Failures);
