using System.Globalization;
using System.Text;

namespace Supervision.Simulation.Generation;

/// <summary>
/// Generates scenarios (docs/SCENARIO-FORMAT.md) from a seed: a random supervision tree and a
/// random schedule of faults and operator calls. Pure and reproducible: the same seed and options give
/// the same text on every machine; no clock, no shared randomness. Every generated text is a valid
/// scenario, so it can be written to a file and replayed with <c>supervise replay</c>.
/// </summary>
public static partial class ScenarioGenerator
{
    /// <summary>Generates the scenario for <paramref name="seed"/>.</summary>
    /// <param name="seed">The seed; it decides everything, starting with which fault kinds are enabled (swarm testing).</param>
    /// <param name="options">Bounds; null for <see cref="GeneratorOptions.Default"/>.</param>
    /// <exception cref="ArgumentException">The options are out of range.</exception>
    public static GeneratedScenario Generate(ulong seed, GeneratorOptions? options = null)
    {
        options ??= GeneratorOptions.Default;
        options.Validate();
        var random = new SplitMix64(seed);
        var faults = DrawFaults(random, options.AllowedFaults);
        var depth = random.Between(1, options.MaxDepth);
        var trees = new TreeBuilder(random, depth, options.MaxChildren, (faults & FaultKinds.Significant) != 0);
        var root = trees.BuildRoot();
        BackoffDrawer.Assign(root, seed, options.BackoffPercent);
        if (SituationBuilder.Draw(seed, root, options.AllowedFaults) is not { } situation)
        {
            var steps = new ScheduleBuilder(random, root, trees, faults).Build(options.MaxSteps);
            return new GeneratedScenario(seed, Write(seed, faults, root, steps), faults);
        }
        // The situation's steps come first; the random schedule goes on after them.
        var schedule = new ScheduleBuilder(random, root, trees, faults) { StartAt = situation.End }.Build(options.MaxSteps);
        var all = faults | situation.Faults;
        return new GeneratedScenario(seed, Write(seed, all, root, [.. situation.Steps, .. schedule], situation.Name), all);
    }

    /// <summary>
    /// Swarm configuration: each allowed kind is enabled with probability one half (exits more often),
    /// and at least one kind is always on.
    /// </summary>
    private static FaultKinds DrawFaults(SplitMix64 random, FaultKinds allowed)
    {
        var enabled = FaultKinds.None;
        for (var bit = 1; bit <= (int)FaultKinds.StopCall; bit <<= 1)
        {
            var kind = (FaultKinds)bit;
            var percent = kind == FaultKinds.Exits ? 80 : 50;
            if ((allowed & kind) != 0 && random.Chance(percent))
            {
                enabled |= kind;
            }
        }
        if (enabled == FaultKinds.None && allowed != FaultKinds.None)
        {
            enabled = (allowed & FaultKinds.Exits) != 0 ? FaultKinds.Exits : LowestBit(allowed);
        }
        return enabled;
    }

    private static FaultKinds LowestBit(FaultKinds kinds) => (FaultKinds)((int)kinds & -(int)kinds);

    private static string Write(ulong seed, FaultKinds faults, GenNode root, IReadOnlyList<string> steps, string? situation = null)
    {
        var text = new StringBuilder();
        var name = string.Create(CultureInfo.InvariantCulture, $"generated: seed {seed}, faults {faults}") + (situation is null ? "" : ", situation: " + situation);
        text.Append("{\n  \"name\": ")
            .Append(GenNode.Quote(name))
            .Append(",\n  \"tree\": ");
        root.Write(text, 2, isRoot: true);
        text.Append(",\n  \"steps\": [");
        for (var i = 0; i < steps.Count; i++)
        {
            text.Append(i == 0 ? "\n    " : ",\n    ").Append(steps[i]);
        }
        text.Append(steps.Count == 0 ? "]\n}\n" : "\n  ]\n}\n");
        return text.ToString();
    }
}
