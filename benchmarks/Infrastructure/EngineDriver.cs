using Supervision.Engine;

namespace Supervision.Benchmarks.Infrastructure;

/// <summary>
/// Drives one engine the way a runtime would, with workers that obey at once: every start succeeds,
/// every stop or kill is answered by the child's exit, timers are never needed (children stop before
/// any deadline). Answers are handed to the engine as soon as their decision is drained, which the
/// protocol allows (an exit may arrive at any time). Allocates nothing once warm, so the benchmarks'
/// allocation column shows the engine's own allocations only.
/// </summary>
internal sealed class EngineDriver
{
    private ChildRef[] _current;

    /// <summary>Builds the engine and starts it (init, every child started).</summary>
    public EngineDriver(SupervisorSpec spec, string name = "bench")
    {
        Engine = new SupervisorEngine(spec, name);
        _current = new ChildRef[Math.Max(16, spec.Children.Count)];
        Engine.Handle(SupervisorEvent.Start(NowMs));
        Drain();
    }

    /// <summary>The engine driven.</summary>
    public SupervisorEngine Engine { get; }

    /// <summary>The virtual clock, in milliseconds; advanced by the caller.</summary>
    public long NowMs { get; set; }

    /// <summary>Decisions drained since construction.</summary>
    public long Decisions { get; private set; }

    /// <summary>Events handed to the engine since construction.</summary>
    public long Events { get; private set; }

    /// <summary>The reply to the latest call, if any.</summary>
    public CallReply? LastReply { get; private set; }

    /// <summary>The current incarnation of the child in <paramref name="slot"/> (as of its latest start).</summary>
    public ChildRef Current(int slot) => _current[slot];

    /// <summary>The child in <paramref name="slot"/> exits with <paramref name="reason"/>; everything that follows is carried out.</summary>
    public void Crash(int slot, ExitReason reason) => Send(SupervisorEvent.ChildExited(NowMs, _current[slot], reason));

    /// <summary>Sends an operator call and carries out everything that follows; returns the reply.</summary>
    public CallReply Call(long callId, CallRequest request)
    {
        LastReply = null;
        Send(SupervisorEvent.CallReceived(NowMs, callId, request));
        return LastReply ?? throw new InvalidOperationException($"call {callId} was not answered");
    }

    /// <summary>Hands one event to the engine, then drains.</summary>
    public void Send(in SupervisorEvent e)
    {
        Events++;
        Engine.Handle(e);
        Drain();
    }

    private void Drain()
    {
        while (Engine.TryDequeueDecision(out var decision))
        {
            Decisions++;
            switch (decision.Kind)
            {
                case DecisionKind.StartChild:
                    Remember(decision.Child);
                    Events++;
                    Engine.Handle(SupervisorEvent.ChildStarted(NowMs, decision.Child));
                    break;
                case DecisionKind.StopChild:
                    Events++;
                    Engine.Handle(SupervisorEvent.ChildExited(NowMs, decision.Child, ExitReason.Shutdown));
                    break;
                case DecisionKind.KillChild:
                    Events++;
                    Engine.Handle(SupervisorEvent.ChildExited(NowMs, decision.Child, ExitReason.Killed));
                    break;
                case DecisionKind.Reply:
                    LastReply = decision.Reply;
                    break;
            }
        }
    }

    private void Remember(ChildRef child)
    {
        if (child.Slot >= _current.Length)
        {
            Array.Resize(ref _current, Math.Max(child.Slot + 1, _current.Length * 2));
        }
        _current[child.Slot] = child;
    }
}
