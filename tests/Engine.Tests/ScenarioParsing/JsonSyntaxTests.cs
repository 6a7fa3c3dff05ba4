using Supervision.Simulation.Scenarios;
using Xunit;
using static Supervision.Engine.Tests.ScenarioParsing.ScenarioErrors;

namespace Supervision.Engine.Tests.ScenarioParsing;

public sealed class JsonSyntaxTests
{
    [Fact]
    public void An_unterminated_string_is_reported_at_its_opening_quote()
    {
        // Checks that a string running into a line break points at where it started, not where the reader gave up.
        At("{\n  \"tree\": {\"id\": \"root\n}", 2, 18, "unterminated string");
    }

    [Fact]
    public void A_string_cut_off_by_the_end_of_input_is_unterminated()
    {
        // Checks the end-of-input variant of an unterminated string.
        At("{\"name\": \"abc", 1, 10, "unterminated string");
    }

    [Fact]
    public void A_missing_comma_is_reported_at_the_next_member()
    {
        // Checks that two members without a comma between them point at the second one.
        At("{\"tree\": {\"id\": \"root\"}\n \"steps\": []}", 2, 2, "expected ',' or '}' after the member \"tree\"");
    }

    [Fact]
    public void A_trailing_comma_in_an_object_is_reported_at_the_comma()
    {
        // Checks strict JSON: a comma before '}' is an error, located at the comma.
        At("{\"tree\": {\"id\": \"root\",}}", 1, 23, "trailing comma before '}'");
    }

    [Fact]
    public void A_trailing_comma_in_an_array_is_reported_at_the_comma()
    {
        // Checks strict JSON: a comma before ']' is an error, located at the comma, here on the third line.
        const string json = "{\"tree\": {\"id\": \"root\"},\n \"steps\": [\n   {\"at\": 0, \"call\": \"count_children\", \"sup\": \"root\"},\n ]}";
        At(json, 3, 54, "trailing comma before ']'");
    }

    [Theory]
    [InlineData("nul")]
    [InlineData("True")]
    [InlineData("undefined")]
    public void A_bad_literal_is_reported_at_its_first_letter(string literal)
    {
        // Checks that words other than true, false and null are rejected where they start.
        At("{\"tree\": {\"id\": \"root\"}, \"name\": " + literal + "}", 1, 34, $"invalid literal '{literal}'");
    }

    [Fact]
    public void A_duplicate_key_is_reported_at_the_second_occurrence_and_names_the_first()
    {
        // Checks that a repeated member name is an error at the repeat, and the message says where the first one is.
        At("{\"tree\": {\"id\": \"root\",\n          \"id\": \"other\"}}", 2, 11, "duplicate key \"id\" (first at line 1, column 11)");
    }

    [Theory]
    [InlineData("{\"tree\": {\"id\": \"root\", \"\\u0069d\": \"other\"}}", 1, 25, "duplicate key \"id\" (first at line 1, column 11)")]
    [InlineData("{\"tree\": {\"\\u0069d\": \"root\", \"id\": \"other\"}}", 1, 30, "duplicate key \"id\" (first at line 1, column 11)")]
    [InlineData("{\"tree\": {\"i\\u0064\": \"root\", \"type\": \"supervisor\", \"\\u0069d\": \"other\"}}", 1, 52, "duplicate key \"id\" (first at line 1, column 11)")]
    [InlineData("{\"a\": {\"x\": 1, \"b\": {\"x\": 2, \"\\u0078\": 3}}}", 1, 30, "duplicate key \"x\" (first at line 1, column 22)")]
    public void An_escaped_name_is_a_duplicate_of_the_same_name_written_plainly(string json, int line, int column, string fragment)
    {
        // Checks duplicate keys compared by their decoded names: "\u0069d" is "id", whichever comes first, and in a nested object.
        At(json, line, column, fragment);
    }

    [Fact]
    public void Names_that_differ_only_in_escapes_of_different_characters_are_not_duplicates()
    {
        // Checks that two lone surrogates are two names (no replacement character makes them one), and that an escaped known name is that field.
        var root = JsonParser.Parse("{\"\\ud800\": 1, \"\\udc00\": 2, \"\\u0073teps\": [], \"x\": {\"a\\\"\": 1, \"a\\\\\": 2}}", "f.json");
        Assert.Equal(["\ud800", "\udc00", "steps", "x"], root.Members.Select(m => m.Name));
        Assert.Equal(["a\"", "a\\"], root.Member("x")!.Value.Members.Select(m => m.Name));
        Assert.Equal(JsonNodeKind.Array, root.Member("steps")!.Value.Kind);
    }

    [Fact]
    public void An_unclosed_object_is_reported_at_the_end_of_input()
    {
        // Checks unexpected end of input: the position is just after the last character, the message names the open object.
        At("{\"tree\": {\"id\": \"root\"}", 1, 24, "unexpected end of input: the object opened at line 1, column 1 is not closed");
    }

    [Theory]
    [InlineData("", 1, 1)]
    [InlineData("{\"tree\": ", 1, 10)]
    [InlineData("{\"tree\": {\"id\": \"root\"}, \"steps\": [\n", 2, 1)]
    public void Unexpected_end_of_input_is_reported_where_the_text_stops(string json, int line, int column)
    {
        // Checks that a file cut short is reported at the end of the text.
        At(json, line, column, "unexpected end of input");
    }

    [Theory]
    [InlineData("// comment\n{}", 1, 1, "unexpected '/'")]
    [InlineData("{\"tree\": {\"id\": \"root\"}} {}", 1, 26, "after the end of the JSON value")]
    [InlineData("{'tree': {}}", 1, 2, "expected a member name in double quotes")]
    [InlineData("{\"tree\" {}}", 1, 9, "expected ':'")]
    [InlineData("[1 2]", 1, 4, "expected ',' or ']'")]
    [InlineData("{\"name\": \"a\\qb\", \"tree\": {\"id\": \"r\"}}", 1, 12, "invalid escape '\\q'")]
    [InlineData("{\"name\": \"a\\u12G4\"}", 1, 12, "invalid \\u escape")]
    [InlineData("{\"name\": \"a\tb\"}", 1, 12, "control character U+0009")]
    public void Other_syntax_errors_point_at_the_offending_character(string json, int line, int column, string fragment)
    {
        // Checks comments, trailing content, single quotes, a missing colon, a missing comma in an array, bad escapes and raw control characters.
        At(json, line, column, fragment);
    }

    [Theory]
    [InlineData("01", "leading zeros")]
    [InlineData("-", "invalid number '-'")]
    [InlineData("1.", "invalid number '1.'")]
    [InlineData("1e", "invalid number '1e'")]
    [InlineData("99999999999999999999", "does not fit in 64 bits")]
    [InlineData("1e999", "out of range")]
    [InlineData("+1", "unexpected '+'")]
    public void Malformed_numbers_are_rejected_at_their_start(string number, string fragment)
    {
        // Checks the RFC 8259 number grammar and the 64-bit integer range.
        At("{\"tree\": {\"id\": \"root\", \"intensity\": " + number + "}}", 1, 38, fragment);
    }

    [Fact]
    public void Nesting_beyond_the_depth_limit_is_rejected()
    {
        // Checks that deep nesting gives an error rather than a stack overflow.
        var json = new string('[', JsonParser.MaxDepth + 1) + new string(']', JsonParser.MaxDepth + 1);
        At(json, 1, JsonParser.MaxDepth + 1, "nesting deeper than");
    }

    [Fact]
    public void Positions_of_values_and_member_names_are_one_based_and_survive_CRLF_and_a_BOM()
    {
        // Checks the node tree directly: line and column of members and values, CRLF line ends, a leading BOM, escapes and raw text.
        var root = JsonParser.Parse("\uFEFF{\r\n  \"a\": [1, -2.5e1,\r\n   \"x\\u0041\\n\"],\r\n  \"b\": {\"c\": null, \"d\": true}\r\n}", "f.json");

        var a = root.Member("a")!;
        Assert.Equal(new SourcePosition("f.json", 2, 3), a.Position);
        Assert.Equal((2, 8), (a.Value.Line, a.Value.Column));
        Assert.Equal(JsonNodeKind.Integer, a.Value.Items[0].Kind);
        Assert.Equal(1L, a.Value.Items[0].IntegerValue);
        Assert.Equal((JsonNodeKind.Decimal, -25.0, "-2.5e1", 12), (a.Value.Items[1].Kind, a.Value.Items[1].DecimalValue, a.Value.Items[1].RawText, a.Value.Items[1].Column));
        Assert.Equal(("xA\n", 3, 4), (a.Value.Items[2].StringValue, a.Value.Items[2].Line, a.Value.Items[2].Column));
        var b = root.Member("b")!.Value;
        Assert.Equal(["c", "d"], b.Members.Select(m => m.Name));
        Assert.Equal((JsonNodeKind.Null, 4, 14), (b.Member("c")!.Value.Kind, b.Member("c")!.Value.Line, b.Member("c")!.Value.Column));
        Assert.True(b.Member("d")!.Value.BooleanValue);
        Assert.Equal("{\"c\": null, \"d\": true}", b.RawText);
        Assert.Throws<InvalidOperationException>(() => b.StringValue);
    }
}
