using Supervision.Simulation.Scenarios;
using Xunit;
using static Supervision.Engine.Tests.ScenarioParsing.ScenarioErrors;

namespace Supervision.Engine.Tests.ScenarioParsing;

/// <summary>Error messages quote at most a short, escaped excerpt of a value from the file, and stay on one line.</summary>
public sealed class ExcerptTests
{
    [Theory]
    [InlineData("{\"tree\": {\"id\": \"root\"}, §\"x\\nfake.json:1:1: all good\": 1}", "unknown field \"x\\nfake.json:1:1: all good\"")]
    [InlineData("{\"tree\": {\"id\": \"root\", \"children\": [{\"id\": \"a\"}]}, \"steps\": [{\"at\": 0, \"exit\": \"root/a\", \"reason\": §\"boom\\nfake.json:1:1: all good\"}]}",
        "single token without whitespace, got \"boom\\nfake.json:1:1: all good\"")]
    public void An_escaped_newline_in_a_value_cannot_forge_a_second_diagnostic_line(string json, string fragment)
    {
        // Checks a field name and a reason holding "\n": the message shows the escape, not a line break.
        var error = AtMarker(json, fragment);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void A_huge_value_is_quoted_as_a_short_excerpt_with_its_length()
    {
        // Checks a 1 MB string where a strategy belongs: the message keeps 64 characters of it and says how long it was.
        var huge = new string('a', 1_000_000);
        var error = AtMarker("{\"tree\": {\"id\": \"root\", \"strategy\": §\"" + huge + "\"}}", "got \"" + new string('a', Excerpt.MaxLength) + "\"... (1000000 characters)");
        Assert.True(error.Message.Length < 300, $"{error.Message.Length} characters");
    }

    [Fact]
    public void A_huge_value_of_the_wrong_kind_is_described_by_an_excerpt()
    {
        // Checks Describe(), used for every "must be ..., got ..." message, on a 100 000-character string.
        var error = AtMarker("{\"tree\": {\"id\": \"root\", \"intensity\": §\"" + new string('9', 100_000) + "\"}}", "must be an integer, got the string \"999");
        Assert.EndsWith("\"... (100000 characters)", error.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a\"b", "\"a\\\"b\"")]
    [InlineData("a\\b", "\"a\\\\b\"")]
    [InlineData("tab\there", "\"tab\\there\"")]
    [InlineData("cr\rlf\n", "\"cr\\rlf\\n\"")]
    [InlineData("nul\0", "\"nul\\u0000\"")]
    [InlineData("bidi\u202Eevil", "\"bidi\\u202Eevil\"")]
    [InlineData("line\u2028sep", "\"line\\u2028sep\"")]
    [InlineData("emoji\uD83D\uDE00ok", "\"emoji\uD83D\uDE00ok\"")]
    [InlineData("café", "\"café\"")]
    public void Quotes_escape_what_a_terminal_would_not_show_as_written(string value, string quoted)
    {
        // Checks each kind of escape, and that printable non-ASCII text (a surrogate pair, an accent) is kept as it is.
        Assert.Equal(quoted, Excerpt.Quote(value));
    }

    [Fact]
    public void A_lone_surrogate_is_escaped()
    {
        // Checks a lone high surrogate (JSON allows "\ud800"); built in code, as test data would not carry it intact.
        Assert.Equal("\"lone\\uD800\"", Excerpt.Quote("lone" + (char)0xD800));
    }

    [Fact]
    public void The_cut_counts_escapes_as_written_so_a_run_of_controls_stays_short()
    {
        // Checks that 1000 NUL characters (6 characters each once escaped) give an excerpt of about MaxLength characters.
        var quoted = Excerpt.Quote(new string('\0', 1000));
        Assert.StartsWith("\"\\u0000", quoted, StringComparison.Ordinal);
        Assert.EndsWith("\"... (1000 characters)", quoted, StringComparison.Ordinal);
        Assert.InRange(quoted.Length, Excerpt.MaxLength, Excerpt.MaxLength + 30);
    }
}
