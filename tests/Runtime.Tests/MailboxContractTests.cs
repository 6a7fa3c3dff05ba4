using Supervision.Engine;
using Supervision.Runtime.Tree;
using Xunit;

namespace Supervision.Runtime.Tests;

/// <summary>
/// The supervisor mailbox's contract, on one thread (its races are RealThreadStressTests'): urgent messages
/// first, nothing accepted after completion, and a reader waiting at completion woken with a closed message.
/// Mutation testing (tests/Mutation) found these unguarded by the tree-level tests.
/// </summary>
public sealed class MailboxContractTests
{
    private static Message Timer(long token) => new(MessageKind.Timer, ChildRef.None, default, default, token, null);

    [Fact]
    public void Urgent_messages_are_read_before_the_queue_and_in_their_own_order()
    {
        // Checks: TryRead and ReadAsync take urgent messages first (FIFO among them), then the queue (FIFO).
        var mailbox = new QueueMailbox();
        Assert.True(mailbox.TryWrite(Timer(1)));
        Assert.True(mailbox.TryWrite(Timer(2)));
        Assert.True(mailbox.TryWriteUrgent(Timer(10)));
        Assert.True(mailbox.TryWriteUrgent(Timer(11)));
        Assert.True(mailbox.TryRead(out var first));
        var second = mailbox.ReadAsync();
        Assert.True(second.IsCompletedSuccessfully);
        Assert.True(mailbox.TryRead(out var third));
        Assert.True(mailbox.TryRead(out var fourth));
        Assert.False(mailbox.TryRead(out _));
        Assert.Equal([10L, 11L, 1L, 2L], [first.Token, second.Result.Token, third.Token, fourth.Token]);
    }

    [Fact]
    public void A_completed_mailbox_refuses_every_write_and_reads_closed()
    {
        // Checks: after Complete, TryWrite and TryWriteUrgent return false and change nothing; messages written
        // before completion are still read, then every read is Closed.
        var mailbox = new QueueMailbox();
        Assert.True(mailbox.TryWrite(Timer(1)));
        mailbox.Complete();
        mailbox.Complete();
        Assert.False(mailbox.TryWrite(Timer(2)));
        Assert.False(mailbox.TryWriteUrgent(Timer(3)));
        Assert.Equal(1, mailbox.ReadAsync().Result.Token);
        Assert.Equal(MessageKind.Closed, mailbox.ReadAsync().Result.Kind);
        Assert.Equal(MessageKind.Closed, mailbox.ReadAsync().Result.Kind);
    }

    [Fact]
    public void A_reader_waiting_when_the_mailbox_completes_is_woken_with_closed()
    {
        // Checks: Complete hands the waiting reader a Closed message (a reader left waiting would hang its
        // supervisor's loop forever), and a write racing after it is refused.
        var mailbox = new QueueMailbox();
        var waiting = mailbox.ReadAsync();
        Assert.False(waiting.IsCompleted);
        mailbox.Complete();
        Assert.False(mailbox.TryWriteUrgent(Timer(1)));
        var woken = waiting.AsTask();
        Assert.True(woken.Wait(TimeSpan.FromSeconds(30)), "the waiting reader was not woken by Complete");
        Assert.Equal(MessageKind.Closed, woken.Result.Kind);
    }

    [Fact]
    public void A_write_to_a_waiting_reader_is_handed_over_directly_and_the_next_read_waits_again()
    {
        // Checks: a write while the reader waits completes that read (urgent or not), is not also queued, and the
        // waiter is re-armed for the next read.
        var mailbox = new QueueMailbox();
        var first = mailbox.ReadAsync().AsTask();
        Assert.True(mailbox.TryWriteUrgent(Timer(7)));
        Assert.True(first.Wait(TimeSpan.FromSeconds(30)));
        Assert.Equal(7, first.Result.Token);
        Assert.False(mailbox.TryRead(out _));
        var second = mailbox.ReadAsync().AsTask();
        Assert.False(second.IsCompleted);
        Assert.True(mailbox.TryWrite(Timer(8)));
        Assert.True(second.Wait(TimeSpan.FromSeconds(30)));
        Assert.Equal(8, second.Result.Token);
    }
}
