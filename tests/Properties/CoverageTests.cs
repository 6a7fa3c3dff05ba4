using System.Text.RegularExpressions;
using Supervision.Simulation.Replay;
using Xunit;

namespace Supervision.Properties.Tests;

/// <summary>
/// Reachability ("sometimes") checks: the generated runs do reach the states the properties are meant to
/// explore. A generator that never made a supervisor give up, never raced an exit against a termination or
/// never started a simple_one_for_one instance would make every property pass vacuously.
/// </summary>
public sealed class CoverageTests(ITestOutputHelper output)
{
    private static readonly (string Name, Regex Pattern)[] States =
    [
        ("a restart", new Regex(@"^# report \S+ child_terminated ", RegexOptions.Multiline)),
        ("a supervisor giving up", new Regex(@"^# report \S+ reached_max_restart_intensity ", RegexOptions.Multiline)),
        ("a nested supervisor giving up", new Regex(@"^# report \S+/\S+ reached_max_restart_intensity ", RegexOptions.Multiline)),
        ("the root giving up or shutting itself down", new Regex(@"^\d+ exit root shutdown$", RegexOptions.Multiline)),
        ("a race: a child that exited before its stop", new Regex(@"^# report \S+ shutdown_error \S+ (?!killed)", RegexOptions.Multiline)),
        ("a kill after a shutdown timeout or brutal_kill", new Regex(@"^\d+ stop \S+ killed$", RegexOptions.Multiline)),
        ("a failed restart", new Regex(@"^\d+ start_error \S+ ", RegexOptions.Multiline)),
        ("an ignored start", new Regex(@"^\d+ ignore \S+$", RegexOptions.Multiline)),
        ("a simple_one_for_one instance", new Regex(@"^\d+ start \S+#\d+$", RegexOptions.Multiline)),
        ("a start_child adding a static child", new Regex(@"^\d+ reply start_child \S+ ok:\S+/n\d+$", RegexOptions.Multiline)),
        ("a terminate_child", new Regex(@"^\d+ reply terminate_child \S+ ok$", RegexOptions.Multiline)),
        ("a restart_child", new Regex(@"^\d+ reply restart_child \S+ ok:", RegexOptions.Multiline)),
        ("a which_children", new Regex(@"^\d+ reply which_children \S+ \[", RegexOptions.Multiline)),
        ("a call to a supervisor that is not running", new Regex(@" error:noproc$", RegexOptions.Multiline)),
        ("an explicit stop", new Regex(@"^\d+ reply stop root ok$", RegexOptions.Multiline)),
    ];

    [Fact]
    public void GeneratedRunsReachTheInterestingStates()
    {
        const int seeds = 2_000;
        var hits = new int[States.Length];
        for (ulong seed = 0; seed < seeds; seed++)
        {
            var generated = SeedProperty.Generate(seed * 0x9E3779B97F4A7C15UL);
            var trace = ScenarioSimulator.Run(ScenarioRuns.Parse(generated)).TraceText();
            for (var i = 0; i < States.Length; i++)
            {
                hits[i] += States[i].Pattern.IsMatch(trace) ? 1 : 0;
            }
        }
        for (var i = 0; i < States.Length; i++)
        {
            output.WriteLine($"{States[i].Name}: {hits[i]} of {seeds} runs");
        }
        Assert.All(Enumerable.Range(0, States.Length), i => Assert.True(hits[i] >= seeds / 200, $"{States[i].Name} reached in only {hits[i]} of {seeds} runs"));
    }
}
