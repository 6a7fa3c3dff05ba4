using Microsoft.Extensions.DependencyInjection;

namespace Supervision.Runtime.Tree;

/// <summary>What an incarnation holds besides its task: its DI scope and its child object, released when it ends.</summary>
internal sealed partial class ChildRun
{
    /// <summary>The incarnation's own scope of the tree's services, made before its factory runs (a failure is a failed start).</summary>
    private void OpenScope()
    {
        if (_owner.Tree.ScopeFactory is { } scopes)
        {
            var scope = scopes.CreateAsyncScope();
            _scope = scope;
            Context.Services = scope.ServiceProvider;
        }
    }

    /// <summary>
    /// After the task ended: the child object is disposed (it may still use its scoped services), then the scope.
    /// Runs once; a throwing Dispose is logged and ends nothing else. Completes at once when nothing is held.
    /// </summary>
    private ValueTask ReleaseAsync() =>
        _scope is null && _child is not (IAsyncDisposable or IDisposable) ? ValueTask.CompletedTask : ReleaseHeldAsync();

    private async ValueTask ReleaseHeldAsync()
    {
        var child = Interlocked.Exchange(ref _child, null);
        try
        {
            if (child is IAsyncDisposable asyncDisposable)
            {
                await asyncDisposable.DisposeAsync();
            }
            else
            {
                (child as IDisposable)?.Dispose();
            }
        }
        catch (Exception error)
        {
            LifecycleLog.DisposeFailed(_owner.Tree.Logger, error, Path, Context.Incarnation, "child object");
        }
        var scope = _scope;
        _scope = null;
        if (scope is { } held)
        {
            try
            {
                await held.DisposeAsync();
            }
            catch (Exception error)
            {
                LifecycleLog.DisposeFailed(_owner.Tree.Logger, error, Path, Context.Incarnation, "service scope");
            }
        }
    }
}
