using System.Threading.Tasks.Sources;
using Supervision.Engine;

namespace Supervision.Runtime.Tree;

/// <summary>A supervisor's mailbox: many writers, one reader, first in first out.</summary>
internal interface IMailbox
{
    bool TryWrite(Message message);

    /// <summary>Writes <paramref name="message"/> ahead of every message not yet read (disposal overtakes the queue).</summary>
    bool TryWriteUrgent(Message message) => TryWrite(message);

    ValueTask<Message> ReadAsync();

    bool TryRead(out Message message);

    void Complete();
}

/// <summary>
/// The default mailbox: a queue under a lock and one reusable waiter for the single reader, so that
/// reading and writing allocate nothing once the queue has grown. A write to an idle supervisor
/// completes the waiter, whose continuation runs asynchronously: on the captured synchronization context
/// (deterministic and controlled schedulers) or else on the writer's thread pool queue
/// (<see cref="ManualResetValueTaskSourceCore{TResult}"/> queues it locally), where it usually runs next
/// on the same thread without waking another one. Completing the mailbox wakes a waiting reader with a
/// <see cref="MessageKind.Closed"/> message, and every later read returns one.
/// </summary>
internal sealed class QueueMailbox : IMailbox, IValueTaskSource<Message>
{
    private static readonly Message Closed = new(MessageKind.Closed, ChildRef.None, default, default, 0, null);

    private readonly Lock _gate = new();
    private readonly Queue<Message> _queue = new();
    // Made on first use: only disposal writes ahead of the queue.
    private Queue<Message>? _urgent;
    private ManualResetValueTaskSourceCore<Message> _waiter = new() { RunContinuationsAsynchronously = true };
    private bool _readerWaiting;
    private bool _completed;

    public bool TryWrite(Message message)
    {
        lock (_gate)
        {
            if (_completed)
            {
                return false;
            }
            if (!_readerWaiting)
            {
                _queue.Enqueue(message);
                return true;
            }
            _readerWaiting = false;
        }
        // Outside the lock: the reader's continuation is queued, never run here, but keep the lock short.
        _waiter.SetResult(message);
        return true;
    }

    public bool TryWriteUrgent(Message message)
    {
        lock (_gate)
        {
            if (_completed)
            {
                return false;
            }
            if (!_readerWaiting)
            {
                (_urgent ??= new Queue<Message>()).Enqueue(message);
                return true;
            }
            _readerWaiting = false;
        }
        _waiter.SetResult(message);
        return true;
    }

    public ValueTask<Message> ReadAsync()
    {
        lock (_gate)
        {
            if (_urgent is { Count: > 0 } urgent)
            {
                return new ValueTask<Message>(urgent.Dequeue());
            }
            if (_queue.TryDequeue(out var message))
            {
                return new ValueTask<Message>(message);
            }
            if (_completed)
            {
                return new ValueTask<Message>(Closed);
            }
            _readerWaiting = true;
        }
        return new ValueTask<Message>(this, _waiter.Version);
    }

    public bool TryRead(out Message message)
    {
        lock (_gate)
        {
            if (_urgent is { Count: > 0 } urgent)
            {
                message = urgent.Dequeue();
                return true;
            }
            return _queue.TryDequeue(out message);
        }
    }

    public void Complete()
    {
        lock (_gate)
        {
            if (_completed)
            {
                return;
            }
            _completed = true;
            if (!_readerWaiting)
            {
                return;
            }
            _readerWaiting = false;
        }
        _waiter.SetResult(Closed);
    }

    Message IValueTaskSource<Message>.GetResult(short token)
    {
        var message = _waiter.GetResult(token);
        // The single reader reads again only after this: the waiter is ready for the next wait.
        _waiter.Reset();
        return message;
    }

    ValueTaskSourceStatus IValueTaskSource<Message>.GetStatus(short token) => _waiter.GetStatus(token);

    void IValueTaskSource<Message>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _waiter.OnCompleted(continuation, state, token, flags);
}

/// <summary>Decides which tracked run a finished task belongs to: the incarnation check.</summary>
internal interface ICompletionMatcher
{
    /// <summary>The handle under which <paramref name="finished"/> is tracked, if it is still the current incarnation.</summary>
    bool TryMatch(IReadOnlyDictionary<ChildRef, object> running, ChildRun finished, out ChildRef reference);
}

/// <summary>The default: a finished task matches only its own incarnation, and never once killed.</summary>
internal sealed class IncarnationMatcher : ICompletionMatcher
{
    public static readonly IncarnationMatcher Instance = new();

    public bool TryMatch(IReadOnlyDictionary<ChildRef, object> running, ChildRun finished, out ChildRef reference)
    {
        reference = finished.Reference;
        return !finished.IsKilled && running.TryGetValue(finished.Reference, out var current) && ReferenceEquals(current, finished);
    }
}
