using Supervision.Engine;

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

    public async Task ExecuteAsync()
    {
        var start = await RunStartPhaseAsync();
        _owner.Post(new Message(MessageKind.StartOutcome, Reference, default, start.Result, 0, this));
        if (start.Result.Kind != ChildStartKind.Started || start.Child is null)
        {
            Volatile.Write(ref _finished, 1);
            return;
        }
        var reason = await RunBodyAsync(start.Child);
        Outcome = reason;
        Volatile.Write(ref _finished, 1);
        _owner.Post(new Message(MessageKind.Completed, Reference, reason, default, 0, this));
    }

    private async Task<(ChildStartResult Result, ISupervisedChild? Child)> RunStartPhaseAsync()
    {
        ISupervisedChild child;
        Task<ChildStartResult> starting;
        try
        {
            child = _definition.Factory!(Context);
            starting = child.StartAsync(Context).AsTask();
        }
        catch (Exception error)
        {
            return (ChildStartResult.Failed(ReasonFor(error)), null);
        }
        try
        {
            // The start timeout is the supervisor's timer (see SupervisorProcess), not WaitAsync: a
            // continuation inside WaitAsync could complete on the thread pool and escape a controlled scheduler.
            return (await starting, child);
        }
        catch (Exception error)
        {
            return (ChildStartResult.Failed(ReasonFor(error)), null);
        }
    }

    /// <summary>Called by the supervisor when the start phase took too long: the run is abandoned.</summary>
    public void StartTimedOut(TimeSpan timeout)
    {
        Abandon();
        _owner.Tree.Log.StartTimedOut(Path, timeout);
    }

    private async Task<ExitReason> RunBodyAsync(ISupervisedChild child)
    {
        try
        {
            await child.RunAsync(Context);
            return Context.RequestedExitReason ?? ExitReason.Normal;
        }
        catch (ChildExitException exit)
        {
            return exit.Reason;
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            return ExitReason.Shutdown;
        }
        catch (Exception error)
        {
            _owner.Tree.Log.ChildCrashed(Path, error);
            return ReasonFor(error);
        }
    }

    /// <summary>An exception's reason token: its type name (a single token, as the trace format needs).</summary>
    public static ExitReason ReasonFor(Exception error) => error is ChildExitException exit ? exit.Reason : ExitReason.Abnormal(error.GetType().Name);
}
