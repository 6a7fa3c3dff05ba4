using Supervision.Engine;
using Supervision.Simulation.Scenarios;

namespace Supervision.Simulation.Invariants;

/// <summary>
/// Finds the spec behind a trace path: the scenario's tree, plus the children that start_child calls added
/// to one supervisor incarnation (keyed by the actual path, since an instance of a simple_one_for_one
/// supervisor template is its own supervisor). Only the scenario's spec types are used, never the engine.
/// </summary>
internal sealed class SpecLookup
{
    private readonly Scenario _scenario;
    private readonly Dictionary<string, ChildSpec> _dynamic = new(StringComparer.Ordinal);

    public SpecLookup(Scenario scenario) => _scenario = scenario;

    public string RootId => _scenario.RootId;

    /// <summary>The spec of the child at <paramref name="path"/>; null for the root or a path that names nothing.</summary>
    public ChildSpec? Child(string path)
    {
        var segments = path.Split('/');
        if (segments[0] != _scenario.RootId)
        {
            return null;
        }
        var supervisor = _scenario.Tree;
        var prefix = segments[0];
        ChildSpec? child = null;
        for (var i = 1; i < segments.Length; i++)
        {
            if (supervisor is null)
            {
                return null;
            }
            prefix += "/" + segments[i];
            child = _dynamic.GetValueOrDefault(prefix) ?? Find(supervisor, segments[i]);
            if (child is null)
            {
                return null;
            }
            supervisor = child.Supervisor;
        }
        return child;
    }

    /// <summary>The supervisor spec at <paramref name="path"/>; null when the path is a worker or names nothing.</summary>
    public SupervisorSpec? Supervisor(string path) => path == _scenario.RootId ? _scenario.Tree : Child(path)?.Supervisor;

    /// <summary>Whether the path names a supervisor (the root included).</summary>
    public bool IsSupervisor(string path) => Supervisor(path) is not null;

    /// <summary>Records a child that start_child added (or re-added) under one supervisor incarnation.</summary>
    public void AddDynamic(string path, ChildSpec spec) => _dynamic[path] = spec;

    /// <summary>Forgets the start_child additions of a supervisor that ended: its next incarnation starts from its spec.</summary>
    public void ForgetUnder(string supervisorPath)
    {
        var prefix = supervisorPath + "/";
        foreach (var key in _dynamic.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).ToList())
        {
            _dynamic.Remove(key);
        }
    }

    /// <summary>A child id, or an instance name <c>id#n</c> under a simple_one_for_one supervisor.</summary>
    private static ChildSpec? Find(SupervisorSpec supervisor, string segment)
    {
        var hash = segment.IndexOf('#', StringComparison.Ordinal);
        var id = hash > 0 ? segment[..hash] : segment;
        foreach (var child in supervisor.Children)
        {
            if (child.Id == id)
            {
                return child;
            }
        }
        return null;
    }
}
