using Supervision.Engine;
using Supervision.Simulation.Scenarios;
using Xunit;
using static Supervision.Engine.Tests.ScenarioParsing.ScenarioErrors;

namespace Supervision.Engine.Tests.ScenarioParsing;

public sealed class CallStepTests
{
    [Theory]
    [InlineData("{\"at\": 0, \"call\": §\"restart_all\", \"sup\": \"root\"}", "unknown call \"restart_all\" in call step (step 1) (expected start_child, terminate_child, restart_child, delete_child, which_children, count_children, stop or get_childspec)")]
    [InlineData("{\"at\": 0, \"call\": §7, \"sup\": \"root\"}", "field \"call\" of call step (step 1) must be a string, got the integer 7")]
    [InlineData("§{\"at\": 0, \"call\": \"which_children\"}", "call step (step 1) is missing the required field \"sup\"")]
    [InlineData("{\"at\": 0, \"call\": \"which_children\", \"sup\": §\"root/db\"}", "field \"sup\" of call step (step 1) must name a supervisor, but \"root/db\" is a worker")]
    [InlineData("{\"at\": 0, \"call\": \"count_children\", \"sup\": §\"root/shop\"}", "field \"sup\" of call step (step 1): path \"root/shop\" names nothing")]
    [InlineData("{\"at\": 0, \"call\": \"stop\", \"sup\": §\"root/orders\"}", "field \"sup\" of call step (step 1): stop applies to the root \"root\" only, not to \"root/orders\"")]
    [InlineData("{\"at\": 0, \"call\": \"which_children\", \"sup\": \"root\", §\"child\": \"db\"}", "field \"child\" does not apply to the call which_children")]
    [InlineData("{\"at\": 0, \"call\": \"terminate_child\", \"sup\": \"root\", \"child\": \"db\", §\"spec\": {}}", "field \"spec\" does not apply to the call terminate_child")]
    [InlineData("{\"at\": 0, \"call\": \"stop\", \"sup\": \"root\", §\"args\": []}", "field \"args\" does not apply to the call stop")]
    [InlineData("{\"at\": 0, \"call\": \"restart_child\", \"sup\": \"root\", §\"colour\": \"red\"}", "unknown field \"colour\" in call step (step 1)")]
    [InlineData("§{\"at\": 0, \"call\": \"terminate_child\", \"sup\": \"root\"}", "call step (step 1) is missing the required field \"child\"")]
    [InlineData("{\"at\": 0, \"call\": \"delete_child\", \"sup\": \"root\", \"child\": §\"root/db\"}", "field \"child\" of call step (step 1) must be a child id or an instance name (w#2), got \"root/db\"")]
    [InlineData("§{\"at\": 0, \"call\": \"start_child\", \"sup\": \"root\"}", "call step (step 1) is missing the required field \"spec\"")]
    [InlineData("{\"at\": 0, \"call\": \"start_child\", \"sup\": \"root\", \"spec\": §\"audit\"}", "field \"spec\" of call step (step 1) must be an object, got the string \"audit\"")]
    [InlineData("{\"at\": 0, \"call\": \"start_child\", \"sup\": \"root\", \"spec\": {\"id\": \"a\"}, §\"args\": [1]}", "start_child on the supervisor \"root\" takes \"spec\", not \"args\"")]
    [InlineData("{\"at\": 0, \"call\": \"start_child\", \"sup\": \"root/pool\", §\"spec\": {\"id\": \"a\"}}", "start_child on the simple_one_for_one supervisor \"root/pool\" takes \"args\", not \"spec\"")]
    [InlineData("{\"at\": 0, \"call\": \"start_child\", \"sup\": \"root/pool\", \"args\": §{\"n\": 1}}", "field \"args\" of call step (step 1) must be an array, got an object")]
    public void A_calls_name_supervisor_and_fields_are_checked(string step, string fragment)
    {
        // Checks unknown calls, sup naming a supervisor, stop on the root only, fields that do not apply, child names, and spec versus args.
        AtMarker(Scenario(Tree, step), fragment);
    }

    [Fact]
    public void Calls_are_read_with_their_child_spec_or_arguments()
    {
        // Checks each call's typed fields: child for the child calls, a raw draft for a static start_child, raw argument texts for a pool.
        var steps = ScenarioReader.Parse(Scenario(Tree,
            "{\"at\": 0, \"call\": \"start_child\", \"sup\": \"root/pool\", \"args\": [1, \"a\", {\"k\": [2]}]}",
            "{\"at\": 0, \"call\": \"start_child\", \"sup\": \"root/pool\"}",
            "{\"at\": 0, \"call\": \"start_child\", \"sup\": \"root/orders\", \"spec\": {\"restart\": \"sometimes\"}}",
            "{\"at\": 0, \"call\": \"get_childspec\", \"sup\": \"root\", \"child\": \"nobody\"}",
            "{\"at\": 0, \"call\": \"count_children\", \"sup\": \"root/pool\"}",
            "{\"at\": 9, \"call\": \"stop\", \"sup\": \"root\"}"), "t.json").Steps.Cast<CallStep>().ToList();

        Assert.Equal(["1", "\"a\"", "{\"k\": [2]}"], steps[0].Args!);
        Assert.Null(steps[0].Spec);
        Assert.Empty(steps[1].Args!);
        // A spec OTP would reject is still a valid scenario: the call replies with the error when it runs.
        var draft = steps[2].Spec!;
        Assert.Null(draft.Id);
        Assert.False(draft.TryBuild(AutoShutdown.Never, out _, out var token));
        Assert.Equal("missing_id", token);
        Assert.Equal((ScenarioCallKind.GetChildspec, "root", "nobody"), (steps[3].Call, steps[3].Sup, steps[3].Child));
        Assert.Equal((ScenarioCallKind.CountChildren, "root/pool", (string?)null), (steps[4].Call, steps[4].Sup, steps[4].Child));
        Assert.Equal(["start_child", "start_child", "start_child", "get_childspec", "count_children", "stop"], steps.Select(s => s.CallName));
    }

    [Theory]
    [InlineData(ScenarioCallKind.StartChild, "start_child")]
    [InlineData(ScenarioCallKind.TerminateChild, "terminate_child")]
    [InlineData(ScenarioCallKind.RestartChild, "restart_child")]
    [InlineData(ScenarioCallKind.DeleteChild, "delete_child")]
    [InlineData(ScenarioCallKind.WhichChildren, "which_children")]
    [InlineData(ScenarioCallKind.CountChildren, "count_children")]
    [InlineData(ScenarioCallKind.Stop, "stop")]
    [InlineData(ScenarioCallKind.GetChildspec, "get_childspec")]
    public void Every_call_name_round_trips(ScenarioCallKind call, string name)
    {
        // Checks that each call name in a file reads as its ScenarioCallKind and prints back as the same word.
        var step = (CallStep)ScenarioReader.Parse(Scenario(Tree, CallText(name)), "t.json").Steps[0];
        Assert.Equal((call, name), (step.Call, call.ToToken()));
    }

    private static string CallText(string name) => name switch
    {
        "start_child" => "{\"at\": 0, \"call\": \"start_child\", \"sup\": \"root\", \"spec\": {\"id\": \"x\"}}",
        "terminate_child" or "restart_child" or "delete_child" or "get_childspec" => $"{{\"at\": 0, \"call\": \"{name}\", \"sup\": \"root\", \"child\": \"db\"}}",
        _ => $"{{\"at\": 0, \"call\": \"{name}\", \"sup\": \"root\"}}",
    };
}
