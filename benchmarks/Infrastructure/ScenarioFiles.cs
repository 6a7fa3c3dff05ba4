using Supervision.Simulation.Replay;
using Supervision.Simulation.Scenarios;

namespace Supervision.Benchmarks.Infrastructure;

/// <summary>Finds the repository's scenario files from wherever BenchmarkDotNet runs the benchmark process.</summary>
internal static class ScenarioFiles
{
    private static readonly Dictionary<string, long> EventsByPath = new(StringComparer.Ordinal);

    /// <summary>The repository root: the nearest directory above the running assembly (or the working directory) that holds Supervision.sln.</summary>
    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary>Reads and parses a scenario given relative to the repository root, or a <see cref="SyntheticScenarios"/> one.</summary>
    public static Scenario Load(string relativePath) => relativePath.StartsWith(SyntheticScenarios.Prefix, StringComparison.Ordinal)
        ? ScenarioReader.Parse(SyntheticScenarios.Json(relativePath), relativePath)
        : ScenarioReader.Load(Path.Combine(RepositoryRoot, relativePath));

    /// <summary>The engine events one replay of the scenario handles (deterministic; computed once).</summary>
    public static long EngineEventsOf(string relativePath)
    {
        lock (EventsByPath)
        {
            if (!EventsByPath.TryGetValue(relativePath, out var events))
            {
                events = ScenarioSimulator.Run(Load(relativePath)).EngineEvents;
                EventsByPath[relativePath] = events;
            }
            return events;
        }
    }

    private static string FindRoot()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Supervision.sln")))
                {
                    return dir.FullName;
                }
            }
        }
        throw new DirectoryNotFoundException("Supervision.sln not found above the benchmark's directory; run from inside the repository");
    }
}
