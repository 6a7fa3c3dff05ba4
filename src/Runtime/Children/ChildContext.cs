using System.Diagnostics.CodeAnalysis;
using Supervision.Engine;
using Supervision.Runtime.Tree;

namespace Supervision.Runtime;

/// <summary>What a child incarnation knows about itself and how it is told to stop.</summary>
public sealed class ChildContext
{
    // What the incarnation's run already holds (its path, definition, stop signal and tree) is read from it
    // rather than copied: one context per running child, so every field counts.
    private readonly ChildRun _run;

    internal ChildContext(ChildRun run, long instance, int incarnation, object? arguments)
    {
        _run = run;
        Instance = instance;
        Incarnation = incarnation;
        Arguments = arguments;
    }

    /// <summary>The child's path, for example <c>root/orders/cart</c> (an instance: <c>root/pool/w#3</c>).</summary>
    public string Path => _run.Path;

    /// <summary>The child's id (for an instance, its template's id).</summary>
    public string Id => _run.Definition.Id;

    /// <summary>The simple_one_for_one instance number, or 0.</summary>
    public long Instance { get; }

    /// <summary>1 for the first start of this child, 2 after one restart, and so on.</summary>
    public int Incarnation { get; }

    /// <summary>The arguments given to start_child for a simple_one_for_one instance; null otherwise.</summary>
    public object? Arguments { get; }

    /// <summary>Cancelled when the supervisor asks the child to stop (or kills it). Honour it to exit with <c>shutdown</c>.</summary>
    public CancellationToken Stopping => _run.StopToken;

    /// <summary>
    /// Cancelled when the supervisor kills this incarnation: <c>brutal_kill</c>, a shutdown timeout that ran
    /// out, a start timeout, or the kill of its supervisor. A killed Erlang process does nothing more; a .NET
    /// task cannot be stopped from outside, so this is the last request: stop at once, skip any cleanup still
    /// running after <see cref="Stopping"/>. The supervisor waits for the task to end for
    /// <see cref="SupervisionTreeOptions.KillGrace"/>; a task still running then is abandoned as <em>rogue</em>
    /// (logged, counted, listed in <see cref="SupervisionTree.RogueTasks"/>), and only then may the next
    /// incarnation run beside it.
    /// </summary>
    public CancellationToken Killed
    {
        get
        {
            if (Volatile.Read(ref _killed) != 0)
            {
                return new CancellationToken(canceled: true);
            }
            var source = Volatile.Read(ref _kill);
            if (source is null)
            {
                var fresh = new CancellationTokenSource();
                source = Interlocked.CompareExchange(ref _kill, fresh, null) ?? fresh;
                if (!ReferenceEquals(source, fresh))
                {
                    fresh.Dispose();
                }
            }
            // The kill may have happened while the source was being installed (it read no source): cancel it here
            // (a source this new has no callbacks of the child's yet, so nothing can throw).
            if (Volatile.Read(ref _killed) != 0)
            {
                source.Cancel();
            }
            return source.Token;
        }
    }

    /// <summary>The clock to use for every wait (virtual in tests).</summary>
    public TimeProvider TimeProvider => _run.Owner.Tree.TimeProvider;

    /// <summary>
    /// This incarnation's services: a scope of <see cref="SupervisionTreeOptions.Services"/> (a hosted tree: the
    /// host's) made for it before its factory ran, so a scoped service is one instance per incarnation. The scope
    /// is disposed once the incarnation's task has ended, after the child object itself (see
    /// <see cref="ISupervisedChild"/>), before its supervisor hears of the end. Without services in the tree's
    /// options, a provider that has none (<c>GetService</c> returns null).
    /// </summary>
    public IServiceProvider Services { get; internal set; } = NoServices.Instance;

    /// <summary>A provider with no services.</summary>
    private sealed class NoServices : IServiceProvider
    {
        public static readonly NoServices Instance = new();

        public object? GetService(Type serviceType) => null;
    }

    // The kill signal is made on first use: most incarnations are never killed, and most never ask.
    private CancellationTokenSource? _kill;
    private int _killed;

    /// <summary>Cancels <see cref="Killed"/> (on the supervisor's loop).</summary>
    /// <exception cref="AggregateException">A callback the child registered on <see cref="Killed"/> threw (after all ran).</exception>
    internal void SignalKill()
    {
        if (Interlocked.Exchange(ref _killed, 1) == 0 && Volatile.Read(ref _kill) is { } source)
        {
            source.Cancel();
        }
    }

    /// <summary>Whether <see cref="SignalKill"/> was called.</summary>
    internal bool WasKilled => Volatile.Read(ref _killed) != 0;

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
