using System.Globalization;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Supervision.Simulation.Generation;
using Xunit;

namespace Supervision.Properties.Tests;

/// <summary>A generated scenario's seed, as FsCheck draws and prints it (the counterexample of a failing property).</summary>
/// <param name="Value">The 64-bit seed.</param>
public readonly record struct ScenarioSeed(ulong Value)
{
    /// <inheritdoc />
    public override string ToString() => Value.ToString(CultureInfo.InvariantCulture);
}

/// <summary>FsCheck's arbitrary for <see cref="ScenarioSeed"/>: uniform 64-bit seeds, never shrunk (a seed has no smaller neighbour; the scenario it names is the counterexample).</summary>
public static class ScenarioSeedArbitrary
{
    /// <summary>64-bit seeds, drawn 16 bits at a time (Gen.Choose takes ints).</summary>
    public static Arbitrary<ScenarioSeed> Seeds() => Arb.From(
        from a in Gen.Choose(0, 0xFFFF)
        from b in Gen.Choose(0, 0xFFFF)
        from c in Gen.Choose(0, 0xFFFF)
        from d in Gen.Choose(0, 0xFFFF)
        select new ScenarioSeed(((ulong)(uint)a << 48) | ((ulong)(uint)b << 32) | ((ulong)(uint)c << 16) | (uint)d));
}

/// <summary>
/// An FsCheck <c>[Property]</c> over generated scenario seeds. CI runs a fixed FsCheck seed, so a run is
/// reproducible and a landing never depends on luck; SUPERVISE_PROPERTY_SEED=&lt;n&gt; picks another,
/// =&lt;seed,gamma&gt; replays a printed pair exactly, =random draws a fresh one (for long exploratory runs).
/// On failure FsCheck's message carries the replay pair <c>(seed,gamma)</c>, and the property's own
/// exception (inner) the scenario seed, the replay command and the numbered trace.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
#pragma warning disable xUnit3003 // FsCheck's PropertyAttribute takes no source information to pass on.
public sealed class SeedPropertyAttribute : PropertyAttribute
#pragma warning restore xUnit3003
{
    /// <summary>The FsCheck seed CI uses unless SUPERVISE_PROPERTY_SEED says otherwise.</summary>
    public const ulong DefaultFsCheckSeed = 20261121;

    /// <summary>The gamma that goes with a bare seed (any odd number; this one is the golden ratio's).</summary>
    public const ulong DefaultGamma = 0x9E3779B97F4A7C15UL;

    /// <summary>Configures the property: the seed arbitrary and the replay pair chosen by the environment.</summary>
    public SeedPropertyAttribute()
    {
        Arbitrary = [typeof(ScenarioSeedArbitrary)];
        QuietOnSuccess = true;
        if (ChosenReplay() is { } replay)
        {
            Replay = replay;
        }
    }

    /// <summary>The replay pair this run uses, or null for a fresh random one.</summary>
    public static string? ChosenReplay()
    {
        var chosen = Environment.GetEnvironmentVariable("SUPERVISE_PROPERTY_SEED")?.Trim();
        if (chosen == "random")
        {
            return null;
        }
        if (chosen is not null && chosen.Contains(',', StringComparison.Ordinal))
        {
            return $"({chosen.Trim('(', ')')})";
        }
        var seed = ulong.TryParse(chosen, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : DefaultFsCheckSeed;
        return string.Create(CultureInfo.InvariantCulture, $"({seed},{DefaultGamma})");
    }

    /// <summary>What a test prints first, so that CI logs show the replay pair even when nothing fails.</summary>
    public static string Describe() =>
        $"FsCheck replay {ChosenReplay() ?? "random (printed on failure)"} (SUPERVISE_PROPERTY_SEED=<n>, =<seed,gamma> or =random for others)";
}

/// <summary>Turns a property's explanation into a pass or a failure that carries it.</summary>
internal static class SeedProperty
{
    /// <summary>Passes on null; otherwise fails with <paramref name="failure"/> (FsCheck adds the replay pair around it).</summary>
    public static void Holds(string? failure)
    {
        if (failure is not null)
        {
            Assert.Fail(failure);
        }
    }

    /// <summary>Generates a seed's scenario with <paramref name="options"/>.</summary>
    public static GeneratedScenario Generate(ScenarioSeed seed, GeneratorOptions? options = null) => ScenarioGenerator.Generate(seed.Value, options);

    /// <summary>Generates a fixed seed's scenario (regression seeds).</summary>
    public static GeneratedScenario Generate(ulong seed, GeneratorOptions? options = null) => ScenarioGenerator.Generate(seed, options);
}
