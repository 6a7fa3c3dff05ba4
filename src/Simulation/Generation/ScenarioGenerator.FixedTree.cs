using System.Globalization;
using Supervision.Engine;

namespace Supervision.Simulation.Generation;

/// <summary>Schedules over a tree the user gives (their own supervision tree, checked in their CI).</summary>
public static partial class ScenarioGenerator
{
    /// <summary>Generates a schedule of faults and calls over <paramref name="tree"/> for <paramref name="seed"/>.</summary>
    /// <param name="tree">The user's tree (validated).</param>
    /// <param name="rootId">The root's id: the first segment of every path.</param>
    /// <param name="seed">The seed; it decides the fault mix and every step.</param>
    /// <param name="options">Bounds; the tree-shape bounds only affect children added by start_child.</param>
    /// <exception cref="ArgumentException">The tree or the options are invalid.</exception>
    public static GeneratedScenario GenerateFor(SupervisorSpec tree, string rootId, ulong seed, GeneratorOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(tree);
        ArgumentException.ThrowIfNullOrEmpty(rootId);
        tree.Validate(rootId);
        options ??= GeneratorOptions.Default;
        options.Validate();
        var random = new SplitMix64(seed);
        var faults = DrawFaults(random, options.AllowedFaults);
        var root = new GenNode(rootId, rootId, parent: null, isSupervisor: true);
        Fill(root, tree);
        var trees = new TreeBuilder(random, options.MaxDepth, options.MaxChildren, (faults & FaultKinds.Significant) != 0);
        var steps = new ScheduleBuilder(random, root, trees, faults).Build(options.MaxSteps);
        return new GeneratedScenario(seed, Write(seed, faults, root, steps), faults);
    }

    private static void Fill(GenNode node, SupervisorSpec spec)
    {
        node.Strategy = spec.Strategy switch
        {
            RestartStrategy.OneForAll => "one_for_all",
            RestartStrategy.RestForOne => "rest_for_one",
            RestartStrategy.SimpleOneForOne => "simple_one_for_one",
            _ => "one_for_one",
        };
        node.Intensity = spec.Intensity;
        node.BackoffJson = BackoffDrawer.Json(spec.Backoff);
        node.Period = spec.PeriodSeconds;
        node.AutoShutdown = spec.AutoShutdown switch
        {
            AutoShutdown.AnySignificant => "any_significant",
            AutoShutdown.AllSignificant => "all_significant",
            _ => "never",
        };
        foreach (var child in spec.Children)
        {
            var nested = child.EffectiveType == ChildType.Supervisor;
            var childNode = new GenNode(child.Id, node.Path + "/" + child.Id, node, nested)
            {
                Restart = child.Restart.ToString().ToLowerInvariant(),
                Significant = child.Significant,
                ShutdownJson = child.Shutdown is { } shutdown
                    ? shutdown.Kind switch
                    {
                        ShutdownKind.BrutalKill => "\"brutal_kill\"",
                        ShutdownKind.Infinity => "\"infinity\"",
                        _ => shutdown.TimeoutMs.ToString(CultureInfo.InvariantCulture),
                    }
                    : null,
            };
            if (nested)
            {
                Fill(childNode, child.Supervisor ?? new SupervisorSpec([]));
            }
            node.Children.Add(childNode);
        }
    }
}
