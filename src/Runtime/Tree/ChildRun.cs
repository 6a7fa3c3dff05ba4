using Microsoft.Extensions.DependencyInjection;
using Supervision.Engine;
using Supervision.Runtime.Scheduling;

namespace Supervision.Runtime.Tree;

/// <summary>
/// One incarnation of a worker: runs its start phase, reports the outcome, runs its body and reports
/// how it ended. Its task is tracked until it really ends: a kill cancels it and the supervisor waits
/// for that end (see <see cref="KillWait"/>); only a task that outlives the kill grace is abandoned, as a
/// rogue, and only then may the next incarnation run beside it.
/// </summary>
internal sealed partial class ChildRun
{
    private const int LifeLive = 0;
    private const int LifeEnded = 1;
    private const int LifeRogue = 2;

    private const int StartPending = 0;
    private const int StartReportedState = 1;
    private const int StartTimedOutState = 2;

    /// <summary>In <see cref="_watchers"/>: the task has ended, nobody can watch it any more.</summary>
    private static readonly object EndedMarker = new();

    private readonly SupervisorProcess _owner;
    private readonly CancellationTokenSource _stop = new();
    private readonly ChildDefinition _definition;
    private int _life;
    private int _start;
    /// <summary>Null, one <see cref="KillWait"/>, an array of them, or <see cref="EndedMarker"/>.</summary>
    private object? _watchers;
    private ISupervisedChild? _child;
    private AsyncServiceScope? _scope;
    private RogueTask? _rogue;

    public ChildRun(SupervisorProcess owner, ChildRef reference, string path, ChildDefinition definition, long instance, int incarnation, object? arguments)
    {
        _owner = owner;
        Reference = reference;
        Path = path;
        _definition = definition;
        Context = new ChildContext(this, instance, incarnation, arguments);
        _probeStop = definition.HealthProbe is null ? null : new CancellationTokenSource();
        owner.Tree.TaskStarted();
    }

    public ChildRef Reference { get; }

    /// <summary>Cancelled when the supervisor asks this incarnation to stop (its context's <see cref="ChildContext.Stopping"/>).</summary>
    public CancellationToken StopToken => _stop.Token;

    public SupervisorProcess Owner => _owner;

    /// <summary>The supervisor's start-timeout timer for this run, if any.</summary>
    public ITimer? StartTimer { get; set; }

    /// <summary>Set by the supervisor when it handled this run's start outcome.</summary>
    public bool StartReported { get; private set; }

    public void DisposeStartTimer()
    {
        StartReported = true;
        StartTimer?.Dispose();
        StartTimer = null;
    }

    /// <summary>The child object of this incarnation, once its factory has run (null before, or if it threw).</summary>
    public ISupervisedChild? Child => _child;

    /// <summary>Its definition.</summary>
    public ChildDefinition Definition => _definition;

    /// <summary>Its spec (for an instance: the template).</summary>
    public required ChildSpec Spec { get; init; }

    /// <summary>A new simple_one_for_one instance (numbered only if its start succeeds).</summary>
    public bool NewInstance { get; init; }

    public string Path { get; }

    public ChildContext Context { get; }

    /// <summary>Set once the body has ended (before its task is marked ended).</summary>
    public ExitReason? Outcome { get; private set; }

    /// <summary>The exception that ended the start or the body, if it threw (set before the supervisor hears of it): its report carries it.</summary>
    public Exception? Error { get; private set; }

    /// <summary>The supervisor killed this run (or its start timed out): it no longer counts as the child.</summary>
    public bool IsKilled => Context.WasKilled;

    /// <summary>Its task has ended (the start phase without a body, or the body).</summary>
    public bool HasEnded => Volatile.Read(ref _life) == LifeEnded;

    /// <summary>It was abandoned as a rogue and has not ended yet.</summary>
    public bool IsRogue => Volatile.Read(ref _life) == LifeRogue;

    public void RequestStop()
    {
        Cancel();
        _probeStop?.Cancel();
    }

    /// <summary>The kill: both signals cancelled. The supervisor then waits for the task (a <see cref="KillWait"/>).</summary>
    public void Kill()
    {
        Cancel();
        _probeStop?.Cancel();
        try
        {
            Context.SignalKill();
        }
        catch (AggregateException error)
        {
            // A child's kill callback threw: contained and reported, never the supervisor's problem.
            _owner.Tree.Log.CancellationCallbackFailed(Path, error);
        }
        StartTimer?.Dispose();
        StartTimer = null;
    }

    private void Cancel()
    {
        try
        {
            _stop.Cancel();
        }
        catch (AggregateException error)
        {
            // A child's cancellation callback threw: contained and reported, never the supervisor's problem.
            _owner.Tree.Log.CancellationCallbackFailed(Path, error);
        }
    }

    /// <summary>Asks to be told when the task ends; false when it already has.</summary>
    public bool TryWatch(KillWait wait)
    {
        while (true)
        {
            var current = Volatile.Read(ref _watchers);
            if (ReferenceEquals(current, EndedMarker))
            {
                return false;
            }
            object next = current switch
            {
                null => wait,
                KillWait one => new[] { one, wait },
                KillWait[] many => (KillWait[])[.. many, wait],
                _ => throw new InvalidOperationException("unexpected watcher state"),
            };
            if (ReferenceEquals(Interlocked.CompareExchange(ref _watchers, next, current), current))
            {
                return true;
            }
        }
    }

    /// <summary>
    /// The kill grace ran out and the task still runs: it is abandoned as a rogue (logged, counted, listed),
    /// and stops counting among the tree's live tasks. False when it ended first.
    /// </summary>
    public bool TryDeclareRogue(string cause)
    {
        var rogue = new RogueTask(Path, Context.Incarnation, cause, _owner.Tree.Elapsed);
        _rogue = rogue;
        if (Interlocked.CompareExchange(ref _life, LifeRogue, LifeLive) != LifeLive)
        {
            _rogue = null;
            return false;
        }
        _owner.Tree.RogueDeclared(rogue);
        return true;
    }

    /// <summary>Cancelled when this incarnation ends or is stopped: its health probing stops (null for children not probed).</summary>
    public CancellationTokenSource? ProbeStop => _probeStop;

    private readonly CancellationTokenSource? _probeStop;

    /// <summary>The task's last act: nobody waits for it any more; watchers and the tree are told.</summary>
    /// <returns>True when a kill was waiting for it (its completion is the kill's business, not an exit).</returns>
    private bool MarkEnded()
    {
        _probeStop?.Cancel();
        var previous = Interlocked.Exchange(ref _life, LifeEnded);
        if (previous == LifeLive)
        {
            _owner.Tree.TaskEnded();
        }
        else if (previous == LifeRogue && _rogue is { } rogue)
        {
            _owner.Tree.RogueEnded(rogue, Outcome);
        }
        var watchers = Interlocked.Exchange(ref _watchers, EndedMarker);
        switch (watchers)
        {
            case KillWait one:
                one.OneEnded();
                return true;
            case KillWait[] many:
                foreach (var wait in many)
                {
                    wait.OneEnded();
                }
                return true;
            default:
                return false;
        }
    }

    /// <summary>
    /// The start phase as far as it goes synchronously, on the supervisor's loop (OTP's supervisor also
    /// waits in the start function): the factory, then <see cref="ISupervisedChild.StartAsync"/> up to its
    /// first incomplete await. A throw is a failed start.
    /// </summary>
    public ValueTask<ChildStartResult> BeginStart()
    {
        try
        {
            OpenScope();
            _child = _definition.Factory!(Context);
            return _child.StartAsync(Context);
        }
        catch (Exception error)
        {
            _child = null;
            return ValueTask.FromResult(StartFailed(error));
        }
    }

    /// <summary>The outcome of a start phase that has completed (a faulted or cancelled one is a failed start).</summary>
    public ChildStartResult EndStart(ValueTask<ChildStartResult> completed)
    {
        if (completed.IsCompletedSuccessfully)
        {
            return completed.Result;
        }
        try
        {
            return completed.GetAwaiter().GetResult();
        }
        catch (Exception error)
        {
            return StartFailed(error);
        }
    }

    private ChildStartResult StartFailed(Exception error)
    {
        // A ChildExitException is a reason the child chose, not a crash to report with its stack.
        Error = error is ChildExitException ? null : error;
        return ChildStartResult.Failed(ReasonFor(error));
    }

    /// <summary>
    /// A start phase that ended on the supervisor's loop without the body being run: what it holds is released
    /// (on the loop up to the disposal's first await), then the run has nothing left to do.
    /// </summary>
    public void EndWithoutBody()
    {
        var releasing = ReleaseAsync();
        if (releasing.IsCompleted)
        {
            MarkEnded();
            return;
        }
        _ = EndAfterAsync(releasing);
    }

    private async Task EndAfterAsync(ValueTask releasing)
    {
        await releasing;
        MarkEnded();
    }

    /// <summary>The supervisor's start timeout fired first: the outcome, whenever it comes, is not reported and the body never runs.</summary>
    public bool TryTimeOutStart() => Interlocked.CompareExchange(ref _start, StartTimedOutState, StartPending) == StartPending;

    /// <summary>
    /// The rest of a start phase that did not complete synchronously, as the child's own activity: it
    /// reports the outcome to the supervisor (which also watches the start timeout), then runs the body,
    /// unless the start timed out or the run was killed meanwhile.
    /// </summary>
    public async Task FinishStartAsync(ValueTask<ChildStartResult> starting)
    {
        ChildStartResult result;
        try
        {
            // Not WaitAsync with the timeout: its continuation could complete on the thread pool and
            // escape a controlled scheduler. The timeout is the supervisor's timer.
            result = await starting;
        }
        catch (Exception error)
        {
            result = StartFailed(error);
        }
        if (Interlocked.CompareExchange(ref _start, StartReportedState, StartPending) != StartPending)
        {
            // Timed out: the supervisor already counted a failed start; this start never becomes a child.
            await ReleaseAsync();
            MarkEnded();
            return;
        }
        if (result.Kind != ChildStartKind.Started)
        {
            // Released before the supervisor hears of it, so a retried start never overlaps this one's disposal.
            await ReleaseAsync();
        }
        _owner.Post(new Message(MessageKind.StartOutcome, Reference, default, result, 0, this));
        if (result.Kind != ChildStartKind.Started || IsKilled)
        {
            await ReleaseAsync();
            MarkEnded();
            return;
        }
        await RunAsync();
    }

    /// <summary>The body, as the child's own activity, then the report of how it ended.</summary>
    public async Task RunAsync()
    {
        if (IsKilled)
        {
            // Killed between its start and its first step (the body is a separate activity): a killed
            // process does nothing more, so its body never runs.
            await ReleaseAsync();
            MarkEnded();
            return;
        }
        Task body;
        try
        {
            body = _child!.RunAsync(Context) ?? Task.FromException(new InvalidOperationException($"{Path}: RunAsync returned null instead of a task"));
        }
        catch (Exception error)
        {
            body = Task.FromException(error);
        }
        // The outcome is read from the task rather than rethrown: a child that honours its stop by
        // cancelling (the usual way to stop) would otherwise cost a thrown exception on every stop and kill.
        // Not ConfigureAwait(ConfigureAwaitOptions): Coyote's rewriting breaks it (see SettledAwaitable).
        await new SettledAwaitable(body);
        var reason = HowItEnded(body);
        Outcome = reason;
        await ReleaseAsync();
        // Marked ended before the supervisor hears of it: when it starts the next incarnation, this task is over.
        if (!MarkEnded())
        {
            _owner.Post(new Message(MessageKind.Completed, Reference, reason, default, 0, this));
        }
    }

    /// <summary>Called by the supervisor when the start phase took too long (after <see cref="TryTimeOutStart"/>).</summary>
    public void StartTimedOut(TimeSpan timeout)
    {
        Kill();
        _owner.Tree.Log.StartTimedOut(Path, timeout);
    }

    private ExitReason HowItEnded(Task body)
    {
        if (body.IsCompletedSuccessfully)
        {
            return Context.RequestedExitReason ?? ExitReason.Normal;
        }
        if (body.IsCanceled && _stop.IsCancellationRequested)
        {
            return ExitReason.Shutdown;
        }
        try
        {
            // A crash (or a cancellation nobody asked for): rethrown here, once, for the exception itself.
            body.GetAwaiter().GetResult();
            return ExitReason.Normal;
        }
        catch (Exception error)
        {
            return Ended(error);
        }
    }

    /// <summary>How a body that threw ended: the reason it asked for, shutdown for an honoured stop, else abnormal.</summary>
    private ExitReason Ended(Exception error)
    {
        switch (error)
        {
            case ChildExitException exit:
                return exit.Reason;
            case OperationCanceledException when _stop.IsCancellationRequested:
                return ExitReason.Shutdown;
            default:
                Error = error;
                _owner.Tree.Log.ChildCrashed(Path, error);
                return ReasonFor(error);
        }
    }

    /// <summary>An exception's reason token: its type name (a single token, as the trace format needs).</summary>
    public static ExitReason ReasonFor(Exception error) => error is ChildExitException exit ? exit.Reason : ExitReason.Abnormal(error.GetType().Name);
}
