using System.Globalization;
using System.Text;
using Supervision.Simulation.Scenarios;
using Xunit;
using static Supervision.Engine.Tests.ScenarioParsing.ScenarioErrors;

namespace Supervision.Engine.Tests.ScenarioParsing;

/// <summary>The reader's limits: each is a file:line:column error at the first thing over it, naming the limit.</summary>
public sealed class ReaderLimitTests
{
    private static string Steps(int count) => string.Join(",\n", Enumerable.Range(0, count).Select(i =>
        string.Create(CultureInfo.InvariantCulture, $"{{\"at\": {i}, \"exit\": \"root/db\", \"reason\": \"boom\"}}")));

    private static ScenarioFormatException Refused(string json, ScenarioLimits limits) =>
        Assert.Throws<ScenarioFormatException>(() => ScenarioReader.Parse(json, ScenarioErrors.File, limits));

    [Fact]
    public void One_step_over_the_limit_is_refused_at_that_step()
    {
        // Checks: 3 steps pass a limit of 3; a fourth is refused at its own line (line 3 + 3), naming the option and the property.
        var limits = new ScenarioLimits { MaxSteps = 3 };
        Assert.Equal(3, ScenarioReader.Parse(Scenario(Tree, Steps(3)), ScenarioErrors.File, limits).Steps.Count);

        var error = Refused(Scenario(Tree, Steps(4)), limits);

        Assert.Equal((6, 1), (error.Line, error.Column));
        Assert.Equal("limit exceeded: more than 3 steps (limit --max-steps, ScenarioLimits.MaxSteps)", error.Detail);
    }

    [Fact]
    public void Children_are_counted_in_the_tree_in_start_child_specs_and_in_instances_started_by_calls()
    {
        // Checks: Tree declares 5 children (db, orders, cart, pool, w); a spec with one nested child adds 2, an instance start adds 1.
        var spec = """{"at": 0, "call": "start_child", "sup": "root", "spec": {"id": "x", "children": [{"id": "y"}]}}""";
        var instance = """{"at": 0, "call": "start_child", "sup": "root/pool"}""";
        ScenarioReader.Parse(Scenario(Tree, spec, instance), ScenarioErrors.File, new ScenarioLimits { MaxChildren = 8 });

        var inTree = Refused(Scenario(Tree), new ScenarioLimits { MaxChildren = 4 });
        var inSpec = Refused(Scenario(Tree, spec), new ScenarioLimits { MaxChildren = 6 });
        var byCall = Refused(Scenario(Tree, spec, instance), new ScenarioLimits { MaxChildren = 7 });

        // The fifth child read is pool's template "w" (the tree starts at column 10); the seventh is the spec's nested "y".
        Assert.Equal((1, 10 + Tree.IndexOf("{\"id\": \"w\"", StringComparison.Ordinal)), (inTree.Line, inTree.Column));
        Assert.Equal((3, 1 + spec.IndexOf("{\"id\": \"y\"", StringComparison.Ordinal)), (inSpec.Line, inSpec.Column));
        Assert.Equal((4, 1), (byCall.Line, byCall.Column));
        Assert.All([inTree, inSpec, byCall], error => Assert.EndsWith("children (limit --max-children, ScenarioLimits.MaxChildren)", error.Detail));
    }

    [Fact]
    public void A_file_over_the_size_limit_is_refused_before_it_is_read()
    {
        // Checks Load on a real file and Parse on text: a 100-byte limit refuses the scenario at 1:1 with the byte count limit.
        var path = Path.Combine(Path.GetTempPath(), $"scenario-{Guid.NewGuid():N}.json");
        try
        {
            System.IO.File.WriteAllText(path, Scenario(Tree, Steps(3)));
            var limits = new ScenarioLimits { MaxFileBytes = 100 };

            var fromFile = Assert.Throws<ScenarioFormatException>(() => ScenarioReader.Load(path, limits));
            var fromText = Refused(Scenario(Tree, Steps(3)), limits);

            Assert.Equal($"{path}:1:1: limit exceeded: more than 100 bytes in the file (limit --max-file-bytes, ScenarioLimits.MaxFileBytes)", fromFile.Message);
            Assert.Equal(fromFile.Detail, fromText.Detail);
        }
        finally
        {
            System.IO.File.Delete(path);
        }
    }

    [Theory]
    [InlineData("{\"at\": §4294967295, \"exit\": \"root/db\", \"reason\": \"boom\"}", "\"at\"")]
    [InlineData("{\"at\": §9223372036854775807, \"exit\": \"root/db\", \"reason\": \"boom\"}", "\"at\"")]
    [InlineData("{\"at\": 0, \"stop_delay\": \"root/db\", \"ms\": §9223372036854775807}", "\"ms\"")]
    [InlineData("{\"at\": 0, \"call\": \"start_child\", \"sup\": \"root\", \"spec\": {\"id\": \"x\", \"shutdown\": §4294967295}}", "\"shutdown\"")]
    public void A_time_over_the_limit_is_refused_naming_it(string step, string field)
    {
        // Checks at, ms and a start_child spec's shutdown: one past MaxTimeMs (or far past) is an error at the number that says the limit.
        var error = AtMarker(Scenario(Tree, step), $"must be at most {ScenarioLimits.MaxTimeMs}");
        Assert.Contains(field, error.Detail, StringComparison.Ordinal);
        Assert.Contains("ScenarioLimits.MaxTimeMs", error.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_tree_shutdown_over_the_limit_is_refused_and_one_at_the_limit_is_read()
    {
        // Checks the tree's own shutdown field on both sides of MaxTimeMs.
        var atLimit = ScenarioReader.Parse(Scenario($$"""{"id": "root", "children": [{"id": "a", "shutdown": {{ScenarioLimits.MaxTimeMs}}}]}"""), ScenarioErrors.File);
        Assert.Equal(ScenarioLimits.MaxTimeMs, atLimit.Tree.Children[0].Shutdown!.Value.TimeoutMs);

        AtMarker(Scenario($$"""{"id": "root", "children": [{"id": "a", "shutdown": §{{ScenarioLimits.MaxTimeMs + 1}}}]}"""), "field \"shutdown\" of child \"root/a\" must be at most");
    }

    [Theory]
    [InlineData("{\"id\": \"root\", \"children\": [{\"id\": §\"LONG\"}]}", "", "id")]
    [InlineData(Tree, "{\"at\": 0, \"exit\": \"root/db\", \"reason\": §\"LONG\"}", "reason")]
    [InlineData(Tree, "{\"at\": 0, \"call\": \"terminate_child\", \"sup\": \"root\", \"child\": §\"LONG\"}", "id")]
    [InlineData(Tree, "{\"at\": 0, \"call\": \"start_child\", \"sup\": \"root\", \"spec\": {\"id\": §\"LONG\"}}", "id")]
    public void Ids_and_reasons_longer_than_the_token_limit_are_refused(string tree, string step, string what)
    {
        // Checks every place an id or a reason is written: 256 characters are one too many, and the message quotes only an excerpt.
        var tooLong = new string('x', ScenarioLimits.MaxTokenLength + 1);
        var json = Scenario(tree.Replace("LONG", tooLong, StringComparison.Ordinal), [.. new[] { step.Replace("LONG", tooLong, StringComparison.Ordinal) }.Where(s => s.Length > 0)]);

        var error = AtMarker(json, $"{what} \"{new string('x', Excerpt.MaxLength)}\"... (256 characters) is longer than the limit of 255 characters");

        Assert.True(error.Message.Length < 400, error.Message);
    }

    [Fact]
    public void An_object_wider_than_any_of_the_format_is_refused_at_the_member_over_the_limit()
    {
        // Checks the member limit in an object no reader looks into (an unknown field's value): refused at member 65, on line 2.
        var members = string.Join(", ", Enumerable.Range(0, ScenarioLimits.MaxObjectMembers).Select(i => string.Create(CultureInfo.InvariantCulture, $"\"k{i}\": {i}")));
        var json = "{\"tree\": {\"id\": \"root\"}, \"extra\": {" + members + ",\n§\"one_more\": 0}}";

        AtMarker(json, $"limit exceeded: more than {ScenarioLimits.MaxObjectMembers} members in one object");
    }

    [Fact]
    public void Limits_refuse_values_that_are_not_positive_naming_the_property()
    {
        // Checks the options' own validation at construction.
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new ScenarioLimits { MaxSteps = 0 });
        Assert.Equal("MaxSteps", error.ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => new ScenarioLimits { MaxEngineEvents = -1 });
    }

    [Fact]
    public void A_scenario_keeps_the_limits_it_was_read_with()
    {
        // Checks that the replays can find the limits on the scenario, and that the default is used when none are given.
        var limits = new ScenarioLimits { MaxEngineEvents = 7 };
        Assert.Same(limits, ScenarioReader.Parse(Scenario(Tree), ScenarioErrors.File, limits).Limits);
        Assert.Same(ScenarioLimits.Default, ScenarioReader.Parse(Encoding.UTF8.GetBytes(Scenario(Tree)), ScenarioErrors.File).Limits);
    }
}
