using Supervision.Simulation.Scenarios;
using Xunit;
using static Supervision.Engine.Tests.ScenarioParsing.ScenarioErrors;

namespace Supervision.Engine.Tests.ScenarioParsing;

public sealed class PathTests
{
    [Theory]
    [InlineData("main/db", "path \"main/db\" names nothing: a path starts with the root id \"root\"")]
    [InlineData("db", "path \"db\" names nothing: a path starts with the root id \"root\"")]
    [InlineData("root/nothing", "path \"root/nothing\" names nothing: \"root\" has no child \"nothing\"")]
    [InlineData("root/orders/till", "\"root/orders\" has no child \"till\"")]
    [InlineData("root/db/x", "path \"root/db/x\" names nothing: \"root/db\" is a worker and has no children")]
    [InlineData("root//db", "\"root\" has no child \"\"")]
    [InlineData("root/db/", "\"root/db\" is a worker and has no children")]
    [InlineData("root/db#1", "\"root\" has no child \"db#1\"")]
    [InlineData("root/pool/v", "\"root/pool\" has no child \"v\" (a simple_one_for_one supervisor's children are its template \"w\" and its instances \"w#<n>\", n >= 1)")]
    [InlineData("root/pool/w#0", "has no child \"w#0\"")]
    [InlineData("root/pool/w#01", "has no child \"w#01\"")]
    [InlineData("root/pool/w#", "has no child \"w#\"")]
    [InlineData("root/pool/w#-1", "has no child \"w#-1\"")]
    [InlineData("root/pool/v#1", "has no child \"v#1\"")]
    [InlineData("root/pool/w#1/x", "\"root/pool/w#1\" is a worker and has no children")]
    public void A_path_that_names_nothing_is_rejected_at_the_path(string path, string fragment)
    {
        // Checks wrong roots, unknown ids, children of workers, empty segments, '#' under a static supervisor and malformed instance names.
        AtMarker(Scenario(Tree, $"{{\"at\": 0, \"exit\": §\"{path}\", \"reason\": \"boom\"}}"), fragment);
    }

    [Theory]
    [InlineData("{\"at\": 0, \"exit\": \"root/pool/w#1\", \"reason\": \"boom\"}")]
    [InlineData("{\"at\": 0, \"fail_start\": \"root/pool/w#12\", \"times\": 2, \"reason\": \"econnrefused\"}")]
    [InlineData("{\"at\": 0, \"ignore_start\": \"root/pool/w#3\", \"times\": 1}")]
    [InlineData("{\"at\": 0, \"stop_delay\": \"root/pool/w#2\", \"ms\": \"never\"}")]
    [InlineData("{\"at\": 0, \"fail_start\": \"root/pool/w\", \"times\": 1, \"reason\": \"econnrefused\"}")]
    [InlineData("{\"at\": 0, \"stop_delay\": \"root/pool/w\", \"ms\": 100}")]
    [InlineData("{\"at\": 0, \"call\": \"terminate_child\", \"sup\": \"root/pool\", \"child\": \"w#2\"}")]
    [InlineData("{\"at\": 0, \"call\": \"terminate_child\", \"sup\": \"root/pool\", \"child\": \"w\"}")]
    public void Instance_and_template_paths_are_accepted(string step)
    {
        // Checks that <template id>#<n> names an instance for exit, fail_start, ignore_start, stop_delay and terminate_child, and that the template path is accepted for plans.
        var scenario = ScenarioReader.Parse(Scenario(Tree, step), "t.json");
        Assert.Single(scenario.Steps);
    }

    [Fact]
    public void An_unknown_child_id_in_a_call_is_left_to_the_supervisor()
    {
        // Checks that a call's child is not looked up at load time: OTP answers an unknown one with error:not_found.
        var step = (CallStep)ScenarioReader.Parse(Scenario(Tree, "{\"at\": 0, \"call\": \"restart_child\", \"sup\": \"root/orders\", \"child\": \"ghost\"}"), "t.json").Steps[0];
        Assert.Equal("ghost", step.Child);
    }

    [Fact]
    public void Paths_reach_into_instances_of_a_supervisor_template()
    {
        // Checks that an instance of a supervisor template can be called, and its children named, through '<template>#<n>'.
        const string tree = """{"id": "root", "children": [{"id": "shards", "strategy": "simple_one_for_one", "children": [{"id": "s", "children": [{"id": "x"}]}]}]}""";
        var steps = ScenarioReader.Parse(Scenario(tree,
            "{\"at\": 0, \"exit\": \"root/shards/s#2/x\", \"reason\": \"boom\"}",
            "{\"at\": 0, \"call\": \"which_children\", \"sup\": \"root/shards/s#2\"}"), "t.json").Steps;
        Assert.Equal(2, steps.Count);
        AtMarker(Scenario(tree, "{\"at\": 0, \"exit\": §\"root/shards/s#1\", \"reason\": \"boom\"}"), "is aimed at the supervisor \"root/shards/s#1\"");
    }

    [Fact]
    public void A_child_added_by_start_child_can_be_named_by_later_steps()
    {
        // Checks that a valid start_child spec declares its child (and its subtree) for the steps after it.
        var steps = ScenarioReader.Parse(Scenario(Tree,
            "{\"at\": 0, \"call\": \"start_child\", \"sup\": \"root/orders\", \"spec\": {\"id\": \"audit\", \"children\": [{\"id\": \"log\"}]}}",
            "{\"at\": 1, \"exit\": \"root/orders/audit/log\", \"reason\": \"boom\"}",
            "{\"at\": 2, \"call\": \"which_children\", \"sup\": \"root/orders/audit\"}"), "t.json").Steps;
        Assert.Equal(3, steps.Count);
    }

    [Fact]
    public void A_child_is_unknown_before_the_start_child_that_adds_it()
    {
        // Checks that declaration follows file order: naming the child before its start_child step names nothing.
        AtMarker(Scenario(Tree,
                "{\"at\": 0, \"exit\": §\"root/audit\", \"reason\": \"boom\"}",
                "{\"at\": 1, \"call\": \"start_child\", \"sup\": \"root\", \"spec\": {\"id\": \"audit\"}}"),
            "path \"root/audit\" names nothing");
    }

    [Fact]
    public void A_start_child_spec_that_OTP_would_reject_declares_nothing()
    {
        // Checks that an invalid spec (here significant under auto_shutdown never) does not make its id nameable.
        AtMarker(Scenario(Tree,
                "{\"at\": 0, \"call\": \"start_child\", \"sup\": \"root\", \"spec\": {\"id\": \"audit\", \"restart\": \"transient\", \"significant\": true}}",
                "{\"at\": 1, \"exit\": §\"root/audit\", \"reason\": \"boom\"}"),
            "path \"root/audit\" names nothing");
    }
}
