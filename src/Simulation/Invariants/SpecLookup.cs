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
    private readonly Dictionary<string, ChildSpec?> _found = new(StringComparer.Ordinal);

    public SpecLookup(Scenario scenario) => _scenario = scenario;

    public string RootId => _scenario.RootId;

    /// <summary>The spec of the child at <paramref name="path"/>; null for the root or a path that names nothing.</summary>
    public ChildSpec? Child(string path)
    {
        // The checker asks about the same few paths on most lines: each is resolved once until a start_child
        // addition or a supervisor's end changes what a path can name.
        if (!_found.TryGetValue(path, out var child))
        {
            child = Resolve(path);
            _found.Add(path, child);
        }
        return child;
    }

    private ChildSpec? Resolve(string path)
    {
        var cut = path.IndexOf('/', StringComparison.Ordinal);
        if (cut < 0 || !path.AsSpan(0, cut).SequenceEqual(_scenario.RootId))
        {
            return null; // The root itself is nobody's child; another root names nothing.
        }
        SupervisorSpec? supervisor = _scenario.Tree;
        while (supervisor is not null)
        {
            var start = cut + 1;
            cut = path.IndexOf('/', start);
            var end = cut < 0 ? path.Length : cut;
            var child = (_dynamic.Count > 0 ? _dynamic.GetValueOrDefault(path[..end]) : null) ?? Find(supervisor, path.AsSpan(start, end - start));
            if (child is null || cut < 0)
            {
                return child;
            }
            supervisor = child.Supervisor;
        }
        return null;
    }

    /// <summary>The supervisor spec at <paramref name="path"/>; null when the path is a worker or names nothing.</summary>
    public SupervisorSpec? Supervisor(string path) => path == _scenario.RootId ? _scenario.Tree : Child(path)?.Supervisor;

    /// <summary>Whether the path names a supervisor (the root included).</summary>
    public bool IsSupervisor(string path) => Supervisor(path) is not null;

    /// <summary>Records a child that start_child added (or re-added) under one supervisor incarnation.</summary>
    public void AddDynamic(string path, ChildSpec spec)
    {
        _dynamic[path] = spec;
        _found.Clear();
    }

    /// <summary>Forgets the start_child additions of a supervisor that ended: its next incarnation starts from its spec.</summary>
    public void ForgetUnder(string supervisorPath)
    {
        if (_dynamic.Count == 0)
        {
            return;
        }
        var prefix = supervisorPath + "/";
        foreach (var key in _dynamic.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).ToList())
        {
            _dynamic.Remove(key);
        }
        _found.Clear();
    }

    /// <summary>A child id, or an instance name <c>id#n</c> under a simple_one_for_one supervisor.</summary>
    private static ChildSpec? Find(SupervisorSpec supervisor, ReadOnlySpan<char> segment)
    {
        var hash = segment.IndexOf('#');
        var id = hash > 0 ? segment[..hash] : segment;
        var children = supervisor.Children;
        for (var i = 0; i < children.Count; i++)
        {
            if (id.SequenceEqual(children[i].Id))
            {
                return children[i];
            }
        }
        return null;
    }
}
