using Supervision.Engine;

namespace Supervision.Simulation.Replay;

/// <summary>Carrying out the engines' decisions on simulated processes.</summary>
public sealed partial class ScenarioSimulator
{
    private void Execute(SimulatedSupervisor node, in Decision d)
    {
        switch (d.Kind)
        {
            case DecisionKind.StartChild:
                StartChild(node, d);
                break;
            case DecisionKind.StopChild:
                StopChild(node, d.Child);
                break;
            case DecisionKind.KillChild:
                KillChild(node, d.Child);
                break;
            case DecisionKind.ArmTimer:
                node.ArmedTimer = d.Token;
                Schedule(d.DeadlineMs, null, node, d.Token);
                break;
            case DecisionKind.CancelTimer:
                node.ArmedTimer = 0;
                break;
            case DecisionKind.ChildTerminated:
                var path = node.Children.Remove(d.Child, out var process) ? process.Path : ChildPath(node, d);
                Print("stop", path, d.Reason.ToString());
                if (process is SimulatedSupervisor stopped)
                {
                    AnswerPendingWithNoproc(stopped); // after its own stop line (TRACE-RULES rule 16)
                }
                break;
            case DecisionKind.Reply:
                PrintReply(node, d.Token, d.Reply!);
                break;
            case DecisionKind.Report:
                if (d.Report != ReportKind.Progress)
                {
                    Comment($"# report {node.Path} {TraceRendering.ReportName(d.Report)} {ReportSubject(node, d)} {TraceRendering.ReportDetail(d.Report, d.Reason, d.RestartDelayMs)}");
                }
                break;
            case DecisionKind.Started:
                OnSupervisorStarted(node);
                break;
            case DecisionKind.InitFailed:
                OnSupervisorInitFailed(node, d);
                break;
            case DecisionKind.Exited:
                OnSupervisorExited(node, d.Reason, d.ExitCause);
                break;
        }
    }

    private void StartChild(SimulatedSupervisor node, in Decision d)
    {
        var spec = d.Spec!;
        var newInstance = node.Engine.Spec.Strategy == RestartStrategy.SimpleOneForOne && d.Instance == 0;
        var templatePath = $"{node.Path}/{spec.Id}";
        var path = newInstance ? templatePath : ChildPath(node, d);
        var plan = _script.TakeStart(path, newInstance ? null : templatePath);
        if (plan is { Ignore: true })
        {
            Print("ignore", path);
            Deliver(node, SupervisorEvent.ChildIgnored(_now, d.Child));
            return;
        }
        if (plan is { } failing)
        {
            Print("start_error", path, failing.Error.ToString());
            Deliver(node, SupervisorEvent.ChildStartFailed(_now, d.Child, failing.Error));
            return;
        }
        var number = newInstance ? _instanceCounters.GetValueOrDefault(templatePath) + 1 : 0;
        if (newInstance)
        {
            path = $"{templatePath}#{number}";
        }
        if (spec.EffectiveType == ChildType.Supervisor)
        {
            // A supervisor instance is numbered only once its own init has succeeded (OnSupervisorStarted).
            var child = NewSupervisor(path, spec.Supervisor ?? new SupervisorSpec([]), node, d.Child);
            child.PendingInstanceNumber = number;
            node.Children[d.Child] = child;
            Deliver(child, SupervisorEvent.Start(_now));
            return;
        }
        if (newInstance)
        {
            NameInstance(node, spec.Id, templatePath, number);
        }
        var worker = new SimulatedWorker(path, node, d.Child);
        node.Children[d.Child] = worker;
        _workers[path] = worker;
        Print("start", path);
        Deliver(node, SupervisorEvent.ChildStarted(_now, d.Child));
    }

    private void StopChild(SimulatedSupervisor node, ChildRef child)
    {
        if (!node.Children.TryGetValue(child, out var process) || !process.Alive)
        {
            return; // Already exited: its exit is on its way to the supervisor.
        }
        if (process is SimulatedSupervisor supervisor)
        {
            supervisor.StopRequested = true;
            Deliver(supervisor, SupervisorEvent.StopRequested(_now, ExitReason.Shutdown));
            return;
        }
        var worker = (SimulatedWorker)process;
        if (worker.ScheduledExit != 0)
        {
            return;
        }
        var delay = _script.StopDelay(worker.Path);
        if (delay is { } ms)
        {
            worker.ScheduledExit = Schedule(_now + ms, worker, null, 0);
        }
    }

    private void KillChild(SimulatedSupervisor node, ChildRef child)
    {
        if (!node.Children.TryGetValue(child, out var process) || !process.Alive)
        {
            return;
        }
        if (process is SimulatedSupervisor supervisor)
        {
            KillSubtree(supervisor);
        }
        else
        {
            process.Alive = false;
            ((SimulatedWorker)process).ScheduledExit = 0;
        }
        Deliver(node, SupervisorEvent.ChildExited(_now, child, ExitReason.Killed));
    }

    /// <summary>A killed supervisor takes its subtree with it: newest first, depth first (TRACE-RULES rule 6).</summary>
    private void KillSubtree(SimulatedSupervisor supervisor)
    {
        supervisor.Alive = false;
        // Running children in the engine's order (newest first), then any child still being started.
        var order = supervisor.Engine.SnapshotChildren()
            .Where(info => info.State == ChildState.Running)
            .Select(info => info.Current)
            .Concat(supervisor.Children.Keys)
            .Distinct()
            .ToList();
        foreach (var reference in order)
        {
            if (supervisor.Children.TryGetValue(reference, out var child) && child.Alive)
            {
                if (child is SimulatedSupervisor inner)
                {
                    KillSubtree(inner);
                }
                child.Alive = false;
                if (child is not SimulatedSupervisor { Started: false })
                {
                    // A supervisor child still in its init never printed start: no stop line for it either.
                    Print("stop", child.Path, "killed");
                }
                if (child is SimulatedSupervisor killed)
                {
                    AnswerPendingWithNoproc(killed);
                }
            }
        }
    }

    /// <summary>Instances are numbered per template path, in order of successful start, across the run.</summary>
    private void NameInstance(SimulatedSupervisor owner, string templateId, string templatePath, long number)
    {
        _instanceCounters[templatePath] = number;
        var instance = ++owner.LastInstance;
        owner.InstanceNames[instance] = $"{templatePath}#{number}";
        owner.InstancesByName[$"{templateId}#{number}"] = instance;
    }

    private void OnSupervisorStarted(SimulatedSupervisor node)
    {
        node.Started = true;
        if (node.PendingInstanceNumber > 0 && node.Owner is { } pool)
        {
            var hash = node.Path.LastIndexOf('#');
            NameInstance(pool, node.Path[(pool.Path.Length + 1)..hash], node.Path[..hash], node.PendingInstanceNumber);
            node.PendingInstanceNumber = 0;
        }
        Print("start", node.Path);
        if (node.Owner is { } owner)
        {
            Deliver(owner, SupervisorEvent.ChildStarted(_now, node.Reference));
        }
    }

    private void OnSupervisorInitFailed(SimulatedSupervisor node, in Decision d)
    {
        node.Alive = false;
        var token = $"failed_to_start_child:{d.Spec!.Id}";
        // A new instance that failed to start has no number: its line goes on the template's path.
        Print("start_error", node.PendingInstanceNumber > 0 ? node.Path[..node.Path.LastIndexOf('#')] : node.Path, token);
        AnswerPendingWithNoproc(node);
        if (node.Owner is { } owner)
        {
            owner.Children.Remove(node.Reference);
            Deliver(owner, SupervisorEvent.ChildStartFailed(_now, node.Reference, ExitReason.Abnormal(token)));
        }
    }

    private void OnSupervisorExited(SimulatedSupervisor node, ExitReason reason, ExitCause cause)
    {
        node.Alive = false;
        var stopped = cause == ExitCause.Stopped;
        if (node.Owner is { } owner)
        {
            if (!stopped)
            {
                // It gave up or shut itself down, even if its parent's stop request was already queued.
                Print("exit", node.Path, reason.ToString());
                AnswerPendingWithNoproc(node);
            }
            // Otherwise its parent prints its stop line, and the noproc replies follow that.
            Deliver(owner, SupervisorEvent.ChildExited(_now, node.Reference, reason));
            return;
        }
        Print(stopped ? "stop" : "exit", node.Path, reason.ToString());
        if (node.StopCallId != 0)
        {
            // A `call stop` is answered ok when it stopped the root, noproc when the root died first.
            _trace.Add(new TraceLine(_now, $"reply stop {node.Path} {(stopped ? "ok" : "error:noproc")}"));
        }
        AnswerPendingWithNoproc(node);
    }

    private void AnswerPendingWithNoproc(SimulatedSupervisor node)
    {
        foreach (var (_, call) in node.PendingCalls.OrderBy(pair => pair.Key))
        {
            _trace.Add(new TraceLine(_now, $"reply {call.Name} {call.SupPath} error:noproc"));
        }
        node.PendingCalls.Clear();
    }

    /// <summary>The path of the child a decision is about: static children by id, instances by their name.</summary>
    private static string ChildPath(SimulatedSupervisor node, in Decision d)
    {
        if (node.Children.TryGetValue(d.Child, out var process))
        {
            return process.Path;
        }
        if (d.Instance != 0 && node.InstanceNames.TryGetValue(d.Instance, out var name))
        {
            return name;
        }
        return $"{node.Path}/{d.Spec?.Id}";
    }

    private static string ReportSubject(SimulatedSupervisor node, in Decision d) =>
        d.Spec is null ? node.Path : d.Child.IsNone ? $"{node.Path}/{d.Spec.Id}" : ChildPath(node, d);
}
