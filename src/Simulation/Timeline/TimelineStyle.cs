namespace Supervision.Simulation.Timeline;

/// <summary>The page's colours and CSS, in one place so that the picture, the legend and the tests agree.</summary>
internal static class TimelineStyle
{
    /// <summary>A worker's life on its lane.</summary>
    public const string WorkerColour = "#3b82f6";

    /// <summary>A supervisor's life on its lane.</summary>
    public const string SupervisorColour = "#8b5cf6";

    /// <summary>A crash (an abnormal exit), and a give-up.</summary>
    public const string CrashColour = "#dc2626";

    /// <summary>A successful start.</summary>
    public const string StartColour = "#16a34a";

    /// <summary>A band's colour per strategy, and for a give-up.</summary>
    public static string BandColour(string strategy, bool gaveUp) => gaveUp ? CrashColour : strategy switch
    {
        "one_for_all" => "#f97316",
        "rest_for_one" => "#d946ef",
        "simple_one_for_one" => "#14b8a6",
        _ => "#0ea5e9",
    };

    /// <summary>The style sheet (no external resource: fonts are the system's).</summary>
    public const string Css = """
        *{box-sizing:border-box}
        body{margin:0;padding:20px 24px 32px;font:13px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:#0f172a;background:#ffffff}
        header h1{margin:0 0 2px;font-size:19px;font-weight:650;letter-spacing:-0.01em}
        header h1 span{color:#64748b;font-weight:500}
        .name{margin:0 0 6px;color:#334155;max-width:1200px}
        .meta{margin:0 0 10px;color:#475569;display:flex;flex-wrap:wrap;gap:6px 8px}
        .pill{display:inline-block;padding:1px 8px;border-radius:999px;background:#f1f5f9;border:1px solid #e2e8f0;font-size:12px}
        .pill.bad{background:#fef2f2;border-color:#fecaca;color:#991b1b;font-weight:600}
        .legend{display:flex;flex-wrap:wrap;gap:4px 16px;margin:4px 0 12px;color:#334155;font-size:12px}
        .legend span{display:inline-flex;align-items:center;gap:5px}
        .notes{margin:0 0 10px;padding:6px 10px;border-left:3px solid #f59e0b;background:#fffbeb;color:#78350f;font-size:12px}
        .chart{display:flex;overflow-x:auto;border:1px solid #e2e8f0;border-radius:8px;background:#fff}
        .labels{position:sticky;left:0;z-index:2;background:#fff;border-right:1px solid #e2e8f0;flex:none}
        .plot{flex:none}
        svg text{font-family:inherit}
        .row-a{fill:#ffffff}.row-b{fill:#f8fafc}.row-sup{fill:#f5f3ff}.row-budget{fill:#fcfcfd}
        .instant{fill:#eef2ff;opacity:.55}.tick{stroke:#e2e8f0;stroke-width:1}
        .axis-bg{fill:#ffffff}.axis-line{stroke:#cbd5e1}
        .axis-label{font-size:11px;fill:#334155;font-weight:600}.gap-label{font-size:10px;fill:#94a3b8}
        .break{fill:url(#hatch);stroke:#cbd5e1}.break-text{font-size:10px;fill:#64748b}
        .lbl-id{font-size:12.5px;fill:#0f172a}.lbl-sup{font-weight:650}.lbl-badge{font-size:10px;fill:#64748b}
        .lbl-budget{font-size:10px;fill:#64748b;font-style:italic}.guide{stroke:#cbd5e1;fill:none}
        .ico-w{fill:#3b82f6}.ico-s{fill:#8b5cf6}
        .life-w{fill:#3b82f6}.life-s{fill:#8b5cf6}.life-init{fill:#c4b5fd}.life-failed{fill:#fecaca;stroke:#dc2626;stroke-dasharray:3 2}
        .life-open{fill:url(#fade)}
        .m-start{fill:#16a34a;stroke:#ffffff;stroke-width:1}
        .m-crash{fill:#dc2626;stroke:#ffffff;stroke-width:1.5}
        .m-exit{fill:#ffffff;stroke:#64748b;stroke-width:2}
        .m-stop{fill:#334155;stroke:#ffffff;stroke-width:1}
        .m-stop-crash{fill:#dc2626;stroke:#7f1d1d;stroke-width:1}
        .m-killed{stroke:#7f1d1d;stroke-width:2.6;stroke-linecap:round;fill:none}
        .m-start-error{fill:#f59e0b;stroke:#ffffff;stroke-width:1}
        .m-ignore{fill:#ffffff;stroke:#a8a29e;stroke-width:2;stroke-dasharray:2 1.5}
        .m-call{fill:#0d9488}.m-reply{fill:#ffffff;stroke:#0d9488;stroke-width:2}.m-reply-error{fill:#ffffff;stroke:#dc2626;stroke-width:2}
        .wait{stroke:#0d9488;stroke-width:1.5;stroke-dasharray:4 3;fill:none}
        .m-plan{fill:#ffffff;stroke:#94a3b8;stroke-width:1.2}
        .reason{font-size:10.5px;font-weight:600;paint-order:stroke;stroke:#ffffff;stroke-width:3px;stroke-linejoin:round}
        .reason-crash{fill:#b91c1c}.reason-error{fill:#b45309}.reason-call{fill:#0f766e;font-weight:500}
        .band-label{font-size:10.5px;font-weight:650;fill:#ffffff}
        .cause{fill:none;stroke-width:1.6;stroke-dasharray:3 2}
        .giveup-pole{stroke:#dc2626;stroke-width:2.5}.giveup-flag{fill:#dc2626}.giveup-text{font-size:10.5px;font-weight:700;fill:#ffffff}
        .b-ok{fill:#86efac}.b-at{fill:#fbbf24}.b-over{fill:#ef4444}
        .b-limit{stroke:#475569;stroke-width:1;stroke-dasharray:4 3}.b-count{font-size:9.5px;fill:#334155;font-weight:600}
        g.ev:hover>*:not(title){filter:brightness(1.25)}
        h2{font-size:15px;margin:22px 0 6px}
        table{border-collapse:collapse;font-size:12px}
        th,td{text-align:left;padding:3px 10px;border-bottom:1px solid #e2e8f0;vertical-align:top}
        th{color:#475569;font-weight:600;background:#f8fafc}
        td.num{text-align:right;font-variant-numeric:tabular-nums}
        .swatch{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:5px;vertical-align:-1px}
        footer{margin-top:18px;color:#64748b;font-size:12px;max-width:1100px}
        code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12px}
        """;
}
