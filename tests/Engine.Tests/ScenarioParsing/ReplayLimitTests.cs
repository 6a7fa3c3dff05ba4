using System.Globalization;
using Supervision.Simulation.Replay;
using Supervision.Simulation.RuntimeReplay;
using Supervision.Simulation.Scenarios;
using Xunit;

namespace Supervision.Engine.Tests.ScenarioParsing;

/// <summary>The replays' limits (engine events, trace length) and the cost of long runs.</summary>
public sealed class ReplayLimitTests
{
    /// <summary>
    /// The issue's 188-byte file, in spirit: a huge intensity and a start that fails two billion times make a
    /// restart loop that, unbounded, ran for 20 s into 1.6 GB (and forever through the runtime).
    /// </summary>
    private const string RestartLoop = """
        {"tree": {"id": "r", "intensity": 2000000000, "period": 1, "children": [{"id": "a"}]},
         "steps": [{"at": 0, "fail_start": "r/a", "times": 2000000000, "reason": "x"}, {"at": 0, "exit": "r/a", "reason": "x"}]}
        """;

    private static Scenario Read(string json, ScenarioLimits limits) => ScenarioReader.Parse(json, "loop.json", limits);

    [Fact]
    public void A_restart_loop_stops_at_the_engine_event_limit_with_no_trace()
    {
        // Checks that the engine replay throws the limit error (naming option and property) instead of running on.
        var error = Assert.Throws<ScenarioLimitExceededException>(() => ScenarioSimulator.Run(Read(RestartLoop, new ScenarioLimits { MaxEngineEvents = 1000 })));

        Assert.Equal("loop.json: limit exceeded: more than 1000 engine events (limit --max-events, ScenarioLimits.MaxEngineEvents)", error.Message);
        Assert.Equal(error.Message, error.ToString());
    }

    [Fact]
    public void A_restart_loop_stops_at_the_trace_limit_when_that_comes_first()
    {
        // Checks the trace-length limit: each failed restart prints a line of about 20 characters, so 2000 characters come long before 10^6 events.
        var error = Assert.Throws<ScenarioLimitExceededException>(() => ScenarioSimulator.Run(Read(RestartLoop, new ScenarioLimits { MaxTraceLength = 2000 })));
        Assert.Contains("more than 2000 characters of trace (limit --max-trace-length, ScenarioLimits.MaxTraceLength)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_restart_loop_through_the_runtime_stops_too()
    {
        // Checks the runtime replay, whose supervisor runs the whole loop inside one work item: the runner's count of notices ends it.
        var error = Assert.Throws<ScenarioLimitExceededException>(() => RuntimeScenarioRunner.Run(Read(RestartLoop, new ScenarioLimits { MaxEngineEvents = 1000 })));
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"more than {1000 * ScenarioLimits.RuntimeWorkItemsPerEvent} runtime steps"), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_run_within_the_limits_is_not_affected()
    {
        // Checks a bundled example under limits just above what it needs: the same trace as with the defaults.
        var path = Path.Combine(AppContext.BaseDirectory, "examples", "gameserver.json");
        var expected = ScenarioSimulator.Run(ScenarioReader.Load(path));
        var tight = new ScenarioLimits { MaxEngineEvents = expected.EngineEvents, MaxTraceLength = expected.TraceText().Length };

        Assert.Equal(expected.TraceText(), ScenarioSimulator.Run(ScenarioReader.Load(path, tight)).TraceText());
        Assert.Equal(expected.TraceText(), RuntimeScenarioRunner.Run(ScenarioReader.Load(path, tight)).TraceText());
    }

    [Fact]
    public void Times_at_the_limit_replay_the_same_through_the_engine_and_the_runtime()
    {
        // Checks the largest at, ms and shutdown together: no overflow in either driver, and one trace (the kill lands at 2 x MaxTimeMs).
        var max = ScenarioLimits.MaxTimeMs;
        var json = $$"""
            {"tree": {"id": "r", "children": [{"id": "a", "shutdown": {{max}}}]},
             "steps": [{"at": {{max}}, "stop_delay": "r/a", "ms": {{max}}}, {"at": {{max}}, "call": "terminate_child", "sup": "r", "child": "a"}]}
            """;
        var scenario = ScenarioReader.Parse(json, "edge.json");

        var engine = ScenarioSimulator.Run(scenario).TraceText();

        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"{2 * max} stop r/a killed"), engine, StringComparison.Ordinal);
        Assert.Equal(engine, RuntimeScenarioRunner.Run(scenario).TraceText());
    }

    [Fact]
    public void A_long_run_of_restarts_keeps_only_running_children_in_the_simulator()
    {
        // Checks what made replay quadratic in steps for one child: every exited incarnation stayed in its supervisor's table
        // (and each exit step scanned the table). After 10 000 crashes and the final shutdown, nothing is left.
        var steps = string.Join(",", Enumerable.Range(0, 10_000).Select(i =>
            string.Create(CultureInfo.InvariantCulture, $"{{\"at\": {i * 10}, \"exit\": \"r/a\", \"reason\": \"boom\"}}")));
        var scenario = ScenarioReader.Parse($$"""{"tree": {"id": "r", "intensity": 100000, "children": [{"id": "a"}]}, "steps": [{{steps}}]}""", "long.json");

        var result = ScenarioSimulator.RunCountingTracked(scenario, out var tracked);

        Assert.Equal(RunOutcome.Completed, result.Outcome);
        Assert.Equal(10_000, result.Lines.Count(line => line.Text == "exit r/a boom"));
        Assert.Equal(0, tracked);
    }
}
