using Supervision.Engine;
using Supervision.Simulation.Scenarios;
using Xunit;

namespace Supervision.Engine.Tests.ScenarioParsing;

public sealed class ExampleScenarioTests
{
    /// <summary>The example of docs/SCENARIO-FORMAT.md, verbatim (tests/Docs replays the document's copy against the trace shown there).</summary>
    private const string Example = """
        {
          "name": "orders pipeline: cart crashes twice",
          "tree": {
            "id": "root",
            "strategy": "one_for_one",
            "intensity": 10, "period": 60,
            "children": [
              { "id": "db", "restart": "permanent", "shutdown": 5000 },
              { "id": "orders", "type": "supervisor", "strategy": "rest_for_one", "intensity": 3, "period": 5,
                "children": [
                  { "id": "cart" },
                  { "id": "checkout", "restart": "transient", "shutdown": "brutal_kill" },
                  { "id": "payment", "restart": "temporary", "significant": false }
                ] }
            ]
          },
          "steps": [
            { "at": 0,    "exit": "root/orders/cart", "reason": "boom" },
            { "at": 0,    "fail_start": "root/orders/checkout", "times": 1, "reason": "econnrefused" },
            { "at": 1500, "exit": "root/orders/cart", "reason": "boom" },
            { "at": 2000, "stop_delay": "root/db", "ms": "never" },
            { "at": 3000, "call": "terminate_child", "sup": "root", "child": "db" },
            { "at": 4000, "call": "restart_child", "sup": "root", "child": "db" },
            { "at": 5000, "call": "start_child", "sup": "root", "spec": { "id": "audit", "restart": "transient" } }
          ]
        }
        """;

    [Fact]
    public void The_tree_maps_to_engine_specs_with_the_formats_defaults()
    {
        // Checks that the documented example's tree becomes the expected SupervisorSpec/ChildSpec values, defaults included.
        var scenario = ScenarioReader.Parse(Example, "example.json");

        Assert.Equal("orders pipeline: cart crashes twice", scenario.Name);
        Assert.Equal("root", scenario.RootId);
        Assert.Equal("example.json", scenario.SourceFile);
        var root = scenario.Tree;
        Assert.Equal((RestartStrategy.OneForOne, 10, 60, AutoShutdown.Never), (root.Strategy, root.Intensity, root.PeriodSeconds, root.AutoShutdown));
        Assert.Equal(["db", "orders"], root.Children.Select(c => c.Id));

        var db = root.Children[0];
        Assert.Equal((RestartType.Permanent, ChildType.Worker, false), (db.Restart, db.Type, db.Significant));
        Assert.Equal(ShutdownPolicy.Timeout(5000), db.Shutdown);
        Assert.Null(db.Supervisor);

        var orders = root.Children[1];
        Assert.Equal(ChildType.Supervisor, orders.Type);
        Assert.Null(orders.Shutdown);
        Assert.Equal(ShutdownPolicy.Infinity, orders.EffectiveShutdown);
        var nested = Assert.IsType<SupervisorSpec>(orders.Supervisor);
        Assert.Equal((RestartStrategy.RestForOne, 3, 5, AutoShutdown.Never), (nested.Strategy, nested.Intensity, nested.PeriodSeconds, nested.AutoShutdown));
        Assert.Equal(["cart", "checkout", "payment"], nested.Children.Select(c => c.Id));

        var (cart, checkout, payment) = (nested.Children[0], nested.Children[1], nested.Children[2]);
        Assert.Equal((RestartType.Permanent, ChildType.Worker, (ShutdownPolicy?)null), (cart.Restart, cart.Type, cart.Shutdown));
        Assert.Equal(ShutdownPolicy.DefaultWorker, cart.EffectiveShutdown);
        Assert.Equal((RestartType.Transient, (ShutdownPolicy?)ShutdownPolicy.BrutalKill), (checkout.Restart, checkout.Shutdown));
        Assert.Equal((RestartType.Temporary, false), (payment.Restart, payment.Significant));
        Assert.Empty(root.FindViolations());
    }

    [Fact]
    public void The_steps_are_typed_and_keep_their_positions()
    {
        // Checks each of the example's seven steps: its type, fields, and the line:column of its object.
        var steps = ScenarioReader.Parse(Example, "example.json").Steps;

        Assert.Equal(7, steps.Count);
        Assert.Equal([0L, 0, 1500, 2000, 3000, 4000, 5000], steps.Select(s => s.At));
        Assert.Equal(Enumerable.Range(18, 7), steps.Select(s => s.Position.Line));
        Assert.All(steps, s => Assert.Equal(5, s.Position.Column));
        Assert.Equal(new SourcePosition("example.json", 18, 5), steps[0].Position);

        var exit = Assert.IsType<ExitStep>(steps[0]);
        Assert.Equal(("root/orders/cart", ExitReason.Abnormal("boom")), (exit.Path, exit.Reason));
        var failStart = Assert.IsType<FailStartStep>(steps[1]);
        Assert.Equal(("root/orders/checkout", 1, ExitReason.Abnormal("econnrefused")), (failStart.Path, failStart.Times, failStart.Reason));
        var stopDelay = Assert.IsType<StopDelayStep>(steps[3]);
        Assert.Equal(("root/db", (long?)null, true), (stopDelay.Path, stopDelay.DelayMs, stopDelay.Never));

        var terminate = Assert.IsType<CallStep>(steps[4]);
        Assert.Equal((ScenarioCallKind.TerminateChild, "root", "db"), (terminate.Call, terminate.Sup, terminate.Child));
        Assert.Equal("terminate_child", terminate.CallName);
        Assert.Null(terminate.Spec);
        Assert.Null(terminate.Args);
        Assert.Equal(ScenarioCallKind.RestartChild, Assert.IsType<CallStep>(steps[5]).Call);

        var startChild = Assert.IsType<CallStep>(steps[6]);
        Assert.Equal(ScenarioCallKind.StartChild, startChild.Call);
        var draft = Assert.IsType<ChildSpecDraft>(startChild.Spec);
        Assert.Equal("audit", draft.Id);
        Assert.Equal(new SourcePosition("example.json", 24, 65), draft.Position);
        Assert.True(draft.TryBuild(AutoShutdown.Never, out var built, out _));
        Assert.Equal(("audit", RestartType.Transient), (built.Id, built.Restart));
    }

    [Fact]
    public void Load_reads_a_file_and_names_it_in_the_scenario()
    {
        // Checks that Load reads from disk and that SourceFile (and error positions) use the path given.
        var path = Path.Combine(Path.GetTempPath(), $"scenario-{Guid.NewGuid():N}.json");
        try
        {
            File.WriteAllText(path, Example);
            Assert.Equal(path, ScenarioReader.Load(path).SourceFile);
            File.WriteAllText(path, "{\"tree\": {\"id\": \"root\"}, \"stepz\": []}");
            var error = Assert.Throws<ScenarioFormatException>(() => ScenarioReader.Load(path));
            Assert.Equal($"{path}:1:26: unknown field \"stepz\" in a scenario", error.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_minimal_scenario_gets_every_default()
    {
        // Checks a tree with only an id and no steps: one_for_one, intensity 1, period 5, auto_shutdown never, no children.
        var scenario = ScenarioReader.Parse("""{"tree": {"id": "top"}}""", "min.json");

        Assert.Null(scenario.Name);
        Assert.Equal("top", scenario.RootId);
        Assert.Equal((RestartStrategy.OneForOne, 1, 5, AutoShutdown.Never), (scenario.Tree.Strategy, scenario.Tree.Intensity, scenario.Tree.PeriodSeconds, scenario.Tree.AutoShutdown));
        Assert.Empty(scenario.Tree.Children);
        Assert.Empty(scenario.Steps);
    }
}
