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
    /// <summary>The parent's path, or null for the root (worked out once: the checker asks for it on most lines).</summary>
    public string? Parent { get; } = Path.LastIndexOf('/') is var cut and > 0 ? Path[..cut] : null;

    /// <summary>The last segment of the path: a child id or an instance name.</summary>
    public string Id { get; } = Path[(Path.LastIndexOf('/') + 1)..];

    /// <summary>Splits a line's text (without the time); null when it is not a known event.</summary>
    public static TraceEvent? TryParse(string text)
    {
        // At most four fields; a fifth range holds whatever follows a fourth space, which no event has.
        Span<Range> parts = stackalloc Range[5];
        var count = text.AsSpan().Split(parts, ' ');
        var word = text.AsSpan(parts[0]);
        TraceEventKind? kind = count switch
        {
            2 when word.SequenceEqual("start") => TraceEventKind.Start,
            2 when word.SequenceEqual("ignore") => TraceEventKind.Ignore,
            3 when word.SequenceEqual("start_error") => TraceEventKind.StartError,
            3 when word.SequenceEqual("exit") => TraceEventKind.Exit,
            3 when word.SequenceEqual("stop") => TraceEventKind.Stop,
            4 when word.SequenceEqual("reply") => TraceEventKind.Reply,
            _ => null,
        };
        if (kind is not { } k)
        {
            return null;
        }
        foreach (var part in parts[..count])
        {
            if (part.Start.Equals(part.End))
            {
                return null; // An empty field: two spaces in a row, or one at an end.
            }
        }
        return k == TraceEventKind.Reply
            ? new TraceEvent(k, text[parts[2]], Word(text, parts[3]), Word(text, parts[1]))
            : new TraceEvent(k, text[parts[1]], count > 2 ? Word(text, parts[2]) : "", "");
    }

    /// <summary>OTP's "normal" exit reasons: <c>normal</c>, <c>shutdown</c> and <c>{shutdown, _}</c>.</summary>
    public static bool IsNormalReason(string reason) =>
        reason is "normal" or "shutdown" || reason.StartsWith("shutdown:", StringComparison.Ordinal);

    /// <summary>A reason, result or call name: the common ones without a new string each time.</summary>
    private static string Word(string text, Range range)
    {
        var word = text.AsSpan(range);
        return word switch
        {
            "shutdown" => "shutdown",
            "killed" => "killed",
            "normal" => "normal",
            "ok" => "ok",
            "crash" => "crash",
            _ => word.ToString(),
        };
    }
}
