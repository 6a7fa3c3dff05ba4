using System.Collections.Concurrent;
using System.Globalization;
using Supervision.Engine;
using Supervision.Runtime;
using Supervision.Runtime.Scheduling;

namespace Supervision.Systematic.Tests;

/// <summary>One call on a tree's public API, as CsCheck generates it; compared by reference (each generated call is its own).</summary>
/// <param name="Kind">start, terminate, restart, delete, which, count or crash.</param>
/// <param name="Id">The child the call is about (unused by which and count).</param>
/// <param name="Reason">The exit reason of a crash.</param>
internal sealed class CsCheckCall(string kind, string id, string reason = "boom")
{
    public string Kind { get; } = kind;

    public string Id { get; } = id;

    public string Reason { get; } = reason;

    public override string ToString() => Kind switch
    {
        "which" or "count" => Kind,
        "crash" => $"crash {Id} {Reason}",
        _ => $"{Kind} {Id}",
    };
}

/// <summary>
/// A supervision tree driven through its public API, recording every call's answer: either the real thing
/// (thread pool, real threads, real time; calls from CsCheck's threads) or the model (the same runtime on
/// the deterministic scheduler, one call at a time, run to quiescence after each). The tree starts on the
/// first call, so the states CsCheck generates and throws away never start one.
/// </summary>
internal sealed class CsCheckTree
{
    /// <summary>How long a call on the real tree may take before it counts as unanswered (generous: a lost reply is a bug, a slow one is not).</summary>
    private static readonly TimeSpan CallBound = TimeSpan.FromSeconds(20);

    private readonly DeterministicScheduler? _model;
    private readonly Func<SupervisionTreeOptions, SupervisionTreeOptions>? _plug;
    private readonly Lazy<SupervisionTree> _tree;
    private readonly ConcurrentDictionary<CsCheckCall, string> _answers = new(ReferenceEqualityComparer.Instance);
    private readonly ConcurrentBag<SupervisionTree> _started;
    private string? _final;

    private CsCheckTree(DeterministicScheduler? model, Func<SupervisionTreeOptions, SupervisionTreeOptions>? plug, ConcurrentBag<SupervisionTree> started)
    {
        _model = model;
        _plug = plug;
        _started = started;
        _tree = new Lazy<SupervisionTree>(Start, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>The real tree, on the thread pool; <paramref name="started"/> collects it for disposal at the end of the test.</summary>
    public static CsCheckTree Real(ConcurrentBag<SupervisionTree> started, Func<SupervisionTreeOptions, SupervisionTreeOptions>? plug = null) => new(null, plug, started);

    /// <summary>The model: the same runtime on the deterministic scheduler.</summary>
    public static CsCheckTree Model() => new(new DeterministicScheduler(), null, []);

    /// <summary>The definition both run: a one_for_one root with a permanent, a transient and a temporary worker; three restarts an hour.</summary>
    public static SupervisorDefinition Definition() => new("root", Worker("a", RestartType.Permanent), Worker("b", RestartType.Transient), Worker("c", RestartType.Temporary))
    {
        Intensity = 3,
        PeriodSeconds = 3600,
    };

    /// <summary>The definition start_child uses for <paramref name="id"/>: d and a are permanent, e temporary, anything else transient.</summary>
    public static ChildDefinition Worker(string id) => Worker(id, id switch
    {
        "a" or "d" => RestartType.Permanent,
        "c" or "e" => RestartType.Temporary,
        _ => RestartType.Transient,
    });

    /// <summary>Makes <paramref name="call"/> and records its answer.</summary>
    public void Apply(CsCheckCall call)
    {
        var root = _tree.Value.Root;
        _answers[call] = call.Kind switch
        {
            "start" => Wait(() => root.StartChildAsync(Worker(call.Id)), r => $"{r.Status} {r.Error}"),
            "terminate" => Wait(() => root.TerminateChildAsync(call.Id), r => r.Error ?? "ok"),
            "restart" => Wait(() => root.RestartChildAsync(call.Id), r => $"{r.Status} {r.Error}"),
            "delete" => Wait(() => root.DeleteChildAsync(call.Id), r => r.Error ?? "ok"),
            "which" => Wait(root.WhichChildrenAsync, Which),
            "count" => Wait(root.CountChildrenAsync, c => c.ToString()),
            "crash" => Wait(() => _tree.Value.Child($"root/{call.Id}").CrashAsync(call.Reason), injected => injected ? "injected" : "no such child"),
            _ => throw new ArgumentOutOfRangeException(nameof(call), call.Kind, "unknown call"),
        };
    }

    /// <summary>
    /// Whether this (real) tree ended as <paramref name="model"/> did: the same final state (which_children
    /// and count_children, or noproc once the root is gone) and the same answer to every call.
    /// </summary>
    public bool SameAs(CsCheckTree model) =>
        Final() == model.Final() && _answers.Count == model._answers.Count
        && _answers.All(a => model._answers.TryGetValue(a.Key, out var answer) && answer == a.Value);

    /// <summary>The final state and the answers, for CsCheck's failure report.</summary>
    public override string ToString() => !_tree.IsValueCreated
        ? "not started"
        : $"{Final()}; answers: {string.Join("; ", _answers.Select(a => $"{a.Key} -> {a.Value}").Order(StringComparer.Ordinal))}";

    /// <summary>Read once: CsCheck compares the real tree with several model runs.</summary>
    private string Final() => _final ??= State();

    private string State()
    {
        var root = _tree.Value.Root;
        var which = Wait(root.WhichChildrenAsync, Which);
        if (which == "noproc" && _model is null)
        {
            // A root that gave up finishes stopping its children on its own time; the model has finished.
            _tree.Value.Completion.Wait(CallBound);
        }
        return $"{which} | {Wait(root.CountChildrenAsync, c => c.ToString())}";
    }

    private SupervisionTree Start()
    {
        var options = new SupervisionTreeOptions { Scheduler = _model ?? SupervisionScheduler.Default };
        var tree = SupervisionTree.Create(Definition(), _plug?.Invoke(options) ?? options);
        _started.Add(tree);
        _model?.RunUntilIdle();
        return tree;
    }

    private string Wait<T>(Func<Task<T>> makeCall, Func<T, string> describe)
    {
        try
        {
            if (_model is not null)
            {
                // Made from a work item, so that the caller's continuation is the scheduler's too.
                Task<T>? call = null;
                _model.Post("caller", () => call = makeCall());
                _model.RunUntilIdle();
                return call is { IsCompleted: true } ? describe(call.GetAwaiter().GetResult()) : "unanswered (model)";
            }
            // Real time on purpose: a call on the real tree that is never answered must not hang the test.
            return describe(makeCall().WaitAsync(CallBound).GetAwaiter().GetResult());
        }
        catch (SupervisorNotRunningException)
        {
            return "noproc";
        }
        catch (TimeoutException)
        {
            return $"unanswered after {CallBound.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s";
        }
    }

    private static string Which(IReadOnlyList<ChildStatus> children) => string.Join(',', children.Select(c => $"{c.Path}:{c.State}"));

    private static ChildDefinition Worker(string id, RestartType restart) => ChildDefinition.Worker(id, async context =>
    {
        // Runs until its supervisor stops it (or a crash is injected, which abandons it).
        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (context.Stopping.Register(() => stopped.TrySetResult()))
        {
            await stopped.Task;
        }
    }) with { Restart = restart };
}
