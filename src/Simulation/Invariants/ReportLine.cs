namespace Supervision.Simulation.Invariants;

/// <summary>The kinds of supervisor report a trace prints (docs/TRACE-RULES.md rule 7; progress reports are not printed).</summary>
internal enum ReportLineKind
{
    ChildTerminated,
    StartError,
    ShutdownError,
    ReachedMaxRestartIntensity,
}

/// <summary>
/// One report line, <c># report &lt;supervisor&gt; &lt;kind&gt; &lt;child&gt; [&lt;reason&gt;]</c>, split into its subjects.
/// The reason is optional: a real OTP node prints none for the intensity report.
/// </summary>
internal readonly record struct ReportLine(string Supervisor, ReportLineKind Kind, string Child, string Reason)
{
    /// <summary>The last segment of <see cref="Child"/>: a child id or an instance name.</summary>
    public string ChildId => Child[(Child.LastIndexOf('/') + 1)..];

    /// <summary>Whether <see cref="Child"/> names a direct child of <see cref="Supervisor"/>.</summary>
    public bool NamesDirectChild => Child.Length > Supervisor.Length + 1
        && Child.StartsWith(Supervisor + "/", StringComparison.Ordinal)
        && Child.IndexOf('/', Supervisor.Length + 1) < 0;

    /// <summary>True when <paramref name="text"/> starts like a report line (it may still be malformed).</summary>
    public static bool LooksLikeReport(string text) => text.StartsWith("# report ", StringComparison.Ordinal);

    /// <summary>Splits a report line; null when it is not one (another comment) or its kind is unknown.</summary>
    public static ReportLine? TryParse(string text)
    {
        // Five or six fields; a seventh range holds whatever follows a sixth space, which no report has.
        Span<Range> parts = stackalloc Range[7];
        var count = text.AsSpan().Split(parts, ' ');
        if (count is < 5 or > 6 || !text.AsSpan(parts[0]).SequenceEqual("#") || !text.AsSpan(parts[1]).SequenceEqual("report"))
        {
            return null;
        }
        foreach (var part in parts[..count])
        {
            if (part.Start.Equals(part.End))
            {
                return null;
            }
        }
        ReportLineKind? kind = text.AsSpan(parts[3]) switch
        {
            "child_terminated" => ReportLineKind.ChildTerminated,
            "start_error" => ReportLineKind.StartError,
            "shutdown_error" => ReportLineKind.ShutdownError,
            "reached_max_restart_intensity" => ReportLineKind.ReachedMaxRestartIntensity,
            _ => null,
        };
        return kind is { } k ? new ReportLine(text[parts[2]], k, text[parts[4]], count > 5 ? text[parts[5]] : "") : null;
    }

    /// <summary>The kind as printed.</summary>
    public static string Name(ReportLineKind kind) => kind switch
    {
        ReportLineKind.ChildTerminated => "child_terminated",
        ReportLineKind.StartError => "start_error",
        ReportLineKind.ShutdownError => "shutdown_error",
        _ => "reached_max_restart_intensity",
    };

    /// <summary>The line as a trace prints it.</summary>
    public override string ToString() => $"# report {Supervisor} {Name(Kind)} {Child}{(Reason.Length > 0 ? " " + Reason : "")}";
}
