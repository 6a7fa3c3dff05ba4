using System.Text;
using Supervision.Simulation.Scenarios;
using Xunit;
using static Supervision.Engine.Tests.ScenarioParsing.ScenarioErrors;

namespace Supervision.Engine.Tests.ScenarioParsing;

/// <summary>What the System.Text.Json-based reader must keep from the hand-written one: encodings, escapes, depth, lazy reading.</summary>
public sealed class Utf8ReadingTests
{
    [Fact]
    public void A_lone_surrogate_escape_is_kept_as_JSON_allows()
    {
        // Checks "\ud800" in a name: System.Text.Json's GetString refuses it, the reader keeps the lone surrogate as it always has.
        var scenario = ScenarioReader.Parse("""{"name": "a\ud800b", "tree": {"id": "root"}}""", ScenarioErrors.File);
        Assert.Equal("a" + (char)0xD800 + "b", scenario.Name);
    }

    [Fact]
    public void Escapes_in_member_names_and_values_are_decoded()
    {
        // Checks escaped names ("\u0074ree" is "tree") and every escape kind in a value.
        var scenario = ScenarioReader.Parse("""{"\u0074ree": {"id": "r\u00e9"}, "name": "\"\\\/\b\f\n\r\t\u0041"}""", ScenarioErrors.File);
        Assert.Equal("ré", scenario.RootId);
        Assert.Equal("\"\\/\b\f\n\r\tA", scenario.Name);
    }

    [Theory]
    [InlineData("utf-16LE")]
    [InlineData("utf-16BE")]
    [InlineData("utf-32LE")]
    [InlineData("utf-8")]
    public void A_file_with_a_byte_order_mark_is_read_in_its_encoding(string encodingName)
    {
        // Checks Load on files as Windows editors save them, with positions (an unknown field on line 2) still in characters.
        var encoding = encodingName == "utf-32LE" ? new UTF32Encoding(false, true) : Encoding.GetEncoding(encodingName);
        var path = Path.Combine(Path.GetTempPath(), $"scenario-{Guid.NewGuid():N}.json");
        try
        {
            System.IO.File.WriteAllBytes(path, [.. encoding.GetPreamble(), .. encoding.GetBytes("{\"tree\": {\"id\": \"café\"},\n  \"stepz\": []}")]);
            var error = Assert.Throws<ScenarioFormatException>(() => ScenarioReader.Load(path));
            Assert.Equal((2, 3, "unknown field \"stepz\" in a scenario"), (error.Line, error.Column, error.Detail));
            System.IO.File.WriteAllBytes(path, [.. encoding.GetPreamble(), .. encoding.GetBytes("{\"tree\": {\"id\": \"café\"}}")]);
            Assert.Equal("café", ScenarioReader.Load(path).RootId);
        }
        finally
        {
            System.IO.File.Delete(path);
        }
    }

    [Fact]
    public void Columns_count_characters_not_bytes()
    {
        // Checks a line with two-, three- and four-byte characters before the error: the column is the editor's (a pair counts two).
        AtMarker("{\"name\": \"é€\uD83D\uDE00\", §\"x\": 1, \"tree\": {\"id\": \"root\"}}", "unknown field \"x\"");
    }

    [Fact]
    public void Nesting_up_to_the_depth_limit_is_read()
    {
        // Checks the other side of the depth limit: exactly MaxDepth levels parse (one more is refused, see JsonSyntaxTests).
        var json = new string('[', JsonParser.MaxDepth) + new string(']', JsonParser.MaxDepth);
        Assert.Equal(JsonNodeKind.Array, JsonParser.Parse(json, ScenarioErrors.File).Kind);
    }

    [Fact]
    public void An_array_is_read_only_when_asked_for_and_can_be_visited_one_element_at_a_time()
    {
        // Checks the lazy reading that keeps long scenarios small: the steps node is unread after parsing, visiting it
        // builds elements in order with their positions, and Items (asked for later) still sees them all.
        var steps = JsonParser.Parse("{\"steps\": [\n{\"at\": 1},\n{\"at\": 2}\n]}", ScenarioErrors.File).Member("steps")!.Value;
        Assert.NotNull(steps.Unread);

        var visited = new List<(long At, int Line)>();
        JsonParser.ForEachElement(steps, (step, _) => visited.Add((step.Member("at")!.Value.IntegerValue, step.Line)));

        Assert.Equal([(1L, 2), (2L, 3)], visited);
        Assert.Equal(2, steps.Items.Count);
        Assert.Null(steps.Unread);
    }

    [Fact]
    public void Containers_past_those_the_first_pass_notes_are_read_the_same_way()
    {
        // Checks the second pass past ContainerEnds.Capacity, where it finds ends by scanning: strings with brackets,
        // quotes and backslashes, nested arrays, and a steps array that starts before the limit and ends after it.
        var count = ContainerEnds.Capacity / 2 + 10;
        var elements = Enumerable.Range(0, count).Select(i => $"{{\"s\": \"]}}\\\"[{{\\\\\", \"a\": [{i}]}}");
        var root = JsonParser.Parse("{\"steps\": [\n" + string.Join(",\n", elements) + "\n], \"after\": {\"x\": [1, 2]}}", ScenarioErrors.File);

        var visited = 0;
        JsonParser.ForEachElement(root.Member("steps")!.Value, (element, index) =>
        {
            Assert.Equal((index + 2, 1), (element.Line, element.Column));
            Assert.Equal("]}\"[{\\", element.Member("s")!.Value.StringValue);
            Assert.Equal(index, element.Member("a")!.Value.Items[0].IntegerValue);
            visited++;
        });

        Assert.Equal(count, visited);
        var after = root.Member("after")!.Value;
        Assert.Equal((count + 2, 13), (after.Line, after.Column));
        Assert.Equal("{\"x\": [1, 2]}", after.RawText);
        Assert.Equal(2L, after.Member("x")!.Value.Items[1].IntegerValue);
    }
}
