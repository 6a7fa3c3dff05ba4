using Supervision.Simulation.Scenarios;
using Xunit;

namespace Supervision.Engine.Tests.ScenarioParsing;

/// <summary>
/// Assertions on scenario errors. Positions are given either as numbers or by a '§' marker written just
/// before the offending text: the marker is removed before parsing and its place is the expected position.
/// </summary>
internal static class ScenarioErrors
{
    public const char Marker = '§';
    public const string File = "test.json";

    /// <summary>Parses <paramref name="json"/>, expects an error at line:column whose text contains <paramref name="fragment"/>.</summary>
    public static ScenarioFormatException At(string json, int line, int column, string fragment)
    {
        var error = Assert.Throws<ScenarioFormatException>(() => ScenarioReader.Parse(json, File));
        Assert.True((line, column) == (error.Line, error.Column), $"expected {line}:{column}, got {error.Message}");
        Assert.Contains(fragment, error.Detail, StringComparison.Ordinal);
        Assert.Equal($"{File}:{line}:{column}: {error.Detail}", error.Message);
        Assert.Equal(error.Message, error.ToString());
        Assert.Equal(File, error.File);
        return error;
    }

    /// <summary>Like <see cref="At(string, int, int, string)"/>, with the position given by the '§' marker in <paramref name="markedJson"/>.</summary>
    public static ScenarioFormatException AtMarker(string markedJson, string fragment)
    {
        var index = markedJson.IndexOf(Marker, StringComparison.Ordinal);
        Assert.True(index >= 0, "the test text has no § marker");
        var before = markedJson[..index];
        var line = before.Count(c => c == '\n') + 1;
        var column = index - (before.LastIndexOf('\n') + 1) + 1;
        return At(markedJson.Remove(index, 1), line, column, fragment);
    }

    /// <summary>A one-line scenario around <paramref name="tree"/> (which starts at line 1, column 10) and one step a line from line 3.</summary>
    public static string Scenario(string tree, params string[] steps) =>
        "{\"tree\": " + tree + ",\n\"steps\": [\n" + string.Join(",\n", steps) + "\n]}";

    /// <summary>A tree with a worker, a static child supervisor and a simple_one_for_one pool, for step tests.</summary>
    public const string Tree =
        """{"id": "root", "children": [{"id": "db"}, {"id": "orders", "strategy": "one_for_one", "children": [{"id": "cart"}]}, {"id": "pool", "strategy": "simple_one_for_one", "children": [{"id": "w", "restart": "temporary"}]}]}""";
}
