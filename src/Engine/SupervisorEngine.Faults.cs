using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Runtime.CompilerServices;

namespace Supervision.Engine;

/// <summary>
/// Broken protocol: the engine is faulted and refuses further events. The messages are formatted here,
/// in helpers that are never inlined, so that the hot handlers that call them stay small.
/// </summary>
public sealed partial class SupervisorEngine
{
    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowFaulted() => throw new SupervisorEngineException($"supervisor engine '{Name}' is faulted and accepts no more events");

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void FaultTimeWentBackwards(long eventMs) => Fault($"time went backwards: event at {eventMs} ms after {_now} ms");

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void FaultEvent([StringSyntax(StringSyntaxAttribute.CompositeFormat)] string format, EventKind kind) =>
        Fault(string.Format(CultureInfo.InvariantCulture, format, kind));

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void FaultNotBeingStarted(EventKind kind, ChildRef child) => Fault($"{kind} for child {child}, which is not being started");

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Fault(string message)
    {
        Status = EngineStatus.Faulted;
        throw new SupervisorEngineException($"supervisor engine '{Name}': {message}");
    }
}
