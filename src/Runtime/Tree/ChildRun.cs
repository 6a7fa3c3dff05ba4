using Supervision.Engine;
using Supervision.Runtime.Scheduling;

namespace Supervision.Runtime.Tree;

/// <summary>
/// One incarnation of a worker: runs its start phase, reports the outcome, runs its body and reports
/// how it ended. A killed or timed-out run is abandoned: its later completion changes nothing (a .NET
/// task cannot be killed; its end is a stale incarnation).
/// </summary>
internal sealed class ChildRun
{
    private readonly SupervisorProcess _owner;
    private readonly CancellationTokenSource _stop = new();
    private readonly ChildDefinition _definition;
    private int _abandoned;
    private int _finished;
    private ISupervisedChild? _child;

    public ChildRun(SupervisorProcess owner, ChildRef reference, string path, ChildDefinition definition, long instance, int incarnation, object? arguments)
    {
        _owner = owner;
        Reference = reference;
        Path = path;
        _definition = definition;
        Context = new ChildContext(path, definition.Id, instance, incarnation, arguments, _stop.Token, owner.Tree.TimeProvider);
    }

    public ChildRef Reference { get; }

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

    /// <summary>Its spec (for an instance: the template).</summary>
    public required ChildSpec Spec { get; init; }

    /// <summary>A new simple_one_for_one instance (numbered only if its start succeeds).</summary>
    public bool NewInstance { get; init; }

    public string Path { get; }

    public ChildContext Context { get; }

    /// <summary>Set once the body has ended (before its completion message is handled).</summary>
    public ExitReason? Outcome { get; private set; }

    public bool IsAbandoned => Volatile.Read(ref _abandoned) != 0;

    public bool HasFinished => Volatile.Read(ref _finished) != 0;

    public void RequestStop() => Cancel();

    /// <summary>Stops waiting for this run: it is recorded as ended; whatever it does later is ignored.</summary>
    /// <returns>True when its task was still running (an abandoned task).</returns>
    public bool Abandon()
    {
        Interlocked.Exchange(ref _abandoned, 1);
        Cancel();
        return !HasFinished;
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

    /// <summary>
    /// The start phase as far as it goes synchronously, on the supervisor's loop (OTP's supervisor also
    /// waits in the start function): the factory, then <see cref="ISupervisedChild.StartAsync"/> up to its
    /// first incomplete await. A throw is a failed start.
    /// </summary>
    public ValueTask<ChildStartResult> BeginStart()
    {
        try
        {
            _child = _definition.Factory!(Context);
            return _child.StartAsync(Context);
        }
        catch (Exception error)
        {
            _child = null;
            return ValueTask.FromResult(ChildStartResult.Failed(ReasonFor(error)));
        }
    }

    /// <summary>The outcome of a start phase that has completed (a faulted or cancelled one is a failed start).</summary>
    public static ChildStartResult EndStart(ValueTask<ChildStartResult> completed)
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
            return ChildStartResult.Failed(ReasonFor(error));
        }
    }

    /// <summary>A start phase that ended without the body being run: the run has nothing left to do.</summary>
    public void EndWithoutBody() => Volatile.Write(ref _finished, 1);

    /// <summary>
    /// The rest of a start phase that did not complete synchronously, as the child's own activity: it
    /// reports the outcome to the supervisor (which also watches the start timeout), then runs the body.
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
            result = ChildStartResult.Failed(ReasonFor(error));
        }
        _owner.Post(new Message(MessageKind.StartOutcome, Reference, default, result, 0, this));
        if (result.Kind != ChildStartKind.Started)
        {
            EndWithoutBody();
            return;
        }
        await RunAsync();
    }

    /// <summary>The body, as the child's own activity, then the report of how it ended.</summary>
    public async Task RunAsync()
    {
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
        Volatile.Write(ref _finished, 1);
        _owner.Post(new Message(MessageKind.Completed, Reference, reason, default, 0, this));
    }

    /// <summary>Called by the supervisor when the start phase took too long: the run is abandoned.</summary>
    public void StartTimedOut(TimeSpan timeout)
    {
        Abandon();
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
                _owner.Tree.Log.ChildCrashed(Path, error);
                return ReasonFor(error);
        }
    }

    /// <summary>An exception's reason token: its type name (a single token, as the trace format needs).</summary>
    public static ExitReason ReasonFor(Exception error) => error is ChildExitException exit ? exit.Reason : ExitReason.Abnormal(error.GetType().Name);
}
