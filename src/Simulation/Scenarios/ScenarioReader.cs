namespace Supervision.Simulation.Scenarios;

/// <summary>
/// Reads scenario files (docs/SCENARIO-FORMAT.md). Either returns a complete, checked
/// <see cref="Scenario"/> or throws a <see cref="ScenarioFormatException"/> whose message is
/// <c>file:line:column: message</c>, pointing at the first problem in the file.
/// </summary>
public static class ScenarioReader
{
    /// <summary>Reads and checks the scenario file at <paramref name="path"/>.</summary>
    /// <param name="path">The file's path; it is also the file name used in error positions.</param>
    /// <exception cref="ScenarioFormatException">The file is not a valid scenario.</exception>
    /// <exception cref="IOException">The file cannot be read (missing, locked, ...).</exception>
    /// <exception cref="UnauthorizedAccessException">The file may not be read.</exception>
    public static Scenario Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>Reads and checks a scenario from its JSON text.</summary>
    /// <param name="json">The scenario's text.</param>
    /// <param name="sourceName">The file name used in error positions and in <see cref="Scenario.SourceFile"/>.</param>
    /// <exception cref="ScenarioFormatException">The text is not a valid scenario.</exception>
    public static Scenario Parse(string json, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(sourceName);
        var document = JsonParser.Parse(json, sourceName);
        var top = ObjectReader.Open(document, "a scenario");
        top.RejectUnknown("name", "tree", "steps");
        var name = top.OptionalString("name");
        var treeNode = top.Required("tree");
        var tree = TreeReader.ReadRoot(treeNode, out var rootId);
        // The tree reader enforces the format's rules where they are written; the engine's own check is the
        // safety net, so that the engine never receives a tree it would refuse.
        var violations = tree.FindViolations(rootId);
        if (violations.Count > 0)
        {
            throw ObjectReader.Fail(treeNode, $"invalid tree: {violations[0]}");
        }
        var steps = new StepReader(new PathIndex(rootId, tree)).ReadAll(top.Optional("steps"));
        return new Scenario(name, tree, rootId, steps, sourceName);
    }
}
