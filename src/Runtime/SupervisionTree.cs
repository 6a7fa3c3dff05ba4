using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Supervision.Engine;
using Supervision.Runtime.Scheduling;
using Supervision.Runtime.Tree;

namespace Supervision.Runtime;

/// <summary>
/// A running supervision tree: the handle returned by <see cref="StartAsync"/>. Every supervisor runs
/// its own engine on one logical thread (a mailbox loop); this handle is safe to use from any thread.
/// Disposing it stops the tree in order (newest first) and waits for it.
/// </summary>
public sealed partial class SupervisionTree : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, SupervisorProcess> _supervisors = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SupervisorProcess>.AlternateLookup<ReadOnlySpan<char>> _supervisorsByPath;
    private readonly Lock _subscribersGate = new();
    // Copy on write: publishing reads the current array without a lock or a copy.
    private volatile Subscriber[] _subscribers = [];
    private readonly List<IRuntimeObserver> _observers = [];
    private readonly SupervisorProcess _root;
    private readonly TaskCompletionSource<ExitReason> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<TreeTermination> _termination = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _rogueGate = new();
    private readonly List<RogueTask> _rogues = [];
    /// <summary>Child tasks (start phases and bodies) that have not ended and are not rogue.</summary>
    private int _liveTasks;
    private ExitReason _rootReason;
    private volatile bool _rootExited;
    private int _disposing;

    private SupervisionTree(SupervisorDefinition root, SupervisorSpec spec, SupervisionTreeOptions options, IRuntimeObserver? observer)
    {
        _supervisorsByPath = _supervisors.GetAlternateLookup<ReadOnlySpan<char>>();
        Options = options;
        Scheduler = options.Scheduler;
        TimeProvider = Scheduler.TimeProvider;
        StartTimestamp = TimeProvider.GetTimestamp();
        Log = new RuntimeLog((options.LoggerFactory ?? NullLoggerFactory.Instance).CreateLogger("Supervision.Runtime"));
        Metrics = new SupervisionMetrics(root.Id, options.MeterFactory);
        if (observer is not null)
        {
            _observers.Add(observer);
        }
        _root = new SupervisorProcess(this, root, spec, root.Id, null, ChildRef.None);
        Root = new SupervisorHandle(this, root.Id);
    }

    /// <summary>Builds and launches the tree without waiting (for schedulers the caller drives); await <see cref="Started"/>.</summary>
    public static SupervisionTree Create(SupervisorDefinition root, SupervisionTreeOptions? options = null) => Create(root, options, null);

    internal static SupervisionTree Create(SupervisorDefinition root, SupervisionTreeOptions? options, IRuntimeObserver? observer)
    {
        ArgumentNullException.ThrowIfNull(root);
        var spec = root.ToSpec();
        spec.Validate(root.Id);
        var tree = new SupervisionTree(root, spec, options ?? new SupervisionTreeOptions(), observer);
        tree._root.Launch();
        return tree;
    }

    /// <summary>The root supervisor.</summary>
    public SupervisorHandle Root { get; }

    /// <summary>Completes when the root's init finished; faults with <see cref="SupervisorStartException"/> if it failed.</summary>
    public Task Started => _root.Started;

    /// <summary>
    /// Completes with the root's exit reason (<c>shutdown</c> after a stop or when it gave up), once every
    /// task the tree started has ended, rogue tasks excepted (see <see cref="Termination"/>).
    /// </summary>
    public Task<ExitReason> Completion => _completion.Task;

    /// <summary>
    /// Completes when <see cref="Completion"/> does, with the root's exit reason and the rogue tasks still
    /// running then (killed tasks that outlived <see cref="SupervisionTreeOptions.KillGrace"/>).
    /// </summary>
    public Task<TreeTermination> Termination => _termination.Task;

    /// <summary>Rogue tasks still running now: killed children whose task outlived the kill grace. Normally empty.</summary>
    public IReadOnlyList<RogueTask> RogueTasks
    {
        get
        {
            lock (_rogueGate)
            {
                return [.. _rogues];
            }
        }
    }

    /// <summary>The tree's instruments (published under the meter <see cref="SupervisionMetrics.MeterName"/>).</summary>
    public SupervisionMetrics Metrics { get; }

    internal SupervisionTreeOptions Options { get; }

    internal SupervisionScheduler Scheduler { get; }

    internal TimeProvider TimeProvider { get; }

    internal long StartTimestamp { get; }

    internal RuntimeLog Log { get; }

    internal ChildRegistry Registry { get; } = new();

    /// <summary>A handle on the supervisor at <paramref name="path"/> (valid across its restarts).</summary>
    public SupervisorHandle Supervisor(string path) => new(this, path);

    /// <summary>A handle on the child at <paramref name="path"/> (valid across its restarts).</summary>
    public ChildHandle Child(string path) => new(this, path);

    /// <summary>
    /// Stops the tree as OTP's <c>supervisor:stop</c> does: the request takes its turn in the root's mailbox,
    /// then children are stopped newest first. Completes when the tree has ended (see <see cref="Termination"/>).
    /// </summary>
    /// <param name="cancellationToken">Stops the waiting, not the stopping: the tree goes on stopping.</param>
    public Task<TreeTermination> StopAsync(CancellationToken cancellationToken = default)
    {
        _root.Post(new Message(MessageKind.Stop, ChildRef.None, ExitReason.Shutdown, default, 0, null));
        return _termination.Task.WaitAsync(cancellationToken);
    }

    /// <summary>
    /// Stops the tree and waits until every task it started has ended (rogue tasks excepted: see
    /// <see cref="RogueTasks"/>). Disposal overtakes: the stop goes ahead of whatever the supervisors have
    /// queued; calls still queued or made from now on are answered <c>noproc</c> without running; no child
    /// starts from now on (a start that would is a failed start, reason <c>shutdown</c>); starts in progress
    /// are asked to stop. Safe to call many times, from any thread.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        BeginDisposal();
        // No ConfigureAwait(false): on a deterministic scheduler the continuation must stay on its context.
        await _termination.Task;
    }

    /// <summary>Disposal has begun (see <see cref="DisposeAsync"/>).</summary>
    internal bool IsDisposing => Volatile.Read(ref _disposing) != 0;

    private void BeginDisposal()
    {
        if (Interlocked.Exchange(ref _disposing, 1) != 0)
        {
            return;
        }
        foreach (var supervisor in _supervisors.Values)
        {
            supervisor.PostUrgent(new Message(MessageKind.Disposing, ChildRef.None, default, default, 0, null));
        }
        _root.PostUrgent(new Message(MessageKind.Stop, ChildRef.None, ExitReason.Shutdown, default, 0, null));
    }

    /// <summary>
    /// Disposal, and every child in the tree asked to stop at once rather than newest first: for a host whose
    /// shutdown timeout ran out, so that older children still get their stop request before the process ends.
    /// </summary>
    /// <returns>The paths of the children still running afterwards (their tasks had not ended within <paramref name="wait"/>).</returns>
    internal async Task<IReadOnlyList<string>> StopAllNowAsync(TimeSpan wait)
    {
        BeginDisposal();
        foreach (var supervisor in _supervisors.Values)
        {
            supervisor.PostUrgent(new Message(MessageKind.StopAllNow, ChildRef.None, default, default, 0, null));
        }
        if (!_termination.Task.IsCompleted && wait > TimeSpan.Zero)
        {
            // Not ConfigureAwait(ConfigureAwaitOptions): Coyote's rewriting breaks it (see SettledAwaitable).
            await new SettledAwaitable(((Task)_termination.Task).WaitAsync(wait, TimeProvider));
        }
        return _termination.Task.IsCompleted ? [] : Registry.RunningPaths();
    }

    /// <summary>Time since the tree started, on its clock.</summary>
    internal TimeSpan Elapsed => TimeProvider.GetElapsedTime(StartTimestamp);

    internal void TaskStarted() => Interlocked.Increment(ref _liveTasks);

    internal void TaskEnded()
    {
        if (Interlocked.Decrement(ref _liveTasks) == 0 && _rootExited)
        {
            CompleteTermination();
        }
    }

    internal void RogueDeclared(RogueTask rogue)
    {
        lock (_rogueGate)
        {
            _rogues.Add(rogue);
        }
        Metrics.Rogue();
        if (HasListeners)
        {
            Publish(new SupervisionEvent(Elapsed, SupervisionEventKind.RogueTask, rogue.Path[..Math.Max(0, rogue.Path.LastIndexOf('/'))], rogue.Path, ExitReason.Killed));
        }
        TaskEnded();
    }

    internal void RogueEnded(RogueTask rogue, ExitReason? outcome)
    {
        lock (_rogueGate)
        {
            _rogues.Remove(rogue);
        }
        Metrics.RogueEnded();
        Log.RogueTaskEnded(rogue.Path, rogue.Incarnation, outcome);
        rogue.MarkEnded(outcome);
    }

    internal void RootExited(ExitReason reason)
    {
        _rootReason = reason;
        _rootExited = true;
        if (Volatile.Read(ref _liveTasks) == 0)
        {
            CompleteTermination();
        }
    }

    private void CompleteTermination()
    {
        if (_termination.Task.IsCompleted)
        {
            return;
        }
        _termination.TrySetResult(new TreeTermination(_rootReason, RogueTasks) { Cause = RootExitCause, GaveUpAfter = RootGaveUpAfter });
        _completion.TrySetResult(_rootReason);
    }

    /// <summary>
    /// Completes with the first event from now on that matches <paramref name="match"/>. The subscription is
    /// made before this returns, so: <c>var restarted = tree.WaitForAsync(...); crash; await restarted;</c>
    /// </summary>
    public Task<SupervisionEvent> WaitForAsync(Func<SupervisionEvent, bool> match, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(match);
        var subscriber = new Subscriber(match, null);
        Subscribe(subscriber);
        cancellationToken.Register(() =>
        {
            Unsubscribe(subscriber);
            subscriber.Waiter!.TrySetCanceled(cancellationToken);
        });
        return subscriber.Waiter!.Task;
    }

    /// <summary>Completes when the child at <paramref name="path"/> is next started (for example after a crash).</summary>
    public Task<SupervisionEvent> WhenChildStartedAsync(string path, CancellationToken cancellationToken = default) =>
        WaitForAsync(e => e.Kind == SupervisionEventKind.ChildStarted && e.ChildPath == path, cancellationToken);

    /// <summary>Completes when the supervisor at <paramref name="path"/> gives up (max restart intensity).</summary>
    public Task<SupervisionEvent> WhenGaveUpAsync(string path, CancellationToken cancellationToken = default) =>
        WaitForAsync(e => e.Kind == SupervisionEventKind.GaveUp && e.SupervisorPath == path, cancellationToken);

    internal Task<bool> InjectExitAsync(string path, ExitReason reason)
    {
        var cut = path.LastIndexOf('/');
        if (cut < 0 || !_supervisorsByPath.TryGetValue(path.AsSpan(0, cut), out var owner))
        {
            return Task.FromResult(false);
        }
        var injection = new ExitInjection(path, reason);
        owner.Post(new Message(MessageKind.InjectExit, ChildRef.None, reason, default, 0, injection));
        return injection.Done.Task;
    }

    internal bool TryGetSupervisor(string path, out SupervisorProcess process) => _supervisors.TryGetValue(path, out process!);

    internal void RegisterSupervisor(SupervisorProcess process) => _supervisors[process.Path] = process;

    internal void UnregisterSupervisor(SupervisorProcess process) =>
        _supervisors.TryRemove(new KeyValuePair<string, SupervisorProcess>(process.Path, process));

    /// <summary>
    /// Someone reads notices or events (an observer, an event stream or a waiter): only then are they
    /// built, so that an unobserved tree allocates nothing for them on the restart path.
    /// </summary>
    internal bool HasListeners => _observers.Count > 0 || _subscribers.Length > 0;

    internal void Observe(RuntimeNotice notice)
    {
        foreach (var observer in _observers)
        {
            observer.OnNotice(notice);
        }
        var kind = notice.Kind switch
        {
            NoticeKind.ChildStartResult => notice.StartKind switch
            {
                ChildStartKind.Started => SupervisionEventKind.ChildStarted,
                ChildStartKind.Ignored => SupervisionEventKind.ChildIgnored,
                _ => SupervisionEventKind.ChildStartFailed,
            },
            NoticeKind.ChildStopped or NoticeKind.ChildKilledWithParent => SupervisionEventKind.ChildStopped,
            NoticeKind.SupervisorStarted => SupervisionEventKind.SupervisorStarted,
            NoticeKind.SupervisorInitFailed or NoticeKind.SupervisorExited => SupervisionEventKind.SupervisorExited,
            _ => (SupervisionEventKind?)null,
        };
        if (kind is { } publish)
        {
            Publish(new SupervisionEvent(TimeProvider.GetElapsedTime(StartTimestamp), publish, notice.Supervisor.Path, notice.ChildPath, notice.Reason));
        }
    }

    /// <summary>A report's metrics, notice and event (its log entry is the process's: it knows the exception and the strategy).</summary>
    internal void Report(SupervisorProcess process, in Decision d, string childPath)
    {
        if (d.Report == ReportKind.RestartDelayed)
        {
            ReportDelayedRestart(process, d, childPath);
            return;
        }
        if (d.Report == ReportKind.ChildTerminated && d.Spec?.Restart != RestartType.Temporary)
        {
            Metrics.Restart(process.Path);
        }
        if (!HasListeners)
        {
            return;
        }
        Observe(new RuntimeNotice(NoticeKind.Report, process) { ChildPath = childPath, Reason = d.Reason, Report = d.Report, RestartWindow = d.RestartWindow });
        var at = TimeProvider.GetElapsedTime(StartTimestamp);
        switch (d.Report)
        {
            case ReportKind.ChildTerminated:
                Publish(new SupervisionEvent(at, SupervisionEventKind.ChildTerminated, process.Path, childPath, d.Reason));
                break;
            case ReportKind.ShutdownError:
                Publish(new SupervisionEvent(at, SupervisionEventKind.ShutdownError, process.Path, childPath, d.Reason));
                break;
            case ReportKind.ReachedMaxRestartIntensity:
                Publish(new SupervisionEvent(at, SupervisionEventKind.GaveUp, process.Path, childPath, d.Reason) { RestartWindow = d.RestartWindow });
                break;
        }
    }

    private void ReportDelayedRestart(SupervisorProcess process, in Decision d, string childPath)
    {
        if (HasListeners)
        {
            Observe(new RuntimeNotice(NoticeKind.Report, process) { ChildPath = childPath, Reason = d.Reason, Report = d.Report, RestartDelayMs = d.RestartDelayMs });
            Publish(new SupervisionEvent(TimeProvider.GetElapsedTime(StartTimestamp), SupervisionEventKind.RestartDelayed, process.Path, childPath, d.Reason)
            {
                RestartDelay = TimeSpan.FromMilliseconds(d.RestartDelayMs),
            });
        }
    }

    private void Publish(SupervisionEvent e)
    {
        foreach (var subscriber in _subscribers)
        {
            if (subscriber.Buffer is { } buffer)
            {
                buffer.Write(e);
            }
            else if (subscriber.Match!(e))
            {
                Unsubscribe(subscriber);
                subscriber.Waiter!.TrySetResult(e);
            }
        }
    }

    private void Subscribe(Subscriber subscriber)
    {
        lock (_subscribersGate)
        {
            _subscribers = [.. _subscribers, subscriber];
        }
    }

    private void Unsubscribe(Subscriber subscriber)
    {
        lock (_subscribersGate)
        {
            _subscribers = Array.FindAll(_subscribers, other => !ReferenceEquals(other, subscriber));
        }
    }

    private sealed class Subscriber(Func<SupervisionEvent, bool>? match, EventBuffer? buffer)
    {
        public Func<SupervisionEvent, bool>? Match { get; } = match;

        public EventBuffer? Buffer { get; } = buffer;

        public TaskCompletionSource<SupervisionEvent>? Waiter { get; } =
            match is null ? null : new TaskCompletionSource<SupervisionEvent>(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
