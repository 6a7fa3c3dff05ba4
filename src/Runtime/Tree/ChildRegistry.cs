using System.Collections.Concurrent;

namespace Supervision.Runtime.Tree;

/// <summary>The tree's children by path: what their handles read and wait on. Safe for any thread.</summary>
internal sealed class ChildRegistry
{
    private readonly ConcurrentDictionary<string, Entry> _children = new(StringComparer.Ordinal);

    public void OnStarted(string path, int incarnation)
    {
        var entry = _children.GetOrAdd(path, static _ => new Entry());
        TaskCompletionSource? waiting;
        lock (entry)
        {
            entry.Incarnation = incarnation;
            entry.Running = true;
            waiting = entry.NextStart;
            entry.NextStart = null;
        }
        waiting?.TrySetResult();
    }

    public void OnEnded(string path)
    {
        var entry = _children.GetOrAdd(path, static _ => new Entry());
        lock (entry)
        {
            entry.Running = false;
        }
    }

    /// <summary>Drops a child that is gone for good (an ended simple_one_for_one instance), so a long-lived pool does not grow.</summary>
    public void Forget(string path) => _children.TryRemove(path, out _);

    /// <summary>The paths of the children running now, sorted.</summary>
    public IReadOnlyList<string> RunningPaths()
    {
        var running = new List<string>();
        foreach (var (path, entry) in _children)
        {
            lock (entry)
            {
                if (entry.Running)
                {
                    running.Add(path);
                }
            }
        }
        running.Sort(StringComparer.Ordinal);
        return running;
    }

    /// <summary>Children known (tests: nothing is kept for instances gone for good).</summary>
    public int Count => _children.Count;

    public ChildState Get(string path)
    {
        if (!_children.TryGetValue(path, out var entry))
        {
            return new ChildState(0, false);
        }
        lock (entry)
        {
            return new ChildState(entry.Incarnation, entry.Running);
        }
    }

    /// <summary>Completes (asynchronously) when the child at <paramref name="path"/> is next started; shared by every waiter.</summary>
    public Task WhenNextStarted(string path)
    {
        var entry = _children.GetOrAdd(path, static _ => new Entry());
        lock (entry)
        {
            return (entry.NextStart ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
        }
    }

    public readonly record struct ChildState(int Incarnation, bool Running);

    private sealed class Entry
    {
        public int Incarnation;
        public bool Running;
        public TaskCompletionSource? NextStart;
    }
}
