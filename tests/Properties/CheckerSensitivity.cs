using Supervision.Engine;
using Supervision.Simulation.Generation;
using Supervision.Simulation.Invariants;
using Supervision.Simulation.Replay;
using Supervision.Simulation.Scenarios;
using Xunit;

namespace Supervision.Properties.Tests;

/// <summary>
/// Mutation testing of the checker: real traces of generated scenarios, each broken in one way that some
/// invariant forbids, must be reported. This guards against a checker that passes everything (the generated
/// properties are only as strong as the checker).
/// </summary>
public sealed class CheckerSensitivity
{
    private const int Seeds = 1_500;

    private readonly ITestOutputHelper output;

    public CheckerSensitivity(ITestOutputHelper output)
    {
        this.output = output;
        output.WriteLine(SeedPropertyAttribute.Describe());
    }

    private delegate List<TraceLine>? Mutation(Scenario scenario, List<TraceLine> lines, SplitMix64 random);

    /// <summary>A second <c>start</c> of a live child, right after its first.</summary>
    [SeedProperty(MaxTest = Seeds)]
    public void DuplicatedStartsAreReported(ScenarioSeed seed) => SeedProperty.Holds(Reported(DuplicateStart, seed));

    /// <summary>Two adjacent stops of siblings under a static supervisor, swapped (oldest first).</summary>
    [SeedProperty(MaxTest = Seeds)]
    public void SwappedSiblingStopsAreReported(ScenarioSeed seed) => SeedProperty.Holds(Reported(SwapSiblingStops, seed));

    /// <summary>A <c>stop</c> line of a live child removed: it stays live past its supervisor's end, or starts while live.</summary>
    [SeedProperty(MaxTest = Seeds)]
    public void DroppedStopsAreReported(ScenarioSeed seed) => SeedProperty.Holds(Reported(DropStop, seed));

    /// <summary>A transient child restarted right after a normal exit, or a temporary after any exit, under one_for_one.</summary>
    [SeedProperty(MaxTest = Seeds)]
    public void RestartsOfChildrenThatMustStayDownAreReported(ScenarioSeed seed) => SeedProperty.Holds(Reported(RestartAfterFinalExit, seed));

    /// <summary>A supervisor's give-up report removed right after the child_terminated report that exceeded its intensity (runs without failed restarts).</summary>
    [SeedProperty(MaxTest = Seeds)]
    public void MissingGiveUpsAreReported(ScenarioSeed seed) => SeedProperty.Holds(Reported(DropGiveUp, seed));

    public static TheoryData<string> MutationNames() => [.. Mutations.Keys];

    /// <summary>
    /// The properties above are not vacuous: each mutation applies to more than 100 of the traces of 1,500
    /// generated seeds.
    /// </summary>
    [Theory]
    [MemberData(nameof(MutationNames))]
    public void EachMutationAppliesToEnoughTraces(string mutation)
    {
        var mutate = Mutations[mutation];
        var mutated = DefaultSeeds().Count(seed =>
        {
            var scenario = ScenarioRuns.Parse(SeedProperty.Generate(seed));
            return mutate(scenario, [.. ScenarioSimulator.Run(scenario).Lines], new SplitMix64(seed.Value)) is not null;
        });
        output.WriteLine($"{mutated} of {Seeds} traces mutated by {mutation}");
        Assert.True(mutated > 100, $"only {mutated} traces could be mutated by {mutation}");
    }

    private static readonly Dictionary<string, Mutation> Mutations = new(StringComparer.Ordinal)
    {
        ["duplicate-start"] = DuplicateStart,
        ["swap-sibling-stops"] = SwapSiblingStops,
        ["drop-stop"] = DropStop,
        ["restart-after-final-exit"] = RestartAfterFinalExit,
        ["drop-give-up"] = DropGiveUp,
    };

    /// <summary>1,500 seeds drawn by the properties' generator from the default replay pair (fixed: the count is the same every run).</summary>
    private static IEnumerable<ScenarioSeed> DefaultSeeds() =>
        FsCheck.Fluent.Gen.Sample(ScenarioSeedArbitrary.Seeds().Generator, Seeds, new FsCheck.Rnd(SeedPropertyAttribute.DefaultFsCheckSeed, SeedPropertyAttribute.DefaultGamma), 0);

    /// <summary>Null when the mutation does not apply to the seed's trace or the checker reports the mutated trace; otherwise the explanation.</summary>
    private static string? Reported(Mutation mutate, ScenarioSeed seed)
    {
        var generated = SeedProperty.Generate(seed);
        var scenario = ScenarioRuns.Parse(generated);
        var result = ScenarioSimulator.Run(scenario);
        if (mutate(scenario, [.. result.Lines], new SplitMix64(seed.Value)) is not { } broken)
        {
            return null;
        }
        return TraceInvariantChecker.Check(scenario, broken).Count > 0
            ? null
            : ScenarioRuns.Explain(generated, "the checker found nothing wrong in this mutated trace", result with { Lines = broken });
    }

    private static List<TraceLine>? DropGiveUp(Scenario scenario, List<TraceLine> lines, SplitMix64 random)
    {
        for (var i = 1; i < lines.Count; i++)
        {
            var parts = lines[i].Text.Split(' ');
            // Without failed restarts, so that every restart attempt has its own child_terminated report.
            if (parts.Length > 3 && parts[1] == "report" && parts[3] == "start_error")
            {
                return null;
            }
            if (parts.Length > 3 && parts[1] == "report" && parts[3] == "reached_max_restart_intensity"
                && lines[i - 1].Text.StartsWith($"# report {parts[2]} child_terminated ", StringComparison.Ordinal))
            {
                lines.RemoveAt(i);
                return lines;
            }
        }
        return null;
    }

    private static List<TraceLine>? DuplicateStart(Scenario scenario, List<TraceLine> lines, SplitMix64 random) =>
        Pick(lines, random, i => lines[i].Text.StartsWith("start ", StringComparison.Ordinal)) is { } at
            ? Insert(lines, at + 1, lines[at])
            : null;

    private static List<TraceLine>? SwapSiblingStops(Scenario scenario, List<TraceLine> lines, SplitMix64 random)
    {
        var at = Pick(lines, random, i => i + 1 < lines.Count && IsStop(lines[i]) && IsStop(lines[i + 1]) && Path(lines[i]) != scenario.RootId
            && Parent(lines[i]) == Parent(lines[i + 1]) && !Path(lines[i]).Contains('#', StringComparison.Ordinal));
        if (at is not { } i)
        {
            return null;
        }
        (lines[i], lines[i + 1]) = (lines[i + 1] with { AtMs = lines[i].AtMs }, lines[i] with { AtMs = lines[i + 1].AtMs });
        return lines;
    }

    private static List<TraceLine>? DropStop(Scenario scenario, List<TraceLine> lines, SplitMix64 random)
    {
        var at = Pick(lines, random, i => IsStop(lines[i]) && Path(lines[i]) != scenario.RootId && !ExitedBefore(lines, i));
        if (at is not { } i)
        {
            return null;
        }
        lines.RemoveAt(i);
        return lines;
    }

    private static List<TraceLine>? RestartAfterFinalExit(Scenario scenario, List<TraceLine> lines, SplitMix64 random)
    {
        var at = Pick(lines, random, i =>
        {
            var parts = lines[i].Text.Split(' ');
            if (parts[0] != "exit" || FindChild(scenario, parts[1]) is not { } child || child.Supervisor is not null)
            {
                return false;
            }
            var parent = FindSupervisor(scenario, parts[1][..parts[1].LastIndexOf('/')]);
            var stays = child.Restart == RestartType.Temporary || (child.Restart == RestartType.Transient && IsNormal(parts[2]));
            return stays && parent?.Strategy == RestartStrategy.OneForOne;
        });
        return at is { } i ? Insert(lines, i + 1, new TraceLine(lines[i].AtMs, "start " + Path(lines[i]))) : null;
    }

    /// <summary>
    /// Whether the child stopped at line <paramref name="stop"/> had exited on its own first (a race): then its
    /// stop line is the only trace of the supervisor's reaction, and a trace without it is still possible.
    /// </summary>
    private static bool ExitedBefore(List<TraceLine> lines, int stop)
    {
        var path = Path(lines[stop]);
        for (var i = stop - 1; i >= 0; i--)
        {
            if (lines[i].Text == "start " + path)
            {
                return false;
            }
            if (lines[i].Text.StartsWith("exit " + path + " ", StringComparison.Ordinal))
            {
                return true;
            }
        }
        return false;
    }

    private static bool IsNormal(string reason) => reason is "normal" or "shutdown" || reason.StartsWith("shutdown:", StringComparison.Ordinal);

    /// <summary>The static spec of a path (instances map to their template); null for dynamic children and the root.</summary>
    private static ChildSpec? FindChild(Scenario scenario, string path)
    {
        var segments = path.Split('/');
        var supervisor = scenario.Tree;
        ChildSpec? child = null;
        foreach (var segment in segments.AsSpan(1))
        {
            var id = segment.Split('#')[0];
            child = supervisor?.Children.FirstOrDefault(c => c.Id == id);
            supervisor = child?.Supervisor;
            if (child is null)
            {
                return null;
            }
        }
        return child;
    }

    private static SupervisorSpec? FindSupervisor(Scenario scenario, string path) =>
        path == scenario.RootId ? scenario.Tree : FindChild(scenario, path)?.Supervisor;

    private static bool IsStop(TraceLine line) => line.Text.StartsWith("stop ", StringComparison.Ordinal);

    private static string Path(TraceLine line) => line.Text.Split(' ')[1];

    private static string Parent(TraceLine line) => Path(line)[..Math.Max(0, Path(line).LastIndexOf('/'))];

    private static List<TraceLine> Insert(List<TraceLine> lines, int at, TraceLine line)
    {
        lines.Insert(at, line);
        return lines;
    }

    /// <summary>A random index among those that satisfy <paramref name="fits"/>, or null when none does.</summary>
    private static int? Pick(List<TraceLine> lines, SplitMix64 random, Func<int, bool> fits)
    {
        var candidates = Enumerable.Range(0, lines.Count).Where(i => !lines[i].IsComment && fits(i)).ToList();
        return candidates.Count == 0 ? null : candidates[random.Below(candidates.Count)];
    }
}
