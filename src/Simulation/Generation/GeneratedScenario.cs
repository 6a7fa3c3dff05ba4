namespace Supervision.Simulation.Generation;

/// <summary>One generated scenario: its seed and its scenario-file text.</summary>
/// <param name="Seed">The seed it was generated from; the same seed and options give the same text.</param>
/// <param name="Json">The scenario in the scenario-file format, ready to be written to a file and replayed.</param>
/// <param name="Faults">The fault kinds the seed enabled (swarm testing).</param>
public sealed record GeneratedScenario(ulong Seed, string Json, FaultKinds Faults);
