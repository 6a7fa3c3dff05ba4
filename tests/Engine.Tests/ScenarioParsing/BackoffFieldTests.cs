using Supervision.Simulation.Scenarios;
using Xunit;
using static Supervision.Engine.Tests.ScenarioParsing.ScenarioErrors;

namespace Supervision.Engine.Tests.ScenarioParsing;

/// <summary>The optional <c>backoff</c> object of a supervisor node: its values are read, and each bad one is refused where it is written.</summary>
public sealed class BackoffFieldTests
{
    private const string Bounds = "4294967294";

    [Theory]
    [InlineData("\"backoff\": §5", "field \"backoff\" of supervisor \"root\" must be an object, got the integer 5")]
    [InlineData("\"backoff\": { §\"delay\": 5 }", "unknown field \"delay\" in field \"backoff\" of supervisor \"root\"")]
    [InlineData("\"backoff\": { \"initial_delay\": §0 }", "field \"initial_delay\" of field \"backoff\" of supervisor \"root\" must be > 0, got 0")]
    [InlineData("\"backoff\": { \"initial_delay\": §4294967295 }", "field \"initial_delay\" of field \"backoff\" of supervisor \"root\" must be at most " + Bounds)]
    [InlineData("\"backoff\": { \"initial_delay\": §1.5 }", "field \"initial_delay\" of field \"backoff\" of supervisor \"root\" must be an integer, got the decimal 1.5")]
    [InlineData("\"backoff\": { \"initial_delay\": 500, \"max_delay\": §499 }", "field \"max_delay\" of field \"backoff\" of supervisor \"root\" must be >= 500, got 499")]
    [InlineData("\"backoff\": { \"multiplier\": §0.5 }", "field \"multiplier\" of field \"backoff\" of supervisor \"root\" must be a number from 1 to 1000, got the decimal 0.5")]
    [InlineData("\"backoff\": { \"multiplier\": §1001 }", "field \"multiplier\" of field \"backoff\" of supervisor \"root\" must be a number from 1 to 1000, got the integer 1001")]
    [InlineData("\"backoff\": { \"jitter\": §2 }", "field \"jitter\" of field \"backoff\" of supervisor \"root\" must be a number from 0 to 1, got the integer 2")]
    [InlineData("\"backoff\": { \"jitter\": §\"0.1\" }", "field \"jitter\" of field \"backoff\" of supervisor \"root\" must be a number from 0 to 1, got the string \"0.1\"")]
    [InlineData("\"backoff\": { \"reset_after\": §-1 }", "field \"reset_after\" of field \"backoff\" of supervisor \"root\" must be > 0, got -1")]
    [InlineData("\"backoff\": { \"seed\": §true }", "field \"seed\" of field \"backoff\" of supervisor \"root\" must be an integer, got true")]
    public void Each_bad_value_is_refused_at_its_position(string field, string fragment)
    {
        // Checks: the object's type, unknown fields, and each field's type and bounds, at the offending value.
        AtMarker("{\"tree\": {\"id\": \"root\", " + field + ", \"children\": [{\"id\": \"a\"}]}}", fragment);
    }

    [Fact]
    public void A_worker_cannot_have_a_backoff()
    {
        AtMarker("{\"tree\": {\"id\": \"root\", \"children\": [{\"id\": \"a\", §\"backoff\": {}}]}}",
            "field \"backoff\" of child \"root/a\" applies to supervisors only");
    }

    [Fact]
    public void The_values_are_read_and_absent_ones_take_the_defaults()
    {
        var scenario = ScenarioReader.Parse("""
            { "tree": { "id": "root", "backoff": { "initial_delay": 250, "multiplier": 1.5, "jitter": 0, "seed": -3 },
              "children": [ { "id": "sub", "strategy": "one_for_all", "backoff": { "max_delay": 900 } }, { "id": "plain", "strategy": "one_for_one" } ] } }
            """, "b.json");
        var root = scenario.Tree.Backoff!;
        Assert.Equal((250L, 30_000L, 1.5, 0.0, 30_000L, -3L), (root.InitialDelayMs, root.MaxDelayMs, root.Multiplier, root.Jitter, root.ResetAfterMs, root.Seed));
        var nested = scenario.Tree.Children[0].Supervisor!.Backoff!;
        Assert.Equal((100L, 900L, 2.0, 0.2), (nested.InitialDelayMs, nested.MaxDelayMs, nested.Multiplier, nested.Jitter));
        Assert.Null(scenario.Tree.Children[1].Supervisor!.Backoff);
    }
}
