using System.Collections.Concurrent;

namespace Supervision.Runtime.Tree;

/// <summary>The tree's children by path: what their handles read. Safe for any thread.</summary>
internal sealed class ChildRegistry
{
    private readonly ConcurrentDictionary<string, ChildState> _children = new(StringComparer.Ordinal);

    public void OnStarted(string path, int incarnation) => _children[path] = new ChildState(incarnation, Running: true);

    public void OnEnded(string path) => _children.AddOrUpdate(path, _ => new ChildState(0, false), (_, state) => state with { Running = false });

    public ChildState Get(string path) => _children.TryGetValue(path, out var state) ? state : new ChildState(0, false);

    public readonly record struct ChildState(int Incarnation, bool Running);
}
