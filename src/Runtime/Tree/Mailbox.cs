using System.Threading.Channels;

namespace Supervision.Runtime.Tree;

/// <summary>A supervisor's mailbox: many writers, one reader, first in first out.</summary>
internal interface IMailbox
{
    bool TryWrite(Message message);

    ValueTask<Message> ReadAsync();

    bool TryRead(out Message message);

    void Complete();
}

/// <summary>The default mailbox: an unbounded channel (its continuations come back to the caller's context).</summary>
internal sealed class ChannelMailbox : IMailbox
{
    private readonly Channel<Message> _channel = Channel.CreateUnbounded<Message>(new UnboundedChannelOptions { SingleReader = true });

    public bool TryWrite(Message message) => _channel.Writer.TryWrite(message);

    public ValueTask<Message> ReadAsync() => _channel.Reader.ReadAsync();

    public bool TryRead(out Message message) => _channel.Reader.TryRead(out message);

    public void Complete() => _channel.Writer.TryComplete();
}

/// <summary>Decides which tracked run a finished task belongs to: the incarnation check.</summary>
internal interface ICompletionMatcher
{
    /// <summary>The handle under which <paramref name="finished"/> is tracked, if it is still the current incarnation.</summary>
    bool TryMatch(IReadOnlyDictionary<Engine.ChildRef, object> running, ChildRun finished, out Engine.ChildRef reference);
}

/// <summary>The default: a finished task matches only its own incarnation, and never once abandoned.</summary>
internal sealed class IncarnationMatcher : ICompletionMatcher
{
    public static readonly IncarnationMatcher Instance = new();

    public bool TryMatch(IReadOnlyDictionary<Engine.ChildRef, object> running, ChildRun finished, out Engine.ChildRef reference)
    {
        reference = finished.Reference;
        return !finished.IsAbandoned && running.TryGetValue(finished.Reference, out var current) && ReferenceEquals(current, finished);
    }
}
