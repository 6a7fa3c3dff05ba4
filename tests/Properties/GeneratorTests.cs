using Supervision.Simulation.Generation;
using Supervision.Simulation.Scenarios;
using Xunit;

namespace Supervision.Properties.Tests;

/// <summary>The generator's own contract: every output is a valid scenario, and a seed always gives the same text.</summary>
public sealed class GeneratorTests
{
    public GeneratorTests(ITestOutputHelper output) => output.WriteLine(SeedPropertyAttribute.Describe());

    /// <summary>Reads every generated scenario back with the scenario reader: the generator emits only valid files.</summary>
    [SeedProperty(MaxTest = 2_000)]
    public void EveryGeneratedScenarioParses(ScenarioSeed seed)
    {
        var generated = SeedProperty.Generate(seed);
        try
        {
            ScenarioRuns.Parse(generated);
        }
        catch (ScenarioFormatException e)
        {
            SeedProperty.Holds(ScenarioRuns.Explain(generated, "the generated scenario does not parse: " + e.Message, result: null));
        }
    }

    /// <summary>Generates each seed twice (and with a fresh generator state each time): the texts are identical.</summary>
    [SeedProperty(MaxTest = 1_000)]
    public void SameSeedGivesSameJson(ScenarioSeed seed)
    {
        var first = SeedProperty.Generate(seed);
        var second = SeedProperty.Generate(seed);
        SeedProperty.Holds(first.Json == second.Json && first.Faults == second.Faults
            ? null
            : ScenarioRuns.Explain(first, "the same seed gave a different text:\n" + second.Json, result: null));
    }

    /// <summary>The PRNG is SplitMix64 exactly, so a seed means the same scenario on every machine and .NET version.</summary>
    [Fact]
    public void SplitMix64MatchesItsReferenceSequence()
    {
        // SplitMix64 from seed 0: the first outputs of the reference C implementation (Vigna's splitmix64.c).
        var random = new SplitMix64(0);
        Assert.Equal(0xE220A8397B1DCDAFUL, random.NextUInt64());
        Assert.Equal(0x6E789E6AA1B965F4UL, random.NextUInt64());
        Assert.Equal(0x06C45D188009454FUL, random.NextUInt64());
    }

    /// <summary>Swarm testing: across seeds, every fault kind is enabled sometimes and disabled sometimes.</summary>
    [Fact]
    public void SwarmEnablesEachKindSometimes()
    {
        var counts = new int[12];
        const int seeds = 500;
        for (ulong seed = 0; seed < seeds; seed++)
        {
            var faults = ScenarioGenerator.Generate(seed).Faults;
            for (var bit = 0; bit < counts.Length; bit++)
            {
                counts[bit] += ((int)faults >> bit) & 1;
            }
        }
        Assert.All(counts, count => Assert.InRange(count, 1, seeds - 1));
    }

    /// <summary>Options out of range are refused with one message naming each problem.</summary>
    [Fact]
    public void BadOptionsAreRefused()
    {
        var e = Assert.Throws<ArgumentException>(() => ScenarioGenerator.Generate(1, new GeneratorOptions { MaxDepth = 4, MaxSteps = 0 }));
        Assert.Contains("MaxDepth", e.Message, StringComparison.Ordinal);
        Assert.Contains("MaxSteps", e.Message, StringComparison.Ordinal);
    }
}
