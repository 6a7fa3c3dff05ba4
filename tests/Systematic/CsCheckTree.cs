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
    private readonly DeterministicScheduler? _model;
    private readonly TimeSpan _callBound;
    private readonly Func<SupervisionTreeOptions, SupervisionTreeOptions>? _plug;
    private readonly Lazy<SupervisionTree> _tree;
    private readonly ConcurrentDictionary<CsCheckCall, string> _answers = new(ReferenceEqualityComparer.Instance);
    private readonly ConcurrentBag<SupervisionTree> _started;
    private readonly CrashOverlaps _overlaps = new();
    /// <summary>Whether each crash found a running incarnation.</summary>
    private readonly ConcurrentDictionary<CsCheckCall, bool> _hits = new(ReferenceEqualityComparer.Instance);
    /// <summary>Crashes (real tree only) that found none while another crash of the same child was in flight.</summary>
    private readonly ConcurrentDictionary<CsCheckCall, bool> _coalesced = new(ReferenceEqualityComparer.Instance);
    private string? _final;

    private CsCheckTree(DeterministicScheduler? model, Func<SupervisionTreeOptions, SupervisionTreeOptions>? plug, ConcurrentBag<SupervisionTree> started, TimeSpan callBound)
    {
        _model = model;
        _callBound = callBound;
        _plug = plug;
        _started = started;
        _tree = new Lazy<SupervisionTree>(Start, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>The real tree, on the thread pool; <paramref name="started"/> collects it for disposal at the end of the test.</summary>
    /// <param name="started">Collects the tree once it starts.</param>
    /// <param name="callBound">How long a call may take before it counts as unanswered: generous for the real runtime (a lost reply is a bug, a slow one is not), short where a broken piece loses replies on purpose.</param>
    /// <param name="plug">Plugs a runtime piece in.</param>
    public static CsCheckTree Real(ConcurrentBag<SupervisionTree> started, TimeSpan callBound, Func<SupervisionTreeOptions, SupervisionTreeOptions>? plug = null) => new(null, plug, started, callBound);

    /// <summary>The model: the same runtime on the deterministic scheduler.</summary>
    public static CsCheckTree Model() => new(new DeterministicScheduler(), null, [], TimeSpan.Zero);

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
            "which" => Wait(() => root.WhichChildrenAsync(), Which),
            "count" => Wait(() => root.CountChildrenAsync(), c => c.ToString()),
            // Only that it was answered: a crash injected while the supervisor waits for that child's stop
            // (terminate_child) takes effect and terminate still answers ok, which no one-at-a-time order
            // gives (the supervisor keeps serving its mailbox while a child stops, as OTP's receives the
            // child's exit). Its effect shows in the final state's incarnations instead. A crash that found
            // no running incarnation while another crash of the same child was in flight "coalesced": it
            // reached the incarnation the other one was killing, as OTP's exit/2 to a pid already exiting.
            "crash" => Crash(call),
            _ => throw new ArgumentOutOfRangeException(nameof(call), call.Kind, "unknown call"),
        };
    }

    /// <summary>
    /// Whether this (real) tree ended as <paramref name="model"/> did: the same final state (which_children,
    /// count_children and every child's incarnation, or noproc once the root is gone) and the same answer to
    /// every call. A crash that coalesced with a concurrent crash of the same child (it found no running
    /// incarnation here, where the model's crash hit one) had no effect: the model's incarnation of that
    /// child, which counts its effect, is one higher for each, and nothing else differs.
    /// </summary>
    public bool SameAs(CsCheckTree model)
    {
        var sameAnswers = _answers.Count == model._answers.Count
            && _answers.All(a => model._answers.TryGetValue(a.Key, out var answer) && answer == a.Value);
        var coalesced = _coalesced.Keys.Where(call => model._hits.TryGetValue(call, out var hit) && hit).ToList();
        if (coalesced.Count == 0)
        {
            return sameAnswers && Final() == model.Final();
        }
        var (which, counts, incarnations) = Split(Final());
        var (modelWhich, modelCounts, modelIncarnations) = Split(model.Final());
        return sameAnswers && which == modelWhich && counts == modelCounts
            && incarnations.Count == modelIncarnations.Count
            && incarnations.All(pair => modelIncarnations.TryGetValue(pair.Key, out var count) && count - coalesced.Count(c => c.Id == pair.Key) == pair.Value);
    }

    private string Crash(CsCheckCall call)
    {
        var overlapped = _overlaps.Begin(call);
        try
        {
            return Wait(() => _tree.Value.Child($"root/{call.Id}").CrashAsync(call.Reason), hit =>
            {
                _hits[call] = hit;
                if (!hit && _model is null && overlapped())
                {
                    _coalesced[call] = true;
                }
                return "answered";
            });
        }
        finally
        {
            _overlaps.End(call);
        }
    }

    /// <summary>which_children, count_children and the incarnation of each child, from a final state.</summary>
    private static (string Which, string Counts, Dictionary<string, long> Incarnations) Split(string state)
    {
        var parts = state.Split(" | ");
        if (parts.Length != 3)
        {
            return (state, "", []);
        }
        var incarnations = parts[2].Split(',').Select(item => item.Split('#'))
            .ToDictionary(pair => pair[0], pair => long.Parse(pair[1], CultureInfo.InvariantCulture));
        return (parts[0], parts[1], incarnations);
    }

    /// <summary>Which crash calls of one child were in flight at the same time as another crash of that child.</summary>
    private sealed class CrashOverlaps
    {
        private readonly List<CsCheckCall> _inFlight = [];
        private readonly HashSet<CsCheckCall> _overlapped = new(ReferenceEqualityComparer.Instance);

        /// <summary>Registers the call; the function says whether another crash of its child overlapped it (so far).</summary>
        public Func<bool> Begin(CsCheckCall call)
        {
            lock (_inFlight)
            {
                foreach (var other in _inFlight.Where(other => other.Id == call.Id))
                {
                    _overlapped.Add(other);
                    _overlapped.Add(call);
                }
                _inFlight.Add(call);
            }
            return () =>
            {
                lock (_inFlight)
                {
                    return _overlapped.Contains(call);
                }
            };
        }

        public void End(CsCheckCall call)
        {
            lock (_inFlight)
            {
                _inFlight.Remove(call);
            }
        }
    }

    /// <summary>The final state and the answers, for CsCheck's failure report.</summary>
    public override string ToString() => !_tree.IsValueCreated
        ? "not started"
        : $"{Final()}; answers: {string.Join("; ", _answers.Select(a => $"{a.Key} -> {a.Value}{(_hits.TryGetValue(a.Key, out var hit) ? hit ? " (hit)" : _coalesced.ContainsKey(a.Key) ? " (missed, coalesced with a concurrent crash)" : " (missed)" : "")}").Order(StringComparer.Ordinal))}";

    /// <summary>Read once: CsCheck compares the real tree with several model runs.</summary>
    private string Final() => _final ??= State();

    private string State()
    {
        var root = _tree.Value.Root;
        var which = Wait(() => root.WhichChildrenAsync(), Which);
        if (which == "noproc" && _model is null)
        {
            // A root that gave up finishes stopping its children on its own time; the model has finished.
            _tree.Value.Completion.Wait(_callBound);
        }
        var incarnations = string.Join(',', "abcde".Select(id => $"{id}#{_tree.Value.Child($"root/{id}").Incarnation}"));
        return $"{which} | {Wait(() => root.CountChildrenAsync(), c => c.ToString())} | {incarnations}";
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
            return describe(makeCall().WaitAsync(_callBound).GetAwaiter().GetResult());
        }
        catch (SupervisorNotRunningException)
        {
            return "noproc";
        }
        catch (TimeoutException)
        {
            return $"unanswered after {_callBound.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s";
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
