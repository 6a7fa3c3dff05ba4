using Supervision.Runtime;
using Supervision.Simulation.Exploration;
using Supervision.Simulation.Scenarios;

namespace Supervision.Systematic.Tests;

/// <summary>The bugs and where they are hunted.</summary>
internal static class BugHunt
{
    public static Func<SupervisionTreeOptions, SupervisionTreeOptions> Plug(string bug) => bug switch
    {
        "lossy-mailbox" => options => options with { MailboxFactory = () => new BrokenPieces.LossyMailbox() },
        "reordering-mailbox" => options => options with { MailboxFactory = () => new BrokenPieces.ReorderingMailbox() },
        "no-incarnation-check" => options => options with { CompletionMatcher = new BrokenPieces.PathMatcher() },
        _ => throw new ArgumentOutOfRangeException(nameof(bug), bug, "unknown bug"),
    };

    public static Scenario Load(string relativePath) => ScenarioReader.Load(Path.Combine(AppContext.BaseDirectory, relativePath));

    public static SchedulingStrategy Strategy(string name, ulong seed) => name switch
    {
        "random" => new RandomStrategy(seed),
        "pct" => new PctStrategy(seed, depth: 3),
        _ => new BoundedDfsStrategy(2),
    };
}
