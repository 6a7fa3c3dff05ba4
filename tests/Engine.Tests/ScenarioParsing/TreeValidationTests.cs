using Supervision.Engine;
using Supervision.Simulation.Scenarios;
using Xunit;
using static Supervision.Engine.Tests.ScenarioParsing.ScenarioErrors;

namespace Supervision.Engine.Tests.ScenarioParsing;

public sealed class TreeValidationTests
{
    [Theory]
    [InlineData("§[]", "a scenario must be an object, got an array")]
    [InlineData("§{\"name\": \"x\"}", "a scenario is missing the required field \"tree\"")]
    [InlineData("{\"tree\": {\"id\": \"root\"}, §\"extra\": 1}", "unknown field \"extra\" in a scenario")]
    [InlineData("{\"name\": §7, \"tree\": {\"id\": \"root\"}}", "field \"name\" of a scenario must be a string, got the integer 7")]
    [InlineData("{\"tree\": §\"root\"}", "the tree must be an object, got the string \"root\"")]
    [InlineData("{\"tree\": {\"id\": \"root\"}, \"steps\": §{}}", "field \"steps\" of the scenario must be an array, got an object")]
    public void The_top_level_shape_is_checked(string json, string fragment)
    {
        // Checks the scenario object itself: its type, the required tree, unknown fields, and the types of name, tree and steps.
        AtMarker(json, fragment);
    }

    [Theory]
    [InlineData("§{\"strategy\": \"one_for_one\"}", "the tree is missing the required field \"id\"")]
    [InlineData("{\"id\": §5}", "field \"id\" of the tree must be a string, got the integer 5")]
    [InlineData("{\"id\": §\"a/b\"}", "must not contain whitespace or any of / # : , [ ]")]
    [InlineData("{\"id\": §\"\"}", "an id must not be empty")]
    [InlineData("{\"id\": \"root\", §\"restart\": \"permanent\"}", "field \"restart\" does not apply to the root supervisor")]
    [InlineData("{\"id\": \"root\", \"type\": §\"worker\"}", "field \"type\" of the tree must be \"supervisor\"")]
    [InlineData("{\"id\": \"root\", §\"colour\": \"red\"}", "unknown field \"colour\" in the tree")]
    [InlineData("{\"id\": \"root\", \"strategy\": §\"one_for_some\"}", "field \"strategy\" of supervisor \"root\" must be one_for_one, one_for_all, rest_for_one or simple_one_for_one, got \"one_for_some\"")]
    [InlineData("{\"id\": \"root\", \"auto_shutdown\": §\"sometimes\"}", "field \"auto_shutdown\" of supervisor \"root\" must be never, any_significant or all_significant")]
    [InlineData("{\"id\": \"root\", \"intensity\": §1.5}", "field \"intensity\" of supervisor \"root\" must be an integer, got the decimal 1.5")]
    [InlineData("{\"id\": \"root\", \"intensity\": §\"3\"}", "field \"intensity\" of supervisor \"root\" must be an integer, got the string \"3\"")]
    [InlineData("{\"id\": \"root\", \"intensity\": §-1}", "field \"intensity\" of supervisor \"root\" must be >= 0, got -1")]
    [InlineData("{\"id\": \"root\", \"intensity\": §4294967296}", "field \"intensity\" of supervisor \"root\" must be at most 2147483647")]
    [InlineData("{\"id\": \"root\", \"period\": §0}", "field \"period\" of supervisor \"root\" must be > 0, got 0")]
    [InlineData("{\"id\": \"root\", \"period\": §-5}", "field \"period\" of supervisor \"root\" must be > 0, got -5")]
    [InlineData("{\"id\": \"root\", \"children\": §{}}", "field \"children\" of supervisor \"root\" must be an array, got an object")]
    [InlineData("{\"id\": \"root\", \"children\": [§\"db\"]}", "child 1 of \"root\" must be an object, got the string \"db\"")]
    public void The_root_supervisors_fields_are_checked(string tree, string fragment)
    {
        // Checks the root node: required id, id characters, root-only rules, unknown fields, and each flag's type and range.
        AtMarker("{\"tree\": " + tree + "}", fragment);
    }

    [Theory]
    [InlineData("§{}", "child 1 of \"root\" is missing the required field \"id\"")]
    [InlineData("{\"id\": \"a\", §\"start\": \"m:f\"}", "unknown field \"start\" in child 1 of \"root\"")]
    [InlineData("{\"id\": \"a\", \"restart\": §\"always\"}", "field \"restart\" of child \"root/a\" must be permanent, transient or temporary, got \"always\"")]
    [InlineData("{\"id\": \"a\", \"shutdown\": §-1}", "field \"shutdown\" of child \"root/a\" must be \"brutal_kill\", \"infinity\" or milliseconds >= 0, got the integer -1")]
    [InlineData("{\"id\": \"a\", \"shutdown\": §\"forever\"}", "field \"shutdown\" of child \"root/a\" must be \"brutal_kill\", \"infinity\" or milliseconds >= 0")]
    [InlineData("{\"id\": \"a\", \"shutdown\": §2.5}", "got the decimal 2.5")]
    [InlineData("{\"id\": \"a\", \"type\": §\"process\"}", "field \"type\" of child \"root/a\" must be worker or supervisor, got \"process\"")]
    [InlineData("{\"id\": \"a\", \"significant\": §\"yes\"}", "field \"significant\" of child \"root/a\" must be true or false, got the string \"yes\"")]
    [InlineData("{\"id\": \"a\", §\"intensity\": 3}", "field \"intensity\" of child \"root/a\" applies to supervisors only")]
    [InlineData("{\"id\": \"a\", \"type\": §\"worker\", \"strategy\": \"one_for_one\"}", "field \"type\" of child \"root/a\" is \"worker\", but the node has \"strategy\" or \"children\"")]
    [InlineData("{\"id\": \"a\", \"type\": \"supervisor\", \"period\": §0}", "field \"period\" of child \"root/a\" must be > 0, got 0")]
    public void A_childs_fields_are_checked(string child, string fragment)
    {
        // Checks a child node: required id, unknown fields, each field's token or range, and supervisor-only fields on workers.
        AtMarker("{\"tree\": {\"id\": \"root\", \"children\": [" + child + "]}}", fragment);
    }

    [Fact]
    public void Duplicate_sibling_ids_are_reported_at_the_second_id()
    {
        // Checks that two siblings with one id are rejected at the repeated id, naming the parent and the first occurrence.
        var error = AtMarker("{\"tree\": {\"id\": \"root\", \"children\": [{\"id\": \"a\"}, {\"id\": §\"a\"}]}}", "duplicate id \"a\" among the children of \"root\"");
        Assert.Contains("(first at line 1, column 45)", error.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void The_same_id_under_different_parents_is_allowed()
    {
        // Checks that uniqueness is per sibling list, not per tree.
        var scenario = ScenarioReader.Parse("{\"tree\": {\"id\": \"root\", \"children\": [{\"id\": \"a\"}, {\"id\": \"s\", \"children\": [{\"id\": \"a\"}]}]}}", "t.json");
        Assert.Equal("a", scenario.Tree.Children[1].Supervisor!.Children[0].Id);
    }

    [Fact]
    public void A_significant_child_under_auto_shutdown_never_is_rejected()
    {
        // Checks OTP's bad_combination {auto_shutdown, never}: reported at the significant value.
        AtMarker("{\"tree\": {\"id\": \"root\", \"children\": [{\"id\": \"a\", \"restart\": \"transient\", \"significant\": §true}]}}",
            "field \"significant\" of child \"root/a\" is true, but its supervisor \"root\" has auto_shutdown never");
    }

    [Fact]
    public void A_significant_permanent_child_is_rejected()
    {
        // Checks OTP's bad_combination {restart, permanent}, under a supervisor whose auto_shutdown allows significant children.
        AtMarker("{\"tree\": {\"id\": \"root\", \"auto_shutdown\": \"any_significant\", \"children\": [{\"id\": \"a\", \"significant\": §true}]}}",
            "a permanent child cannot be significant");
    }

    [Fact]
    public void A_significant_transient_child_under_auto_shutdown_is_accepted()
    {
        // Checks the valid combination: transient + significant under all_significant.
        var scenario = ScenarioReader.Parse("{\"tree\": {\"id\": \"root\", \"auto_shutdown\": \"all_significant\", \"children\": [{\"id\": \"a\", \"restart\": \"transient\", \"significant\": true}]}}", "t.json");
        Assert.Equal(AutoShutdown.AllSignificant, scenario.Tree.AutoShutdown);
        Assert.True(scenario.Tree.Children[0].Significant);
    }

    [Theory]
    [InlineData("\"children\": §[]", "got 0")]
    [InlineData("\"children\": §[{\"id\": \"w\"}, {\"id\": \"v\"}]", "got 2")]
    public void A_simple_one_for_one_supervisor_needs_exactly_one_child(string children, string fragment)
    {
        // Checks the template rule, reported at the children list.
        AtMarker("{\"tree\": {\"id\": \"root\", \"children\": [{\"id\": \"pool\", \"strategy\": \"simple_one_for_one\", " + children + "}]}}",
            "simple_one_for_one supervisor \"root/pool\" needs exactly one child in \"children\" (the template), " + fragment);
    }

    [Fact]
    public void A_simple_one_for_one_supervisor_without_children_is_reported_at_the_node()
    {
        // Checks that a missing children list counts as zero templates, and the error points at the supervisor's object.
        AtMarker("{\"tree\": {\"id\": \"root\", \"children\": [§{\"id\": \"pool\", \"strategy\": \"simple_one_for_one\"}]}}", "got 0");
    }

    [Fact]
    public void A_node_is_a_supervisor_when_it_has_a_strategy_children_or_type_supervisor()
    {
        // Checks the three ways to make a supervisor child, and that a supervisor gets a nested spec with default flags.
        var tree = ScenarioReader.Parse("""
            {"tree": {"id": "root", "children": [
              {"id": "a", "strategy": "one_for_all"},
              {"id": "b", "children": [{"id": "x"}]},
              {"id": "c", "type": "supervisor", "shutdown": 100},
              {"id": "d", "type": "worker"}
            ]}}
            """, "t.json").Tree;

        Assert.Equal([ChildType.Supervisor, ChildType.Supervisor, ChildType.Supervisor, ChildType.Worker], tree.Children.Select(c => c.Type));
        Assert.Equal(RestartStrategy.OneForAll, tree.Children[0].Supervisor!.Strategy);
        Assert.Equal((RestartStrategy.OneForOne, 1, 5), (tree.Children[1].Supervisor!.Strategy, tree.Children[1].Supervisor!.Intensity, tree.Children[1].Supervisor!.PeriodSeconds));
        Assert.Empty(tree.Children[2].Supervisor!.Children);
        Assert.Equal(ShutdownPolicy.Timeout(100), tree.Children[2].Shutdown);
        Assert.Null(tree.Children[3].Supervisor);
    }

    [Theory]
    [InlineData("\"brutal_kill\"", ShutdownKind.BrutalKill, 0)]
    [InlineData("\"infinity\"", ShutdownKind.Infinity, 0)]
    [InlineData("0", ShutdownKind.Timeout, 0)]
    [InlineData("2500", ShutdownKind.Timeout, 2500)]
    public void Shutdown_accepts_brutal_kill_infinity_and_milliseconds(string value, ShutdownKind kind, long timeoutMs)
    {
        // Checks the three shutdown forms, including 0 (valid in OTP).
        var child = ScenarioReader.Parse("{\"tree\": {\"id\": \"root\", \"children\": [{\"id\": \"a\", \"shutdown\": " + value + "}]}}", "t.json").Tree.Children[0];
        Assert.Equal((kind, timeoutMs), (child.Shutdown!.Value.Kind, child.Shutdown!.Value.TimeoutMs));
    }
}
