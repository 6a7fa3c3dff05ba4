using Supervision.Engine;

namespace Supervision.Runtime.Tree;

/// <summary>What a supervisor tells its engine once a kill has settled.</summary>
internal enum KillEnding : byte
{
    /// <summary>The child exited (killed, or the reason of an injected exit).</summary>
    Exit,
    /// <summary>The child's start failed (its start timed out).</summary>
    StartFailed,
}

/// <summary>
/// A kill in progress: the tasks it cancelled, which the supervisor waits for before it tells its engine
/// the child is gone, so that a new incarnation never starts beside the old one. It settles when every
/// task has ended (a <see cref="MessageKind.KillSettled"/> message), or when the kill grace runs out
/// (its owner's grace timer, <see cref="MessageKind.KillGraceExpired"/>): the tasks still running are then
/// declared rogue.
/// Counting is thread-safe (tasks end anywhere); settling happens on the owner's loop only.
/// </summary>
internal sealed class KillWait
{
    // Most kills wait for one task: the first is kept in a field, a list only when there are more.
    private ChildRun? _first;
    private List<ChildRun>? _more;
    // Starts at one: the registration in progress, released by Arm.
    private int _remaining = 1;

    public KillWait(SupervisorProcess owner, ChildRef child, object subject, ExitReason reason, KillEnding ending)
    {
        Owner = owner;
        Child = child;
        Subject = subject;
        Reason = reason;
        Ending = ending;
    }

    public SupervisorProcess Owner { get; }

    /// <summary>The killed child in the owner's engine.</summary>
    public ChildRef Child { get; }

    /// <summary>The killed <see cref="ChildRun"/> or <see cref="SupervisorProcess"/>.</summary>
    public object Subject { get; }

    public ExitReason Reason { get; }

    public KillEnding Ending { get; }

    /// <summary>An injected exit waiting to hear that its supervisor has acted.</summary>
    public ExitInjection? Injection { get; init; }

    /// <summary>When its grace runs out, in the owner's milliseconds (<see cref="long.MaxValue"/>: never).</summary>
    public long GraceDeadlineMs { get; set; }

    /// <summary>Owner's loop only: the engine has been told.</summary>
    public bool Settled { get; set; }

    /// <summary>The tasks this kill waits for.</summary>
    public IEnumerable<ChildRun> Runs
    {
        get
        {
            if (_first is not null)
            {
                yield return _first;
            }
            foreach (var run in _more ?? [])
            {
                yield return run;
            }
        }
    }

    /// <summary>Waits for <paramref name="run"/> too (before <see cref="Arm"/>).</summary>
    public void Watch(ChildRun run)
    {
        Interlocked.Increment(ref _remaining);
        if (run.TryWatch(this))
        {
            if (_first is null)
            {
                _first = run;
            }
            else
            {
                (_more ??= []).Add(run);
            }
        }
        else
        {
            Interlocked.Decrement(ref _remaining);
        }
    }

    /// <summary>Registration done: true when every task had already ended (settle now, no message).</summary>
    public bool Arm() => Interlocked.Decrement(ref _remaining) == 0;

    /// <summary>One watched task ended (on its own thread).</summary>
    public void OneEnded()
    {
        if (Interlocked.Decrement(ref _remaining) == 0)
        {
            Owner.Post(new Message(MessageKind.KillSettled, Child, default, default, 0, this));
        }
    }
}
