using System.Diagnostics.CodeAnalysis;
using Supervision.Engine;

namespace Supervision.Simulation.Scenarios;

/// <summary>What a path names.</summary>
/// <param name="IsRoot">The path is the root's id alone.</param>
/// <param name="IsTemplate">The last segment is a simple_one_for_one template's id.</param>
/// <param name="IsInstance">The last segment is an instance name, <c>&lt;template id&gt;#&lt;n&gt;</c>.</param>
/// <param name="Supervisor">The named node's supervisor spec when it is a supervisor; null for a worker.</param>
internal readonly record struct PathTarget(bool IsRoot, bool IsTemplate, bool IsInstance, SupervisorSpec? Supervisor);

/// <summary>
/// Resolves step paths against the tree. Children added by earlier start_child steps count too, so that a
/// later step can name them; a path names nothing only when no part of the scenario ever declares it.
/// </summary>
internal sealed class PathIndex
{
    private readonly SupervisorSpec _root;
    private readonly Dictionary<SupervisorSpec, List<ChildSpec>> _added = new(ReferenceEqualityComparer.Instance);

    public PathIndex(string rootId, SupervisorSpec root)
    {
        RootId = rootId;
        _root = root;
    }

    public string RootId { get; }

    /// <summary>Declares a child that a start_child step adds to <paramref name="supervisor"/> (a static supervisor).</summary>
    public void AddChild(SupervisorSpec supervisor, ChildSpec child)
    {
        if (supervisor.Strategy == RestartStrategy.SimpleOneForOne || FindChild(supervisor, child.Id) is not null)
        {
            return;
        }
        if (!_added.TryGetValue(supervisor, out var list))
        {
            list = [];
            _added.Add(supervisor, list);
        }
        list.Add(child);
    }

    /// <summary>Resolves a path of ids joined with '/', starting with the root id.</summary>
    public bool TryResolve(string path, out PathTarget target, [NotNullWhen(false)] out string? problem)
    {
        target = default;
        // Segment by segment, so that a long path costs no more than the part of it that matches the tree.
        var cut = path.IndexOf('/', StringComparison.Ordinal);
        if (!path.AsSpan(0, cut < 0 ? path.Length : cut).SequenceEqual(RootId))
        {
            problem = $"path {Excerpt.Quote(path)} names nothing: a path starts with the root id {Excerpt.Quote(RootId)}";
            return false;
        }
        SupervisorSpec? current = _root;
        var walked = cut < 0 ? path.Length : cut;
        var isTemplate = false;
        var isInstance = false;
        while (walked < path.Length)
        {
            var next = path.IndexOf('/', walked + 1);
            var segment = path[(walked + 1)..(next < 0 ? path.Length : next)];
            if (current is null)
            {
                problem = $"path {Excerpt.Quote(path)} names nothing: {Excerpt.Quote(path[..walked])} is a worker and has no children";
                return false;
            }
            if (!TryStep(current, segment, out var child, out isTemplate, out isInstance))
            {
                problem = $"path {Excerpt.Quote(path)} names nothing: {Excerpt.Quote(path[..walked])} has no child {Excerpt.Quote(segment)}" + Hint(current);
                return false;
            }
            current = child.Supervisor;
            walked = next < 0 ? path.Length : next;
        }
        target = new PathTarget(cut < 0, isTemplate, isInstance, current);
        problem = null;
        return true;
    }

    private bool TryStep(SupervisorSpec supervisor, string segment, [NotNullWhen(true)] out ChildSpec? child, out bool isTemplate, out bool isInstance)
    {
        isTemplate = false;
        isInstance = false;
        if (supervisor.Strategy != RestartStrategy.SimpleOneForOne)
        {
            child = FindChild(supervisor, segment);
            return child is not null;
        }
        child = supervisor.Children.Count == 1 ? supervisor.Children[0] : null;
        if (child is null)
        {
            return false;
        }
        isTemplate = segment == child.Id;
        var hash = segment.LastIndexOf('#');
        isInstance = hash > 0 && segment.AsSpan(0, hash).SequenceEqual(child.Id) && IsInstanceNumber(segment.AsSpan(hash + 1));
        return isTemplate || isInstance;
    }

    private ChildSpec? FindChild(SupervisorSpec supervisor, string id)
    {
        // By index: the children are an IReadOnlyList, whose enumerator would be allocated for every path.
        var children = supervisor.Children;
        for (var i = 0; i < children.Count; i++)
        {
            if (children[i].Id == id)
            {
                return children[i];
            }
        }
        if (_added.TryGetValue(supervisor, out var added))
        {
            foreach (var child in added)
            {
                if (child.Id == id)
                {
                    return child;
                }
            }
        }
        return null;
    }

    /// <summary>Instances are numbered from 1, written without sign or leading zeros.</summary>
    private static bool IsInstanceNumber(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty || text.Length > 9 || text[0] == '0')
        {
            return false;
        }
        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }
        return true;
    }

    private static string Hint(SupervisorSpec supervisor) =>
        supervisor.Strategy == RestartStrategy.SimpleOneForOne && supervisor.Children.Count == 1
            ? $" (a simple_one_for_one supervisor's children are its template {Excerpt.Quote(supervisor.Children[0].Id)} and its instances {Excerpt.Quote(supervisor.Children[0].Id + "#<n>")}, n >= 1)"
            : "";
}
