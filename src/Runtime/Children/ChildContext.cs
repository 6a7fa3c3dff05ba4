using System.Diagnostics.CodeAnalysis;
using Supervision.Engine;

namespace Supervision.Runtime;

/// <summary>What a child incarnation knows about itself and how it is told to stop.</summary>
public sealed class ChildContext
{
    internal ChildContext(string path, string id, long instance, int incarnation, object? arguments, CancellationToken stopping, TimeProvider timeProvider)
    {
        Path = path;
        Id = id;
        Instance = instance;
        Incarnation = incarnation;
        Arguments = arguments;
        Stopping = stopping;
        TimeProvider = timeProvider;
    }

    /// <summary>The child's path, for example <c>root/orders/cart</c> (an instance: <c>root/pool/w#3</c>).</summary>
    public string Path { get; }

    /// <summary>The child's id (for an instance, its template's id).</summary>
    public string Id { get; }

    /// <summary>The simple_one_for_one instance number, or 0.</summary>
    public long Instance { get; }

    /// <summary>1 for the first start of this child, 2 after one restart, and so on.</summary>
    public int Incarnation { get; }

    /// <summary>The arguments given to start_child for a simple_one_for_one instance; null otherwise.</summary>
    public object? Arguments { get; }

    /// <summary>Cancelled when the supervisor asks the child to stop (or kills it). Honour it to exit with <c>shutdown</c>.</summary>
    public CancellationToken Stopping { get; }

    /// <summary>The clock to use for every wait (virtual in tests).</summary>
    public TimeProvider TimeProvider { get; }

    /// <summary>The reason recorded by <see cref="EndWith"/>, used when RunAsync returns; null means <c>normal</c>.</summary>
    public ExitReason? RequestedExitReason { get; private set; }

    /// <summary>
    /// Records <paramref name="reason"/> as the exit reason for when RunAsync returns, without throwing
    /// (cheaper than <see cref="Exit(ExitReason)"/> on hot paths). Returning after <c>EndWith(shutdown)</c>
    /// is the same as honouring cancellation.
    /// </summary>
    public void EndWith(ExitReason reason) => RequestedExitReason = reason;

    /// <summary>Ends the child now with <paramref name="reason"/> (throws <see cref="ChildExitException"/>).</summary>
    [DoesNotReturn]
    public void Exit(ExitReason reason) => throw new ChildExitException(reason);

    /// <summary>Ends the child now with the reason token <paramref name="reason"/> (for example <c>normal</c> or <c>boom</c>).</summary>
    [DoesNotReturn]
    public void Exit(string reason) => throw new ChildExitException(ExitReason.Parse(reason));
}
