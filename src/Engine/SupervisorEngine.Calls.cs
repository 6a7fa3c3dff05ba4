namespace Supervision.Engine;

/// <summary>The dynamic API: start_child, terminate_child, restart_child, delete_child, which_children, count_children, get_childspec.</summary>
public sealed partial class SupervisorEngine
{
    private void OnCall(long callId, CallRequest call)
    {
        switch (call.Kind)
        {
            case CallKind.WhichChildren:
                Reply(callId, new CallReply { Kind = ReplyKind.Children, Children = ListChildren() });
                break;
            case CallKind.CountChildren:
                Reply(callId, new CallReply { Kind = ReplyKind.Counts, Counts = CountChildren() });
                break;
            case CallKind.GetChildSpec:
                Reply(callId, GetChildSpec(call));
                break;
            case CallKind.DeleteChild:
                Reply(callId, DeleteChild(call));
                break;
            case CallKind.RestartChild:
                RestartChild(callId, call);
                break;
            case CallKind.TerminateChild:
                TerminateChild(callId, call);
                break;
            default:
                StartChild(callId, call);
                break;
        }
    }

    /// <summary>Static: by id. simple_one_for_one: by instance; an id is answered <c>simple_one_for_one</c>.</summary>
    private int FindTarget(CallRequest call) => _simple
        ? (call.ChildId is null ? _children.FindByInstance(call.Instance) : NoSlot)
        : (call.ChildId is null ? NoSlot : _children.FindById(call.ChildId));

    private void StartChild(long callId, CallRequest call)
    {
        if (call.RejectedWith is not null)
        {
            Reply(callId, CallReply.Failure(call.RejectedWith));
            return;
        }
        int slot;
        if (_simple)
        {
            slot = _children.Allocate(_template!, call.Arguments, ++_lastUid);
        }
        else
        {
            var spec = call.Spec;
            if (spec is null)
            {
                Reply(callId, CallReply.Failure("invalid_child_spec"));
                return;
            }
            var error = spec.FirstOtpError(_spec.AutoShutdown);
            if (error is not null)
            {
                Reply(callId, CallReply.Failure(error));
                return;
            }
            var existing = _children.FindById(spec.Id);
            if (existing != NoSlot)
            {
                Reply(callId, CallReply.Failure(_children[existing].State == ChildState.Running ? "already_started" : "already_present"));
                return;
            }
            slot = _children.Allocate(spec, null, ++_lastUid);
        }
        _op = Operation.StartCall;
        _callId = callId;
        BeginStart(slot);
    }

    private void OnStartCallResult(in SupervisorEvent e)
    {
        var slot = e.Child.Slot;
        ref var entry = ref _children[slot];
        switch (e.Kind)
        {
            case EventKind.ChildStarted:
                if (_simple)
                {
                    entry.Instance = ++_lastInstance;
                }
                entry.State = ChildState.Running;
                entry.StartedAtMs = _now;
                _children.LinkNewest(slot, _simple);
                if (!_simple)
                {
                    Report(ReportKind.Progress, slot, default);
                }
                Reply(_callId, StartedReply(slot));
                break;
            case EventKind.ChildIgnored:
                // A static non-temporary spec is kept, not running; nothing else is stored.
                if (!_simple && entry.Spec.Restart != RestartType.Temporary)
                {
                    _children.LinkNewest(slot, byInstance: false);
                }
                else
                {
                    _children.Remove(slot);
                }
                Reply(_callId, CallReply.IgnoredReply);
                break;
            default:
                _children.Remove(slot);
                Reply(_callId, CallReply.Failure(e.Reason.ToString()));
                break;
        }
        EndOperation();
    }

    private void TerminateChild(long callId, CallRequest call)
    {
        if (_simple && call.ChildId is not null)
        {
            Reply(callId, CallReply.Failure("simple_one_for_one"));
            return;
        }
        var slot = FindTarget(call);
        if (slot == NoSlot)
        {
            Reply(callId, CallReply.Failure("not_found"));
            return;
        }
        if (_children[slot].State != ChildState.Running)
        {
            // Not running or restarting: it becomes not running (an instance is erased); a pending retry lapses.
            MarkStopped(slot);
            Reply(callId, CallReply.OkReply);
            return;
        }
        _op = Operation.TerminateCall;
        _callId = callId;
        _cursor = slot;
        _walkStop = slot;
        ContinueTerminateWalk();
    }

    private void RestartChild(long callId, CallRequest call)
    {
        if (_simple)
        {
            Reply(callId, CallReply.Failure("simple_one_for_one"));
            return;
        }
        var slot = FindTarget(call);
        var refusal = RefuseUnlessStopped(slot);
        if (refusal is not null)
        {
            Reply(callId, CallReply.Failure(refusal));
            return;
        }
        _op = Operation.RestartCall;
        _callId = callId;
        BeginStart(slot);
    }

    private void OnRestartCallResult(in SupervisorEvent e)
    {
        var slot = e.Child.Slot;
        ref var entry = ref _children[slot];
        switch (e.Kind)
        {
            case EventKind.ChildStarted:
                entry.State = ChildState.Running;
                entry.StartedAtMs = _now;
                Report(ReportKind.Progress, slot, default);
                Reply(_callId, StartedReply(slot));
                break;
            case EventKind.ChildIgnored:
                entry.State = ChildState.Undefined;
                Reply(_callId, CallReply.IgnoredReply);
                break;
            default:
                // No report and no intensity tick: only the reply carries the error.
                entry.State = ChildState.Undefined;
                Reply(_callId, CallReply.Failure(e.Reason.ToString()));
                break;
        }
        EndOperation();
    }

    private CallReply DeleteChild(CallRequest call)
    {
        if (_simple)
        {
            return CallReply.Failure("simple_one_for_one");
        }
        var slot = FindTarget(call);
        var refusal = RefuseUnlessStopped(slot);
        if (refusal is not null)
        {
            return CallReply.Failure(refusal);
        }
        _children.Remove(slot);
        return CallReply.OkReply;
    }

    /// <summary>restart_child and delete_child need a known child that is not running: OTP's error otherwise.</summary>
    private string? RefuseUnlessStopped(int slot) => slot == NoSlot
        ? "not_found"
        : _children[slot].State switch
        {
            ChildState.Running => "running",
            ChildState.Restarting => "restarting",
            _ => null,
        };

    private CallReply GetChildSpec(CallRequest call)
    {
        if (_simple)
        {
            var known = call.ChildId is not null ? call.ChildId == _template!.Id : _children.FindByInstance(call.Instance) != NoSlot;
            return known ? new CallReply { Kind = ReplyKind.Spec, Spec = _template } : CallReply.Failure("not_found");
        }
        var slot = FindTarget(call);
        return slot == NoSlot ? CallReply.Failure("not_found") : new CallReply { Kind = ReplyKind.Spec, Spec = _children[slot].Spec };
    }

    private CallReply StartedReply(int slot)
    {
        ref var entry = ref _children[slot];
        return new CallReply
        {
            Kind = ReplyKind.Started,
            Child = new ChildRef(slot, entry.Incarnation),
            ChildId = entry.Spec.Id,
            Instance = entry.Instance,
        };
    }

    /// <summary>
    /// The children as which_children would list them (static children newest first, instances by
    /// instance number), read directly rather than through a call: for drivers and inspection.
    /// </summary>
    public IReadOnlyList<ChildInfo> SnapshotChildren() => ListChildren();

    /// <summary>which_children: static children newest first; instances by instance number.</summary>
    private ChildInfo[] ListChildren()
    {
        var list = new ChildInfo[_children.Count];
        var index = 0;
        var slot = _simple ? _children.Oldest : _children.Newest;
        while (slot != NoSlot)
        {
            ref var entry = ref _children[slot];
            var current = entry.State == ChildState.Running ? new ChildRef(slot, entry.Incarnation) : ChildRef.None;
            list[index++] = new ChildInfo(entry.Spec.Id, entry.Instance, entry.State, entry.Spec.EffectiveType, current);
            slot = _simple ? _children.Newer(slot) : _children.Older(slot);
        }
        return list;
    }

    private bool HasQueuedExit(ChildRef child)
    {
        for (var i = 0; i < _mailbox.Count; i++)
        {
            ref readonly var queued = ref _mailbox.PeekAt(i);
            if (queued.Kind == EventKind.ChildExited && queued.Child == child)
            {
                return true;
            }
        }
        return false;
    }

    private ChildCounts CountChildren()
    {
        int active = 0, supervisors = 0, workers = 0, restarting = 0;
        for (var slot = _children.Oldest; slot != NoSlot; slot = _children.Newer(slot))
        {
            ref var entry = ref _children[slot];
            // OTP checks is_process_alive: a child whose exit is already queued here is dead, though not yet handled.
            active += entry.State == ChildState.Running && !HasQueuedExit(new ChildRef(slot, entry.Incarnation)) ? 1 : 0;
            restarting += entry.State == ChildState.Restarting ? 1 : 0;
            if (entry.Spec.EffectiveType == ChildType.Supervisor)
            {
                supervisors++;
            }
            else
            {
                workers++;
            }
        }
        // simple_one_for_one: one spec; active is the table size less the instances waiting for a retry.
        return _simple
            ? new ChildCounts(1, _children.Count - restarting, supervisors, workers)
            : new ChildCounts(_children.Count, active, supervisors, workers);
    }
}
