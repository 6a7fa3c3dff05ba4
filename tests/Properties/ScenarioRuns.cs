using System.Globalization;
using System.Text;
using Supervision.Simulation.Generation;
using Supervision.Simulation.Invariants;
using Supervision.Simulation.Replay;
using Supervision.Simulation.Scenarios;

namespace Supervision.Properties.Tests;

/// <summary>Generate, read, run and check one seed; and explain a failing seed so that it can be replayed.</summary>
internal static class ScenarioRuns
{
    /// <summary>Reads a generated scenario back, as <c>supervise replay</c> would.</summary>
    public static Scenario Parse(GeneratedScenario generated) =>
        ScenarioReader.Parse(generated.Json, string.Create(CultureInfo.InvariantCulture, $"seed-{generated.Seed}.json"));

    /// <summary>The invariant violations of one seed's run, plus the run itself; a stuck run is a violation too.</summary>
    public static (SimulationResult Result, IReadOnlyList<InvariantViolation> Violations) RunAndCheck(GeneratedScenario generated)
    {
        var scenario = Parse(generated);
        var result = ScenarioSimulator.Run(scenario);
        var violations = new List<InvariantViolation>(TraceInvariantChecker.Check(scenario, result.Lines));
        if (result.Outcome != RunOutcome.Completed)
        {
            violations.Add(new InvariantViolation(InvariantNames.Completed, result.Lines.Count, $"the run ended {result.Outcome}"));
        }
        return (result, violations);
    }

    /// <summary>
    /// Writes the failing scenario to a temporary file and describes the failure: the seed, the command that
    /// replays it, what broke, and the trace with line numbers (the indices violations refer to).
    /// </summary>
    public static string Explain(GeneratedScenario generated, string problem, SimulationResult? result)
    {
        var file = Path.Combine(Path.GetTempPath(), string.Create(CultureInfo.InvariantCulture, $"supervision-seed-{generated.Seed}.json"));
        File.WriteAllText(file, generated.Json);
        var text = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"seed {generated.Seed} (faults {generated.Faults}) fails:\n{problem}\n")
            .Append(CultureInfo.InvariantCulture, $"replay: dotnet run --project src/Cli -- replay {file}\n")
            .Append(CultureInfo.InvariantCulture, $"regenerate: ScenarioGenerator.Generate({generated.Seed}UL)\n")
            .Append("scenario:\n").Append(generated.Json);
        if (result is not null)
        {
            text.Append("trace:\n");
            for (var i = 0; i < result.Lines.Count; i++)
            {
                text.Append(CultureInfo.InvariantCulture, $"{i,4}: {result.Lines[i]}\n");
            }
        }
        return text.ToString();
    }
}
