using System.Text;
using System.Text.RegularExpressions;

namespace Supervision.Conformance.Tests;

/// <summary>
/// Trace comparison for conformance (docs/SCENARIO-FORMAT.md): supervisor reports are part of the trace, compared
/// by kind and subjects (<c># report &lt;supervisor&gt; &lt;kind&gt; &lt;child&gt;</c>, where they come in the trace) but
/// not by their reason, whose text is OTP's own; other '#' lines removed; optionally without the time column;
/// stop lines of simple_one_for_one instances at the same instant (OTP stops them in parallel) compared as a
/// set, by putting them in instance order on both sides.
/// </summary>
internal static partial class TraceDiff
{
    public static List<string> Significant(string trace, bool ignoreTime)
    {
        var lines = trace.Split('\n')
            .Select(line => line.TrimEnd('\r'))
            .Where(line => line.Length > 0)
            .Select(line => IsComment(line) ? ReportSubjects(line) : line)
            .OfType<string>()
            .ToList();
        lines = SortParallelInstanceStops(lines);
        return ignoreTime ? lines.Select(DropTime).ToList() : lines;
    }

    /// <summary>A comment is '# …', also accepted with a time in front ('120 # …').</summary>
    private static bool IsComment(string line)
    {
        if (line.StartsWith('#'))
        {
            return true;
        }
        var space = line.IndexOf(' ', StringComparison.Ordinal);
        return space > 0 && line.AsSpan(space + 1).StartsWith("#", StringComparison.Ordinal);
    }

    /// <summary>
    /// A report line reduced to what both sides must agree on, <c># report &lt;supervisor&gt; &lt;kind&gt; &lt;child&gt;</c>
    /// (the reason is dropped: the driver prints OTP's own term, and the intensity report has none on the node);
    /// null for any other comment.
    /// </summary>
    public static string? ReportSubjects(string line)
    {
        var parts = line.Split(' ');
        return parts.Length >= 5 && parts[0] == "#" && parts[1] == "report" ? string.Join(' ', parts[..5]) : null;
    }

    private static string DropTime(string line)
    {
        var space = line.IndexOf(' ', StringComparison.Ordinal);
        return space < 0 || line.StartsWith('#') ? line : line[(space + 1)..];
    }

    private static List<string> SortParallelInstanceStops(List<string> lines)
    {
        var result = new List<string>(lines.Count);
        for (var i = 0; i < lines.Count;)
        {
            var key = InstanceStop(lines[i]);
            if (key is null)
            {
                result.Add(lines[i++]);
                continue;
            }
            var group = new List<(string Line, int Number)>();
            while (i < lines.Count && InstanceStop(lines[i]) is { } k && k.At == key.Value.At && k.Template == key.Value.Template)
            {
                group.Add((lines[i], k.Number));
                i++;
            }
            result.AddRange(group.OrderBy(entry => entry.Number).Select(entry => entry.Line));
        }
        return result;
    }

    private static (string At, string Template, int Number)? InstanceStop(string line)
    {
        var match = InstanceStopPattern().Match(line);
        return match.Success
            ? (match.Groups[1].Value, match.Groups[2].Value, int.Parse(match.Groups[3].Value, System.Globalization.CultureInfo.InvariantCulture))
            : null;
    }

    [GeneratedRegex(@"^(\d+) stop (\S+)#(\d+) ")]
    private static partial Regex InstanceStopPattern();

    /// <summary>Null when equal; otherwise the first differing line, with both traces.</summary>
    public static string? Describe(string scenarioFile, string otpTrace, string cliTrace, bool ignoreTime)
    {
        var otp = Significant(otpTrace, ignoreTime);
        var cli = Significant(cliTrace, ignoreTime);
        var first = Enumerable.Range(0, Math.Max(otp.Count, cli.Count))
            .FirstOrDefault(i => i >= otp.Count || i >= cli.Count || otp[i] != cli[i], -1);
        if (first < 0)
        {
            return null;
        }
        var text = new StringBuilder();
        text.AppendLine($"scenario: {scenarioFile}");
        text.AppendLine($"first difference at significant line {first + 1}{(ignoreTime ? " (time column ignored)" : "")}:");
        text.AppendLine($"  OTP: {(first < otp.Count ? otp[first] : "<end of trace>")}");
        text.AppendLine($"  CLI: {(first < cli.Count ? cli[first] : "<end of trace>")}");
        text.AppendLine("--- OTP trace (conformance/run-otp.sh) ---");
        text.Append(otpTrace.EndsWith('\n') ? otpTrace : otpTrace + "\n");
        text.AppendLine("--- CLI trace (supervise replay) ---");
        text.Append(cliTrace.EndsWith('\n') ? cliTrace : cliTrace + "\n");
        text.AppendLine("--- scenario ---");
        text.AppendLine(File.Exists(scenarioFile) ? File.ReadAllText(scenarioFile) : "(file gone)");
        return text.ToString();
    }
}
