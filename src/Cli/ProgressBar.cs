using System.Diagnostics;
using System.Globalization;
using System.Text;
using Supervision.Simulation.Checking;

namespace Supervision.Cli;

/// <summary>
/// One line on stderr, redrawn in place at most ten times a second: a bar, counts, rate, failures so far
/// and time left. Drawn only on a terminal (<see cref="TerminalInfo.ProgressBar"/>); erased when done, so
/// the summary that follows stands alone. Wall time here only paces the drawing and estimates the rate.
/// </summary>
internal sealed class ProgressBar : IDisposable
{
    private const int BarWidth = 24;
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);
    private readonly CliConsole _console;
    private readonly string _label;
    private readonly string _unit;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private TimeSpan? _lastDrawn;

    public ProgressBar(CliConsole console, string label, string unit)
    {
        _console = console;
        _label = label;
        _unit = unit;
    }

    /// <summary>Redraws the line if it is due (or the work is complete).</summary>
    public void Report(CampaignProgress progress)
    {
        if (!_console.Terminal.ProgressBar)
        {
            return;
        }
        var now = _clock.Elapsed;
        if (progress.Done < progress.Total && _lastDrawn is { } last && now - last < Interval)
        {
            return;
        }
        _lastDrawn = now;
        var failures = progress.Failures > 0 ? _console.OnErr(Failures(progress.Failures), CliConsole.Colour.Red) : Failures(progress.Failures);
        _console.Err.Write($"\r\u001b[2K{Format(_label, _unit, progress, now, failures)}");
        _console.Err.Flush();
    }

    /// <summary>Erases the line.</summary>
    public void Dispose()
    {
        if (_lastDrawn is not null)
        {
            _console.Err.Write("\r\u001b[2K");
            _console.Err.Flush();
        }
    }

    /// <summary>
    /// The text of the line, for example <c>simulate [#######.......] 4,512/20,000 runs  351/s  no failures  0:44 left</c>.
    /// A negative <see cref="CampaignProgress.Failures"/> means "not counted" and leaves that part out.
    /// </summary>
    public static string Format(string label, string unit, CampaignProgress progress, TimeSpan elapsed, string? failures = null)
    {
        var culture = CultureInfo.InvariantCulture;
        var fraction = progress.Total <= 0 ? 1.0 : Math.Clamp((double)progress.Done / progress.Total, 0, 1);
        var filled = (int)Math.Round(fraction * BarWidth);
        var rate = progress.Done / Math.Max(elapsed.TotalSeconds, 1e-9);
        var text = new StringBuilder()
            .Append(label).Append(" [").Append('#', filled).Append('.', BarWidth - filled).Append("] ")
            .Append(string.Create(culture, $"{progress.Done:N0}/{progress.Total:N0} {unit}"));
        if (progress.Done > 0 && elapsed > TimeSpan.Zero)
        {
            text.Append(string.Create(culture, $"  {rate:0.#}/s"));
        }
        if (progress.Failures >= 0)
        {
            text.Append("  ").Append(failures ?? Failures(progress.Failures));
        }
        if (progress.Done > 0 && progress.Done < progress.Total && elapsed > TimeSpan.Zero)
        {
            text.Append("  ").Append(Duration(TimeSpan.FromSeconds((progress.Total - progress.Done) / rate))).Append(" left");
        }
        return text.ToString();
    }

    private static string Failures(int count) => count switch
    {
        0 => "no failures",
        1 => "1 failure",
        _ => string.Create(CultureInfo.InvariantCulture, $"{count} failures"),
    };

    /// <summary><c>m:ss</c>, or <c>h:mm:ss</c> from an hour.</summary>
    public static string Duration(TimeSpan span)
    {
        var seconds = (long)Math.Ceiling(Math.Min(span.TotalSeconds, 99 * 3600.0));
        return seconds >= 3600
            ? string.Create(CultureInfo.InvariantCulture, $"{seconds / 3600}:{seconds / 60 % 60:00}:{seconds % 60:00}")
            : string.Create(CultureInfo.InvariantCulture, $"{seconds / 60}:{seconds % 60:00}");
    }
}
