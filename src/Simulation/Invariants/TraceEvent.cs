namespace Supervision.Simulation.Invariants;

/// <summary>The event of a trace line.</summary>
internal enum TraceEventKind
{
    Start,
    StartError,
    Ignore,
    Exit,
    Stop,
    Reply,
}

/// <summary>
/// One non-comment trace line, split into its fields (docs/SCENARIO-FORMAT.md, "Trace"): <c>start p</c>,
/// <c>start_error p R</c>, <c>ignore p</c>, <c>exit p R</c>, <c>stop p R</c> or <c>reply call sup result</c>.
/// For a reply, <see cref="Path"/> is the supervisor called.
/// </summary>
internal readonly record struct TraceEvent(TraceEventKind Kind, string Path, string Detail, string Call)
{
    /// <summary>The parent's path, or null for the root.</summary>
    public string? Parent => Path.LastIndexOf('/') is var cut and > 0 ? Path[..cut] : null;

    /// <summary>The last segment of the path: a child id or an instance name.</summary>
    public string Id => Path[(Path.LastIndexOf('/') + 1)..];

    /// <summary>Splits a line's text (without the time); null when it is not a known event.</summary>
    public static TraceEvent? TryParse(string text)
    {
        var parts = text.Split(' ');
        var kind = parts[0] switch
        {
            "start" when parts.Length == 2 => TraceEventKind.Start,
            "ignore" when parts.Length == 2 => TraceEventKind.Ignore,
            "start_error" when parts.Length == 3 => TraceEventKind.StartError,
            "exit" when parts.Length == 3 => TraceEventKind.Exit,
            "stop" when parts.Length == 3 => TraceEventKind.Stop,
            "reply" when parts.Length == 4 => TraceEventKind.Reply,
            _ => (TraceEventKind?)null,
        };
        if (kind is not { } k || Array.IndexOf(parts, "") >= 0)
        {
            return null;
        }
        return k == TraceEventKind.Reply
            ? new TraceEvent(k, parts[2], parts[3], parts[1])
            : new TraceEvent(k, parts[1], parts.Length > 2 ? parts[2] : "", "");
    }

    /// <summary>OTP's "normal" exit reasons: <c>normal</c>, <c>shutdown</c> and <c>{shutdown, _}</c>.</summary>
    public static bool IsNormalReason(string reason) =>
        reason is "normal" or "shutdown" || reason.StartsWith("shutdown:", StringComparison.Ordinal);
}
