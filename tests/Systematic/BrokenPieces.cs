using System.Threading.Channels;
using Supervision.Engine;
using Supervision.Runtime.Tree;

namespace Supervision.Systematic.Tests;

/// <summary>
/// Deliberately broken variants of small runtime pieces, plugged into the real runtime through its
/// internal seams. The explorer must find each; the correct pieces must pass the same budget.
/// </summary>
internal static class BrokenPieces
{
    /// <summary>A mailbox that loses a message written while another one is still waiting to be read.</summary>
    internal sealed class LossyMailbox : IMailbox
    {
        private readonly Channel<Message> _channel = Channel.CreateUnbounded<Message>();

        public bool TryWrite(Message message) => _channel.Reader.Count > 0 || _channel.Writer.TryWrite(message);

        // Awaited, not returned as it is: Coyote's rewriting turns a ValueTask handed straight through from an
        // unrewritten library (here System.Threading.Channels) into invalid IL.
        public async ValueTask<Message> ReadAsync() => await _channel.Reader.ReadAsync();

        public bool TryRead(out Message message) => _channel.Reader.TryRead(out message);

        public void Complete() => _channel.Writer.TryComplete();
    }

    /// <summary>A mailbox that hands out the newest waiting message first (last in, first out).</summary>
    internal sealed class ReorderingMailbox : IMailbox
    {
        private readonly Channel<Message> _channel = Channel.CreateUnbounded<Message>();
        private readonly List<Message> _buffer = [];

        public bool TryWrite(Message message) => _channel.Writer.TryWrite(message);

        public async ValueTask<Message> ReadAsync()
        {
            if (_buffer.Count == 0)
            {
                _buffer.Add(await _channel.Reader.ReadAsync());
            }
            while (_channel.Reader.TryRead(out var more))
            {
                _buffer.Add(more);
            }
            var newest = _buffer[^1];
            _buffer.RemoveAt(_buffer.Count - 1);
            return newest;
        }

        public bool TryRead(out Message message)
        {
            if (_buffer.Count > 0)
            {
                message = _buffer[^1];
                _buffer.RemoveAt(_buffer.Count - 1);
                return true;
            }
            return _channel.Reader.TryRead(out message);
        }

        public void Complete() => _channel.Writer.TryComplete();
    }

    /// <summary>A completion handler that forgets the incarnation check: a finished task is taken for whatever run now has its path.</summary>
    internal sealed class PathMatcher : ICompletionMatcher
    {
        public bool TryMatch(IReadOnlyDictionary<ChildRef, object> running, ChildRun finished, out ChildRef reference)
        {
            foreach (var (candidate, run) in running)
            {
                if (run is ChildRun worker && worker.Path == finished.Path)
                {
                    reference = candidate;
                    return true;
                }
            }
            reference = default;
            return false;
        }
    }
}
