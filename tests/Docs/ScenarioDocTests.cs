using Supervision.Simulation.Replay;
using Supervision.Simulation.Scenarios;
using Xunit;

namespace Supervision.Docs.Tests;

/// <summary>The scenarios and traces the docs show are what the tool prints; the bundled examples' traces are current; links resolve.</summary>
public sealed class ScenarioDocTests
{
    [Fact]
    public void Every_scenario_in_the_docs_is_valid_and_prints_the_trace_shown_under_it()
    {
        // Checks: each ```json block holding a "tree" reads as a scenario; when the next block is a ```trace block, the
        // replay prints exactly that text, report lines included. At least the format page's example and the
        // getting started scenario are covered.
        var compared = 0;
        foreach (var file in Markdown.Documents())
        {
            var blocks = Markdown.BlocksOf(file).ToList();
            for (var i = 0; i < blocks.Count; i++)
            {
                if (blocks[i].Info != "json" || !blocks[i].Text.Contains("\"tree\"", StringComparison.Ordinal))
                {
                    continue;
                }
                var scenario = ScenarioReader.Parse(blocks[i].Text, blocks[i].Key);
                if (i + 1 < blocks.Count && blocks[i + 1].Info == "trace")
                {
                    Assert.Equal(blocks[i + 1].Text, ScenarioSimulator.Run(scenario).TraceText());
                    compared++;
                }
            }
        }
        Assert.True(compared >= 2, $"{compared} documented traces compared");
    }

    [Fact]
    public void Every_bundled_example_has_its_current_trace_beside_it()
    {
        // Checks: examples/X.trace is byte for byte what `supervise replay examples/X.json` prints, '#' report lines
        // included (the golden tests compare without them, which let a stale file through once).
        var examples = Directory.GetFiles(Path.Combine(Markdown.RepositoryRoot, "examples"), "*.json");
        Assert.NotEmpty(examples);
        foreach (var example in examples)
        {
            var expected = File.ReadAllText(Path.ChangeExtension(example, ".trace"));
            Assert.True(expected == ScenarioSimulator.Run(ScenarioReader.Load(example)).TraceText(),
                $"{Path.GetFileName(example)}: the .trace is stale; regenerate it with `supervise replay {Path.GetFileName(example)}`");
        }
    }

    [Fact]
    public void Every_relative_link_in_the_docs_points_at_a_file_of_the_repository()
    {
        // Checks: links such as [SCENARIO-FORMAT.md](SCENARIO-FORMAT.md) resolve from the document's folder.
        var broken = new List<string>();
        foreach (var file in Markdown.Documents())
        {
            var folder = Path.GetDirectoryName(Path.Combine(Markdown.RepositoryRoot, file))!;
            broken.AddRange(Markdown.RelativeLinks(file)
                .Where(target => !File.Exists(Path.Combine(folder, target)) && !Directory.Exists(Path.Combine(folder, target)))
                .Select(target => $"{file}: {target}"));
        }
        Assert.Empty(broken);
    }
}
