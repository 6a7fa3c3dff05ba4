using System.Text.RegularExpressions;
using Supervision.Engine.Tests.Cli;
using Supervision.Simulation.Replay;
using Supervision.Simulation.Scenarios;
using Supervision.Simulation.Timeline;
using Xunit;

namespace Supervision.Engine.Tests.Timeline;

/// <summary>
/// The timeline of a bundled example, written by <c>supervise timeline</c> and opened in a real headless Chromium
/// (no script runs, the page has none): the browser builds a DOM with every lane and the give-up, and paints a
/// picture with the page's colours in it. Skipped with its reason where Chromium is missing, failed in CI.
/// </summary>
public sealed partial class TimelineBrowserTests : IDisposable
{
    private const int Width = 1400;
    private const int Height = 1000;

    private readonly CliRunner _cli = new();

    public void Dispose() => _cli.Dispose();

    /// <summary>The game server example: 16 lanes, one_for_all and one_for_one restarts, three give-ups.</summary>
    private string WriteTimeline()
    {
        var html = _cli.Path("gameserver.html");
        var (code, _, errors) = CliRunner.Run("timeline", CliRunner.Example("gameserver.json"), "--out", html);
        Assert.True(code == 0, errors);
        return html;
    }

    [Fact]
    public void The_browser_builds_a_lane_per_child_and_the_give_up_flags()
    {
        // Checks: in the DOM Chromium built, every path the engine's trace names has its lane (data-path), and there
        // are as many give-up marks as the trace has give-up reports (three in this example).
        var chromium = HeadlessChromium.Require();
        var html = WriteTimeline();
        var dom = HeadlessChromium.DumpDom(chromium, html, _cli.Folder);
        var trace = ScenarioSimulator.Run(ScenarioReader.Load(CliRunner.Example("gameserver.json")), includeReports: true).Lines;
        var lanes = LanePath().Matches(dom).Select(m => System.Net.WebUtility.HtmlDecode(m.Groups[1].Value)).ToList();
        Assert.Equal(TimelinePage.TracePaths(trace).Order(StringComparer.Ordinal), lanes.Order(StringComparer.Ordinal));
        var giveUps = trace.Count(line => line.IsComment && line.Text.Contains(" reached_max_restart_intensity ", StringComparison.Ordinal));
        Assert.Equal(3, giveUps);
        Assert.Equal(giveUps, Regex.Count(dom, "class=\"ev ev-give_up\""));
    }

    [Fact]
    public void The_browser_paints_the_lanes_in_the_page_colours()
    {
        // Checks: the screenshot is a PNG of the window's size; it is not blank (no colour covers 90% of it, and it
        // has many colours); the page's style applied: a worker's life, a supervisor's life and a give-up flag
        // (solid fills of exactly these colours) each cover a visible area.
        var chromium = HeadlessChromium.Require();
        var html = WriteTimeline();
        var png = _cli.Path("gameserver.png");
        HeadlessChromium.Screenshot(chromium, html, png, Width, Height, _cli.Folder);
        var image = PngImage.Read(png);
        Assert.Equal((Width, Height), (image.Width, image.Height));
        var histogram = image.Histogram();
        var pixels = Width * Height;
        Assert.True(histogram.Values.Max() < pixels * 0.9, $"one colour covers {histogram.Values.Max()} of {pixels} pixels: a blank page");
        Assert.True(histogram.Count > 200, $"only {histogram.Count} colours");
        foreach (var (name, colour) in new[]
                 {
                     ("worker life", TimelineStyle.WorkerColour), ("supervisor life", TimelineStyle.SupervisorColour), ("give-up flag", TimelineStyle.CrashColour),
                 })
        {
            var count = histogram.GetValueOrDefault(Convert.ToInt32(colour[1..], 16));
            Assert.True(count > 500, $"{name} ({colour}): {count} pixels");
        }
    }

    [GeneratedRegex("data-path=\"([^\"]*)\"")]
    private static partial Regex LanePath();
}
