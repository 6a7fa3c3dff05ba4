using Supervision.Simulation.Replay;
using Supervision.Simulation.Scenarios;

namespace Supervision.Simulation.Timeline;

/// <summary>One entry of a run in order: a trace line, or a scenario step placed where it acted.</summary>
/// <param name="Line">The trace line, when it is one.</param>
/// <param name="LineNumber">Its 1-based number in the trace; 0 for a step.</param>
/// <param name="Step">The step, when it is one.</param>
/// <param name="StepNumber">Its 1-based number in the scenario; 0 for a trace line.</param>
internal readonly record struct RunItem(TraceLine Line, int LineNumber, ScenarioStep? Step, int StepNumber)
{
    /// <summary>The entry's virtual time.</summary>
    public long AtMs => Step?.At ?? Line.AtMs;
}

/// <summary>
/// Merges a trace with the scenario's calls and plans, which the trace does not print: a call goes just before
/// its reply when that comes at the same instant, otherwise (like a plan) after the lines of its instant
/// (docs/TRACE-RULES.md rule 11: steps act once the tree has done what was due). Replies are matched to calls
/// first in, first out per call and supervisor.
/// </summary>
internal static class RunSequence
{
    /// <summary>The merged entries, and for each call's entry the entry of its reply (absent when it got none).</summary>
    public static (List<RunItem> Items, Dictionary<int, int> ReplyOfCall) Merge(Scenario scenario, IReadOnlyList<TraceLine> lines)
    {
        var before = new Dictionary<int, List<RunItem>>();
        var callOfReplyLine = MatchReplies(scenario, lines, out var replyLineOfStep);
        for (var s = 0; s < scenario.Steps.Count; s++)
        {
            var step = scenario.Steps[s];
            if (step is ExitStep || (lines.Count > 0 && step.At > lines[^1].AtMs))
            {
                continue; // An exit shows as its own trace line (or did nothing); nothing follows the end of the run.
            }
            var at = replyLineOfStep.TryGetValue(s, out var replyLine) && lines[replyLine].AtMs == step.At
                ? FirstEffect(lines, replyLine, (CallStep)step)
                : FirstLineAfter(lines, step.At);
            if (!before.TryGetValue(at, out var list))
            {
                list = [];
                before.Add(at, list);
            }
            list.Add(new RunItem(default, 0, step, s + 1));
        }
        var items = new List<RunItem>(lines.Count + scenario.Steps.Count);
        var itemOfStep = new Dictionary<int, int>();
        var replyOfCall = new Dictionary<int, int>();
        for (var i = 0; i <= lines.Count; i++)
        {
            if (before.TryGetValue(i, out var steps))
            {
                foreach (var item in steps)
                {
                    itemOfStep[item.StepNumber - 1] = items.Count;
                    items.Add(item);
                }
            }
            if (i < lines.Count)
            {
                if (callOfReplyLine.TryGetValue(i, out var callStep))
                {
                    replyOfCall[itemOfStep[callStep]] = items.Count;
                }
                items.Add(new RunItem(lines[i], i + 1, null, 0));
            }
        }
        return (items, replyOfCall);
    }

    /// <summary>For each reply line, the call step it answers (oldest unanswered call of that name to that supervisor).</summary>
    private static Dictionary<int, int> MatchReplies(Scenario scenario, IReadOnlyList<TraceLine> lines, out Dictionary<int, int> replyLineOfStep)
    {
        var waiting = new Dictionary<(string Call, string Sup), Queue<int>>();
        for (var s = 0; s < scenario.Steps.Count; s++)
        {
            if (scenario.Steps[s] is CallStep call)
            {
                var key = (call.CallName, call.Sup);
                if (!waiting.TryGetValue(key, out var queue))
                {
                    queue = new Queue<int>();
                    waiting.Add(key, queue);
                }
                queue.Enqueue(s);
            }
        }
        var callOfReply = new Dictionary<int, int>();
        replyLineOfStep = [];
        for (var i = 0; i < lines.Count; i++)
        {
            if (lines[i].IsComment || !lines[i].Text.StartsWith("reply ", StringComparison.Ordinal))
            {
                continue;
            }
            var parts = lines[i].Text.Split(' ', 4);
            if (parts.Length == 4 && waiting.TryGetValue((parts[1], parts[2]), out var queue)
                && queue.TryPeek(out var step) && scenario.Steps[step].At <= lines[i].AtMs)
            {
                queue.Dequeue();
                callOfReply[i] = step;
                replyLineOfStep[step] = i;
            }
        }
        return callOfReply;
    }

    /// <summary>
    /// Where an answered call began: the lines just before its reply, at the same instant, that it printed itself
    /// (the starts of <c>start_child</c> and <c>restart_child</c>, the stops of <c>terminate_child</c> and <c>stop</c>).
    /// </summary>
    private static int FirstEffect(IReadOnlyList<TraceLine> lines, int replyLine, CallStep call)
    {
        var kinds = call.Call switch
        {
            ScenarioCallKind.StartChild or ScenarioCallKind.RestartChild => new[] { "start ", "start_error ", "ignore " },
            ScenarioCallKind.TerminateChild or ScenarioCallKind.Stop => ["stop ", "# report "],
            _ => [],
        };
        var under = call.Call == ScenarioCallKind.Stop ? call.Sup : call.Sup + "/";
        var first = replyLine;
        for (var j = replyLine - 1; j >= 0 && lines[j].AtMs == lines[replyLine].AtMs; j--)
        {
            var text = lines[j].Text;
            var kind = Array.Find(kinds, k => text.StartsWith(k, StringComparison.Ordinal));
            if (kind is null || !text.AsSpan(kind.Length).StartsWith(under, StringComparison.Ordinal))
            {
                break;
            }
            first = j;
        }
        return first;
    }

    /// <summary>The index of the first line later than <paramref name="atMs"/> (the count when none is).</summary>
    private static int FirstLineAfter(IReadOnlyList<TraceLine> lines, long atMs)
    {
        int low = 0, high = lines.Count;
        while (low < high)
        {
            var middle = (low + high) / 2;
            if (lines[middle].AtMs <= atMs)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }
        return low;
    }
}
