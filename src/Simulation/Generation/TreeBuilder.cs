using System.Globalization;

namespace Supervision.Simulation.Generation;

/// <summary>Draws a supervision tree: every strategy, restart type and shutdown mode, intensity 0–10, period 1–60, auto_shutdown with significant children.</summary>
internal sealed class TreeBuilder
{
    // Weights as arrays, not span literals: a constant span of ints is read from the assembly's data with an alignment
    // check, and Coyote's rewriting of this assembly (tests/Systematic) does not keep that data aligned.
    private static readonly int[] RestartWeights = [40, 20, 20, 20];
    private static readonly int[] WorkerShutdownWeights = [25, 20, 40, 15];
    private static readonly int[] SupervisorShutdownWeights = [30, 30, 20, 20];

    private static readonly string[] Strategies = ["one_for_one", "one_for_all", "rest_for_one", "simple_one_for_one"];
    private static readonly string[] AutoShutdowns = ["any_significant", "all_significant"];

    private readonly SplitMix64 _random;
    private readonly int _depth;
    private readonly int _maxChildren;
    private readonly bool _significant;

    public TreeBuilder(SplitMix64 random, int depth, int maxChildren, bool significant)
    {
        _random = random;
        _depth = depth;
        _maxChildren = maxChildren;
        _significant = significant;
    }

    public GenNode BuildRoot()
    {
        var root = new GenNode("root", "root", parent: null, isSupervisor: true);
        FillSupervisor(root, level: 1);
        return root;
    }

    /// <summary>Draws a child of <paramref name="parent"/> (a tree child, or a start_child spec when <paramref name="dynamic"/>).</summary>
    public GenNode BuildChild(GenNode parent, string id, int level, bool dynamic)
    {
        var supervisor = level < _depth && _random.Chance(dynamic ? 15 : 30);
        var node = new GenNode(id, parent.Path + "/" + id, parent, supervisor) { IsDynamic = dynamic };
        node.Restart = _random.Weighted(RestartWeights) switch
        {
            0 => null,
            1 => "permanent",
            2 => "transient",
            _ => "temporary",
        };
        if (parent.AutoShutdown != "never" && node.Restart is "transient" or "temporary")
        {
            node.Significant = _random.Chance(60);
        }
        node.ShutdownJson = supervisor ? SupervisorShutdown() : WorkerShutdown();
        if (supervisor)
        {
            FillSupervisor(node, level + 1);
        }
        return node;
    }

    private void FillSupervisor(GenNode node, int level)
    {
        node.Strategy = _random.Chance(20) ? "simple_one_for_one" : Strategies[_random.Below(3)];
        // Half the supervisors get a small intensity, so that giving up (and escalating) is common.
        node.Intensity = _random.Chance(50) ? _random.Between(0, 3) : _random.Between(0, 10);
        node.Period = _random.Chance(60) ? _random.Between(1, 5) : _random.Between(1, 60);
        node.AutoShutdown = _significant && _random.Chance(50) ? _random.Pick(AutoShutdowns) : "never";
        if (node.IsSimple)
        {
            node.Children.Add(BuildChild(node, "t", level, dynamic: false));
            return;
        }
        var count = _random.Between(1, _maxChildren);
        for (var i = 1; i <= count; i++)
        {
            node.Children.Add(BuildChild(node, string.Create(CultureInfo.InvariantCulture, $"c{i}"), level, dynamic: false));
        }
    }

    private string? WorkerShutdown() => _random.Weighted(WorkerShutdownWeights) switch
    {
        0 => null,
        1 => "\"brutal_kill\"",
        2 => Milliseconds(),
        _ => "\"infinity\"",
    };

    private string? SupervisorShutdown() => _random.Weighted(SupervisorShutdownWeights) switch
    {
        0 => null,
        1 => "\"infinity\"",
        2 => "\"brutal_kill\"",
        _ => Milliseconds(),
    };

    /// <summary>0 now and then (OTP's quirk Q6: the kill follows at once), otherwise up to 2 s.</summary>
    private string Milliseconds() =>
        (_random.Chance(10) ? 0 : _random.Between(1, 20) * 100).ToString(CultureInfo.InvariantCulture);
}
