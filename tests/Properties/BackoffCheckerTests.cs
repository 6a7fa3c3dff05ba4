using System.Globalization;
using Supervision.Simulation.Generation;
using Supervision.Simulation.Invariants;
using Supervision.Simulation.Replay;
using Supervision.Simulation.Scenarios;
using Xunit;

namespace Supervision.Properties.Tests;

/// <summary>
/// The reference model's backoff invariants: generated trees with backoff keep them, and a real trace broken
/// the way a faulty engine would break it (a restart before its delay, a delay that ignores the reset, a
/// delayed restart never made) is reported by name.
/// </summary>
public sealed class BackoffCheckerTests
{
    private const ulong DefaultFirstSeed = 90_000;
    private const int DefaultSeeds = 300;

    // Delays by hand from the formula: attempt 1 = 100, attempt 2 = 200; a:'s third exit follows 1650 ms of
    // uptime (>= reset_after 1000), so it is attempt 1 again: 100.
    private const string Scenario = """
        { "tree": { "id": "root", "strategy": "one_for_one", "intensity": 10, "period": 1,
            "backoff": { "initial_delay": 100, "max_delay": 400, "multiplier": 2, "jitter": 0, "reset_after": 1000 },
            "children": [ { "id": "a" }, { "id": "b" } ] },
          "steps": [
            { "at": 10, "exit": "root/a", "reason": "boom" },
            { "at": 120, "call": "which_children", "sup": "root" },
            { "at": 150, "exit": "root/a", "reason": "boom" },
            { "at": 2000, "exit": "root/a", "reason": "boom" } ] }
        """;

    private static (Scenario Scenario, string Trace) Run()
    {
        var scenario = ScenarioReader.Parse(Scenario, "backoff.json");
        return (scenario, ScenarioSimulator.Run(scenario).TraceText());
    }

    private static IReadOnlyList<InvariantViolation> Check(Scenario scenario, string trace) =>
        TraceInvariantChecker.Check(scenario, CheckerExamples.ParseTrace(trace));

    private static string Replace(string trace, string from, string to)
    {
        Assert.Contains(from, trace, StringComparison.Ordinal);
        var at = trace.IndexOf(from, StringComparison.Ordinal);
        return trace[..at] + to + trace[(at + from.Length)..];
    }

    [Fact]
    public void The_engines_trace_has_the_delays_of_the_formula_and_keeps_every_invariant()
    {
        var (scenario, trace) = Run();
        Assert.Empty(Check(scenario, trace));
        var delays = trace.Split('\n').Where(l => l.Contains(" restart_delayed ", StringComparison.Ordinal)).Select(l => l.Split(' ')[^1]);
        Assert.Equal(["100ms", "200ms", "100ms"], delays);
        Assert.Contains("110 start root/a\n120 reply which_children root [b:running,a:running]\n", trace, StringComparison.Ordinal);
        Assert.Contains("350 start root/a\n", trace, StringComparison.Ordinal);
        Assert.Contains("2100 start root/a\n", trace, StringComparison.Ordinal);
    }

    [Fact]
    public void A_restart_before_its_delay_is_reported()
    {
        var (scenario, trace) = Run();
        var early = Replace(trace, "350 start root/a", "300 start root/a");
        Assert.Contains(Check(scenario, early), v => v.Invariant == BackoffInvariantNames.NotEarly);
    }

    [Fact]
    public void A_delay_that_ignores_the_reset_or_outgrows_its_attempt_is_reported()
    {
        var (scenario, trace) = Run();
        var lastDelay = trace.LastIndexOf("restart_delayed root/a 100ms", StringComparison.Ordinal);
        var noReset = trace[..lastDelay] + "restart_delayed root/a 400ms" + trace[(lastDelay + "restart_delayed root/a 100ms".Length)..];
        Assert.Contains(Check(scenario, noReset), v => v.Invariant == BackoffInvariantNames.DelayBounds);
        var tooLong = Replace(trace, "restart_delayed root/a 200ms", "restart_delayed root/a 201ms");
        Assert.Contains(Check(scenario, tooLong), v => v.Invariant == BackoffInvariantNames.DelayBounds);
    }

    [Fact]
    public void A_delayed_restart_that_never_comes_is_reported()
    {
        var (scenario, trace) = Run();
        var forgotten = Replace(trace, "110 start root/a\n", "");
        Assert.Contains(Check(scenario, forgotten), v => v.Invariant == BackoffInvariantNames.Due);
    }

    [Fact]
    public void A_restart_delayed_report_without_a_backoff_is_reported()
    {
        var (scenario, trace) = Run();
        var plain = ScenarioReader.Parse(PlainScenario, "plain.json");
        Assert.Contains(Check(plain, trace), v => v.Invariant == BackoffInvariantNames.Configured);
    }

    private const string PlainScenario = """
        { "tree": { "id": "root", "strategy": "one_for_one", "intensity": 10, "period": 1,
            "children": [ { "id": "a" }, { "id": "b" } ] } }
        """;

    [Fact]
    public void Generated_trees_all_with_backoff_keep_every_invariant()
    {
        var first = ulong.TryParse(Environment.GetEnvironmentVariable("SUPERVISE_BACKOFF_SEED"), CultureInfo.InvariantCulture, out var s) ? s : DefaultFirstSeed;
        var count = int.TryParse(Environment.GetEnvironmentVariable("SUPERVISE_BACKOFF_COUNT"), CultureInfo.InvariantCulture, out var c) ? c : DefaultSeeds;
        var options = GeneratorOptions.Default with { BackoffPercent = 100 };
        var delayed = 0;
        for (var seed = first; seed < first + (ulong)count; seed++)
        {
            var generated = ScenarioGenerator.Generate(seed, options);
            var (result, violations) = ScenarioRuns.RunAndCheck(generated);
            Assert.True(violations.Count == 0, ScenarioRuns.Explain(generated, string.Join("\n", violations), result)
                + $"\nrerun: SUPERVISE_BACKOFF_SEED={seed} SUPERVISE_BACKOFF_COUNT=1 dotnet test tests/Properties --filter FullyQualifiedName~BackoffCheckerTests");
            delayed += result.Lines.Any(l => l.Text.Contains(" restart_delayed ", StringComparison.Ordinal)) ? 1 : 0;
        }
        Assert.True(delayed > count / 4, $"only {delayed} of {count} generated runs delayed a restart");
    }
}
