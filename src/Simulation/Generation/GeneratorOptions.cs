namespace Supervision.Simulation.Generation;

/// <summary>Bounds for <see cref="ScenarioGenerator"/>. The defaults give small trees and short schedules, which find most bugs fastest.</summary>
public sealed record GeneratorOptions
{
    /// <summary>The default options.</summary>
    public static GeneratorOptions Default { get; } = new();

    /// <summary>The deepest tree, counting the root as depth 1 (1 to 3). Each seed draws its own depth up to this.</summary>
    public int MaxDepth { get; init; } = 3;

    /// <summary>The most children a static supervisor is given in the tree (1 to 6).</summary>
    public int MaxChildren { get; init; } = 6;

    /// <summary>The most steps in a schedule (at least 1).</summary>
    public int MaxSteps { get; init; } = 24;

    /// <summary>
    /// The fault kinds a seed may enable. Each seed enables a random subset of these (never an empty one
    /// when this is not <see cref="FaultKinds.None"/>).
    /// </summary>
    public FaultKinds AllowedFaults { get; init; } = FaultKinds.All;

    /// <summary>
    /// The chance, in percent (0 to 100), that a generated supervisor gets an opt-in restart <c>backoff</c>. Drawn
    /// from a stream of its own: the tree and schedule of a seed do not depend on it. Default 15; 0 generates
    /// only OTP's behaviour.
    /// </summary>
    public int BackoffPercent { get; init; } = 15;

    /// <summary>Checks the bounds and throws one exception listing every violation.</summary>
    /// <exception cref="ArgumentException">A bound is out of range.</exception>
    public void Validate()
    {
        var problems = new List<string>();
        if (MaxDepth is < 1 or > 3)
        {
            problems.Add($"MaxDepth must be 1 to 3, got {MaxDepth}");
        }
        if (MaxChildren is < 1 or > 6)
        {
            problems.Add($"MaxChildren must be 1 to 6, got {MaxChildren}");
        }
        if (BackoffPercent is < 0 or > 100)
        {
            problems.Add($"BackoffPercent must be 0 to 100, got {BackoffPercent}");
        }
        if (MaxSteps < 1)
        {
            problems.Add($"MaxSteps must be at least 1, got {MaxSteps}");
        }
        if (problems.Count > 0)
        {
            throw new ArgumentException("invalid generator options: " + string.Join("; ", problems), nameof(GeneratorOptions));
        }
    }
}
