namespace Supervision.Cli;

/// <summary>Where a campaign's summary goes: the human form on stdout (or stderr with <c>--json -</c>), the JSON form where <c>--json</c> says.</summary>
internal static class SummaryOutput
{
    /// <summary>Prints <paramref name="summary"/>; returns the exit code (1 when it has failures, 2 when the JSON file cannot be written).</summary>
    public static int Emit(CampaignSummary summary, CliConsole console, string? jsonTarget)
    {
        if (jsonTarget == "-")
        {
            SummaryPrinter.Print(summary, console, console.Err);
            console.Out.Write(SummaryJson.Write(summary));
        }
        else
        {
            SummaryPrinter.Print(summary, console, console.Out);
            if (jsonTarget is not null && !TryWrite(jsonTarget, SummaryJson.Write(summary), console))
            {
                return Program.BadInput;
            }
        }
        console.Out.Flush();
        return summary.Failures.Count > 0 ? Program.CheckFailed : Program.Success;
    }

    /// <summary>Writes a file, reporting a failure as <c>supervise: FILE: reason</c>.</summary>
    public static bool TryWrite(string path, string text, CliConsole console)
    {
        try
        {
            if (Directory.Exists(path))
            {
                console.Error($"{path}: is a directory; expected a file name for the JSON summary");
                return false;
            }
            File.WriteAllText(path, text);
            return true;
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            console.Error($"{path}: cannot write the JSON summary: {error.Message}");
            return false;
        }
    }
}
