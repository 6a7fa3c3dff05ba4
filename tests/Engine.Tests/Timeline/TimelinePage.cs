using System.Xml;
using System.Xml.Linq;
using Supervision.Simulation.Replay;
using Supervision.Simulation.Scenarios;
using Supervision.Simulation.Timeline;

namespace Supervision.Engine.Tests.Timeline;

/// <summary>
/// A timeline page read back as XML (the writer keeps it well-formed), with the questions the tests ask: which
/// lanes, which trace lines have a mark, which marks are give-ups. Reading fails on any escaping mistake that
/// breaks the markup.
/// </summary>
internal sealed class TimelinePage
{
    private TimelinePage(string html, XDocument document)
    {
        Html = html;
        Document = document;
    }

    public string Html { get; }

    public XDocument Document { get; }

    public static TimelinePage Parse(string html)
    {
        using var reader = XmlReader.Create(new StringReader(html), new XmlReaderSettings { DtdProcessing = DtdProcessing.Ignore });
        return new TimelinePage(html, XDocument.Load(reader));
    }

    /// <summary>Renders <paramref name="scenario"/> on the engine and reads the page, with the trace it drew.</summary>
    public static (TimelinePage Page, IReadOnlyList<TraceLine> Trace) Of(Scenario scenario)
    {
        var result = ScenarioSimulator.Run(scenario, includeReports: true);
        return (Parse(TimelineDocument.Render(scenario, result, "engine")), result.Lines);
    }

    public IEnumerable<XElement> Elements(string name) => Document.Descendants().Where(e => e.Name.LocalName == name);

    public IEnumerable<XElement> WithClass(string cssClass) =>
        Document.Descendants().Where(e => (e.Attribute("class")?.Value ?? "").Split(' ').Contains(cssClass));

    /// <summary>The <c>data-path</c> of every lane, in order.</summary>
    public List<string> LanePaths => [.. WithClass("lane").Select(e => e.Attribute("data-path")!.Value)];

    /// <summary>The trace line number of every mark that has one.</summary>
    public List<int> MarkedLines => [.. WithClass("ev").Select(e => e.Attribute("data-line")?.Value).OfType<string>().Select(int.Parse)];

    /// <summary>The paths a trace's events name (starts, errors, ignores, exits, stops; a reply's supervisor).</summary>
    public static HashSet<string> TracePaths(IEnumerable<TraceLine> trace) =>
        [.. EventLines(trace).Select(p => p.Line.Text.Split(' ')).Select(parts => parts[0] == "reply" ? parts[2] : parts[1])];

    /// <summary>The non-comment lines with their 1-based numbers.</summary>
    public static IEnumerable<(int Number, TraceLine Line)> EventLines(IEnumerable<TraceLine> trace) =>
        trace.Select((line, i) => (i + 1, line)).Where(p => !p.line.IsComment);
}
