using System.Globalization;

namespace Supervision.Cli;

/// <summary>Prints a <see cref="CampaignSummary"/> for people: one line of totals, the coverage table, every failure with its files and commands.</summary>
internal static class SummaryPrinter
{
    public static void Print(CampaignSummary summary, CliConsole console, TextWriter output)
    {
        var culture = CultureInfo.InvariantCulture;
        var settings = summary.Settings.Count == 0 ? string.Empty : $" ({string.Join(", ", summary.Settings.Select(p => $"{p.Key} {p.Value}"))})";
        output.WriteLine(string.Create(culture,
            $"{summary.Command}{settings}: {summary.Scenarios} scenario{(summary.Scenarios == 1 ? "" : "s")} of seeds {summary.Seed}..{summary.LastSeed}, shard {summary.ShardText}, in {summary.ElapsedSeconds:0.00} s: {summary.Rate:0.#} scenarios/s"));
        if (summary.Scenarios < summary.Planned)
        {
            output.WriteLine(string.Create(culture, $"stopped early: {summary.Planned - summary.Scenarios} of the shard's {summary.Planned} scenarios not run"));
        }
        if (summary.Counters.Count > 0)
        {
            output.WriteLine(string.Join("; ", summary.Counters.Select(p => string.Create(culture, $"{p.Key}: {p.Value}"))));
        }
        PrintCoverage(summary, output);
        if (summary.Failures.Count == 0)
        {
            output.WriteLine(Paint(console, output, "no failures", CliConsole.Colour.Green));
            return;
        }
        foreach (var failure in summary.Failures)
        {
            output.WriteLine(Paint(console, output, $"FAILED seed {failure.Seed} [{failure.Check}]: {failure.Message}", CliConsole.Colour.Red));
            if (failure.Note is not null)
            {
                output.WriteLine($"  {failure.Note}");
            }
            foreach (var (role, file) in failure.Files)
            {
                output.WriteLine($"  {role}: {file}");
            }
            foreach (var command in failure.Commands)
            {
                output.WriteLine($"  reproduce: {command}");
            }
        }
        output.WriteLine(Paint(console, output, string.Create(culture, $"{summary.Failures.Count} failing seed{(summary.Failures.Count == 1 ? "" : "s")}"), CliConsole.Colour.Red));
    }

    private static void PrintCoverage(CampaignSummary summary, TextWriter output)
    {
        if (summary.Coverage.Count == 0)
        {
            return;
        }
        const string heading = "exercised (strategies and restart types: supervisors and children seen; others: scenarios)";
        var width = Math.Max(heading.Length, summary.Coverage.Keys.Max(k => k.Length + 2));
        var counts = summary.Coverage.Values.Select(v => v.ToString(CultureInfo.InvariantCulture)).ToList();
        var countWidth = Math.Max(5, counts.Max(c => c.Length));
        output.WriteLine($"{heading.PadRight(width)}  {"count".PadLeft(countWidth)}");
        foreach (var (what, count) in summary.Coverage)
        {
            output.WriteLine($"  {what.PadRight(width - 2)}  {count.ToString(CultureInfo.InvariantCulture).PadLeft(countWidth)}");
        }
    }

    private static string Paint(CliConsole console, TextWriter output, string text, CliConsole.Colour colour) =>
        ReferenceEquals(output, console.Out) ? console.OnOut(text, colour) : console.OnErr(text, colour);
}
