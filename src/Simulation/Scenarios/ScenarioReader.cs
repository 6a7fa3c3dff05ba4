using System.Text;

namespace Supervision.Simulation.Scenarios;

/// <summary>
/// Reads scenario files (docs/SCENARIO-FORMAT.md). Either returns a complete, checked <see cref="Scenario"/>
/// or throws a <see cref="ScenarioFormatException"/> whose message is <c>file:line:column: message</c>,
/// pointing at the first problem in the file. Input is bounded by <see cref="ScenarioLimits"/>: a file over a
/// limit is refused the same way, with a message that names the limit.
/// </summary>
public static class ScenarioReader
{
    /// <summary>Reads and checks the scenario file at <paramref name="path"/>.</summary>
    /// <param name="path">The file's path; it is also the file name used in error positions.</param>
    /// <param name="limits">The limits to hold the file to; <see cref="ScenarioLimits.Default"/> when null.</param>
    /// <exception cref="ScenarioFormatException">The file is not a valid scenario, or exceeds a limit.</exception>
    /// <exception cref="IOException">The file cannot be read (missing, a directory, locked, ...).</exception>
    /// <exception cref="UnauthorizedAccessException">The file may not be read.</exception>
    public static Scenario Load(string path, ScenarioLimits? limits = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        limits ??= ScenarioLimits.Default;
        if (Directory.Exists(path))
        {
            throw new IOException("it is a directory, not a scenario file");
        }
        return Parse(ScenarioFile.ReadUtf8(path, limits), path, limits);
    }

    /// <summary>Reads and checks a scenario from its JSON text.</summary>
    /// <param name="json">The scenario's text.</param>
    /// <param name="sourceName">The file name used in error positions and in <see cref="Scenario.SourceFile"/>.</param>
    /// <param name="limits">The limits to hold the text to; <see cref="ScenarioLimits.Default"/> when null.</param>
    /// <exception cref="ScenarioFormatException">The text is not a valid scenario, or exceeds a limit.</exception>
    public static Scenario Parse(string json, string sourceName, ScenarioLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(sourceName);
        limits ??= ScenarioLimits.Default;
        ScenarioFile.CheckSize(Encoding.UTF8.GetByteCount(json), sourceName, limits);
        return Parse(Encoding.UTF8.GetBytes(json), sourceName, limits);
    }

    /// <summary>Reads and checks a scenario from its UTF-8 bytes (a byte order mark is allowed).</summary>
    /// <param name="utf8Json">The scenario's text as UTF-8.</param>
    /// <param name="sourceName">The file name used in error positions and in <see cref="Scenario.SourceFile"/>.</param>
    /// <param name="limits">The limits to hold the text to; <see cref="ScenarioLimits.Default"/> when null.</param>
    /// <exception cref="ScenarioFormatException">The text is not a valid scenario, or exceeds a limit.</exception>
    public static Scenario Parse(ReadOnlyMemory<byte> utf8Json, string sourceName, ScenarioLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(sourceName);
        limits ??= ScenarioLimits.Default;
        ScenarioFile.CheckSize(utf8Json.Length, sourceName, limits);
        var document = JsonParser.Parse(utf8Json, sourceName);
        var top = ObjectReader.Open(document, "a scenario");
        top.RejectUnknown("name", "tree", "steps");
        var name = top.OptionalString("name");
        var treeNode = top.Required("tree");
        var children = new ChildLimits(limits.MaxChildren);
        var tree = TreeReader.ReadRoot(treeNode, children, out var rootId);
        // The tree reader enforces the format's rules where they are written; the engine's own check is the
        // safety net, so that the engine never receives a tree it would refuse.
        var violations = tree.FindViolations(rootId);
        if (violations.Count > 0)
        {
            throw ObjectReader.Fail(treeNode, $"invalid tree: {violations[0]}");
        }
        var steps = new StepReader(new PathIndex(rootId, tree), limits, children).ReadAll(top.Optional("steps"));
        return new Scenario(name, tree, rootId, steps, sourceName) { Limits = limits };
    }
}
