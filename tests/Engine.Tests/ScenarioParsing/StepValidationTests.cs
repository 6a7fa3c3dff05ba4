using Supervision.Engine;
using Supervision.Simulation.Scenarios;
using Xunit;
using static Supervision.Engine.Tests.ScenarioParsing.ScenarioErrors;

namespace Supervision.Engine.Tests.ScenarioParsing;

public sealed class StepValidationTests
{
    [Theory]
    [InlineData("{\"at\": 0, §\"crash\": \"root/db\"}", "unknown step kind \"crash\" in step 1 (expected exit, fail_start, ignore_start, stop_delay or call)")]
    [InlineData("{\"at\": 0, §\"Exit\": \"root/db\", \"reason\": \"boom\"}", "unknown step kind \"Exit\"")]
    [InlineData("§{\"at\": 0, \"reason\": \"boom\"}", "step 1 says nothing to do: give one of exit, fail_start, ignore_start, stop_delay or call")]
    [InlineData("{\"at\": 0, \"exit\": \"root/db\", §\"fail_start\": \"root/db\", \"reason\": \"boom\"}", "step 1 has both \"exit\" and \"fail_start\"; a step does exactly one thing")]
    [InlineData("§[0, \"exit\"]", "step 1 must be an object, got an array")]
    public void A_step_must_say_exactly_one_known_thing(string step, string fragment)
    {
        // Checks unknown step kinds (names are case-sensitive), a step with no kind, a step with two kinds, and a step that is not an object.
        AtMarker(Scenario(Tree, step), fragment);
    }

    [Theory]
    [InlineData("{\"at\": 0, \"exit\": \"root/db\", \"reason\": \"boom\", §\"times\": 2}", "unknown field \"times\" in exit step (step 1)")]
    [InlineData("§{\"exit\": \"root/db\", \"reason\": \"boom\"}", "exit step (step 1) is missing the required field \"at\"")]
    [InlineData("{\"at\": §-1, \"exit\": \"root/db\", \"reason\": \"boom\"}", "field \"at\" of exit step (step 1) must be >= 0, got -1")]
    [InlineData("{\"at\": §1.5, \"exit\": \"root/db\", \"reason\": \"boom\"}", "field \"at\" of exit step (step 1) must be an integer, got the decimal 1.5")]
    [InlineData("{\"at\": §\"0\", \"exit\": \"root/db\", \"reason\": \"boom\"}", "must be an integer, got the string \"0\"")]
    [InlineData("§{\"at\": 0, \"exit\": \"root/db\"}", "exit step (step 1) is missing the required field \"reason\"")]
    [InlineData("{\"at\": 0, \"exit\": \"root/db\", \"reason\": §\"two words\"}", "field \"reason\" of exit step (step 1): an exit reason must be a single token")]
    [InlineData("{\"at\": 0, \"exit\": \"root/db\", \"reason\": §3}", "field \"reason\" of exit step (step 1) must be a string, got the integer 3")]
    [InlineData("{\"at\": 0, \"exit\": §[\"root\", \"db\"], \"reason\": \"boom\"}", "field \"exit\" of exit step (step 1) must be a string, got an array")]
    [InlineData("{\"at\": 0, \"fail_start\": \"root/db\", \"times\": §0, \"reason\": \"boom\"}", "field \"times\" of fail_start step (step 1) must be > 0, got 0")]
    [InlineData("§{\"at\": 0, \"fail_start\": \"root/db\", \"reason\": \"boom\"}", "fail_start step (step 1) is missing the required field \"times\"")]
    [InlineData("{\"at\": 0, \"ignore_start\": \"root/db\", \"times\": §1.0}", "field \"times\" of ignore_start step (step 1) must be an integer, got the decimal 1.0")]
    [InlineData("{\"at\": 0, \"ignore_start\": \"root/db\", \"times\": 1, §\"reason\": \"x\"}", "unknown field \"reason\" in ignore_start step (step 1)")]
    [InlineData("{\"at\": 0, \"stop_delay\": \"root/db\", \"ms\": §-5}", "field \"ms\" of stop_delay step (step 1) must be >= 0, got -5")]
    [InlineData("{\"at\": 0, \"stop_delay\": \"root/db\", \"ms\": §\"forever\"}", "field \"ms\" of stop_delay step (step 1) must be milliseconds >= 0 or \"never\", got the string \"forever\"")]
    public void Each_step_kinds_fields_are_checked(string step, string fragment)
    {
        // Checks unknown fields, the required at / reason / times / ms, their types and ranges, and reason tokens.
        AtMarker(Scenario(Tree, step), fragment);
    }

    [Fact]
    public void At_must_not_decrease()
    {
        // Checks that a step earlier than the one before it is rejected at its "at", while equal times are fine.
        AtMarker(Scenario(Tree,
                "{\"at\": 1000, \"exit\": \"root/db\", \"reason\": \"boom\"}",
                "{\"at\": 1000, \"exit\": \"root/db\", \"reason\": \"boom\"}",
                "{\"at\": §999, \"exit\": \"root/db\", \"reason\": \"boom\"}"),
            "field \"at\" of exit step (step 3) is 999, before the previous step's 1000: \"at\" must not decrease");
    }

    [Theory]
    [InlineData("{\"at\": 0, \"exit\": §\"root/orders\", \"reason\": \"boom\"}", "field \"exit\" of exit step (step 1) is aimed at the supervisor \"root/orders\"; exit applies to workers only")]
    [InlineData("{\"at\": 0, \"exit\": §\"root\", \"reason\": \"boom\"}", "is aimed at the supervisor \"root\"")]
    [InlineData("{\"at\": 0, \"stop_delay\": §\"root/pool\", \"ms\": 10}", "field \"stop_delay\" of stop_delay step (step 1) is aimed at the supervisor \"root/pool\"; stop_delay applies to workers only")]
    [InlineData("{\"at\": 0, \"exit\": §\"root/pool/w\", \"reason\": \"boom\"}", "field \"exit\" of exit step (step 1) names the simple_one_for_one template \"root/pool/w\", which never runs; name an instance, \"root/pool/w#<n>\"")]
    [InlineData("{\"at\": 0, \"fail_start\": §\"root\", \"times\": 1, \"reason\": \"boom\"}", "field \"fail_start\" of fail_start step (step 1) names the root \"root\", which is started before any step")]
    public void Exit_and_stop_delay_aim_at_workers_and_start_plans_not_at_the_root(string step, string fragment)
    {
        // Checks the format's rule that exit and stop_delay name workers, that an exit names a running instance rather than a template, and that a start plan for the root is refused.
        AtMarker(Scenario(Tree, step), fragment);
    }

    [Fact]
    public void Each_step_kind_is_read_into_its_typed_record()
    {
        // Checks the typed fields of each step kind, including stop_delay in milliseconds and fail_start on a supervisor child.
        var steps = ScenarioReader.Parse(Scenario(Tree,
            "{\"at\": 0, \"exit\": \"root/db\", \"reason\": \"shutdown:maintenance\"}",
            "{\"at\": 5, \"fail_start\": \"root/orders\", \"times\": 3, \"reason\": \"normal\"}",
            "{\"at\": 5, \"ignore_start\": \"root/orders/cart\", \"times\": 2}",
            "{\"at\": 7, \"stop_delay\": \"root/db\", \"ms\": 250}"), "t.json").Steps;

        Assert.Equal(("root/db", ExitReason.ShutdownWith("maintenance")), (((ExitStep)steps[0]).Path, ((ExitStep)steps[0]).Reason));
        Assert.Equal(("root/orders", 3, ExitReason.Normal), (((FailStartStep)steps[1]).Path, ((FailStartStep)steps[1]).Times, ((FailStartStep)steps[1]).Reason));
        Assert.Equal(("root/orders/cart", 2), (((IgnoreStartStep)steps[2]).Path, ((IgnoreStartStep)steps[2]).Times));
        var delay = (StopDelayStep)steps[3];
        Assert.Equal((250L, false), (delay.DelayMs, delay.Never));
        Assert.Equal(["exit", "fail_start", "ignore_start", "stop_delay"], steps.Select(s => s.KindName));
        Assert.Equal([3, 4, 5, 6], steps.Select(s => s.Position.Line));
    }
}
