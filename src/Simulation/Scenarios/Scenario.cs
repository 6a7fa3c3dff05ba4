using Supervision.Engine;

namespace Supervision.Simulation.Scenarios;

/// <summary>
/// A scenario file, fully read and checked: the supervision tree as engine specs plus the timed steps.
/// Immutable. Built only by <see cref="ScenarioReader"/>, which either returns a whole scenario or throws.
/// </summary>
/// <param name="Name">The scenario's <c>name</c>, or null when the file gives none.</param>
/// <param name="Tree">The root supervisor's flags and children. Supervisor children carry their own nested spec in <see cref="ChildSpec.Supervisor"/>.</param>
/// <param name="RootId">The root's id: the first segment of every path.</param>
/// <param name="Steps">The steps in file order; their <see cref="ScenarioStep.At"/> never decreases.</param>
/// <param name="SourceFile">The file name the scenario was read from, as given to the reader.</param>
public sealed record Scenario(
    string? Name,
    SupervisorSpec Tree,
    string RootId,
    IReadOnlyList<ScenarioStep> Steps,
    string SourceFile)
{
    /// <summary>The limits the scenario was read with; its replays are held to them too.</summary>
    public ScenarioLimits Limits { get; init; } = ScenarioLimits.Default;
}
