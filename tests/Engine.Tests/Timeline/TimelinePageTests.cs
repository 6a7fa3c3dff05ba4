using Supervision.Engine.Tests.Cli;
using Supervision.Simulation.Scenarios;
using Supervision.Simulation.Timeline;
using Xunit;

namespace Supervision.Engine.Tests.Timeline;

/// <summary>
/// The timeline page as markup: a lane per path of the trace, a mark per trace event, restart bands per strategy,
/// give-up flags, budgets; self-contained (no script, no external resource) and well-formed whatever the ids say.
/// </summary>
public sealed class TimelinePageTests
{
    public static TheoryData<string> Examples => ["chat.json", "ecommerce.json", "gameserver.json"];

    [Theory]
    [MemberData(nameof(Examples))]
    public void Every_path_of_the_trace_has_a_lane_and_every_trace_event_a_mark(string example)
    {
        // Checks: the lanes are exactly the paths the trace names (plus none invented), and every non-comment trace
        // line has a mark that carries its line number.
        var (page, trace) = TimelinePage.Of(ScenarioReader.Load(CliRunner.Example(example)));
        var paths = TimelinePage.TracePaths(trace);
        Assert.Equal(paths.Order(StringComparer.Ordinal), page.LanePaths.Order(StringComparer.Ordinal));
        var marked = page.MarkedLines.ToHashSet();
        var missing = TimelinePage.EventLines(trace).Where(p => !marked.Contains(p.Number)).Select(p => $"{p.Number}: {p.Line}").ToList();
        Assert.True(missing.Count == 0, "trace lines without a mark:\n" + string.Join('\n', missing));
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void The_page_needs_no_script_and_no_network(string example)
    {
        // Checks: no script element, no event-handler attribute, and no attribute that fetches anything (only the
        // SVG/XHTML namespaces mention a URL); the content security policy forbids all of it anyway.
        var (page, _) = TimelinePage.Of(ScenarioReader.Load(CliRunner.Example(example)));
        Assert.Empty(page.Elements("script"));
        var attributes = page.Document.Descendants().SelectMany(e => e.Attributes()).Where(a => !a.IsNamespaceDeclaration).ToList();
        Assert.DoesNotContain(attributes, a => a.Name.LocalName.StartsWith("on", StringComparison.Ordinal));
        Assert.DoesNotContain(attributes, a => a.Name.LocalName is "src" or "href" && !a.Value.StartsWith('#'));
        Assert.Contains("default-src 'none'", page.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void Restart_bands_carry_their_strategy_and_the_give_up_is_flagged_on_the_supervisor()
    {
        // Checks (worked out by hand: one_for_all, 2 restarts in 10 s, crashes at 1 s, 2 s and 3 s): two one_for_all
        // bands then a give-up band on the root; one give-up mark, on the root's lane; the root's budget is drawn.
        var scenario = ScenarioReader.Parse("""
            { "tree": { "id": "root", "strategy": "one_for_all", "intensity": 2, "period": 10,
                "children": [ { "id": "a" }, { "id": "b" } ] },
              "steps": [ { "at": 1000, "exit": "root/b", "reason": "crash" }, { "at": 2000, "exit": "root/a", "reason": "crash" },
                         { "at": 3000, "exit": "root/b", "reason": "crash" } ] }
            """, "give-up.json");
        var (page, _) = TimelinePage.Of(scenario);
        Assert.Equal(["one_for_all", "one_for_all", "give_up"], page.WithClass("band").Select(b => b.Attribute("data-strategy")!.Value));
        var giveUp = Assert.Single(page.WithClass("ev-give_up"));
        Assert.Equal("root", giveUp.Parent!.Attribute("data-path")!.Value);
        Assert.Equal(["root"], page.WithClass("budget").Select(b => b.Attribute("data-supervisor")!.Value));
        Assert.Contains("1 give-up", page.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void Hostile_ids_and_reasons_are_escaped_and_the_page_stays_well_formed()
    {
        // Checks: markup in ids, reasons and the name stays text: the page parses as XML, has no script element,
        // and each lane's data-path is the id exactly as written.
        var scenario = ScenarioReader.Parse("""
            { "name": "<script>alert('name')</script> & \"quotes\"",
              "tree": { "id": "r<o>ot", "strategy": "one_for_all", "intensity": 1, "period": 5,
                "children": [ { "id": "<img_src=x>" }, { "id": "a\"b'c&d<e>" }, { "id": "--!>x<!--" } ] },
              "steps": [
                { "at": 100, "exit": "r<o>ot/a\"b'c&d<e>", "reason": "<script>alert(1)</script>" },
                { "at": 200, "fail_start": "r<o>ot/--!>x<!--", "times": 1, "reason": "</svg><script>x</script>" },
                { "at": 300, "exit": "r<o>ot/--!>x<!--", "reason": "&amp;&lt;" },
                { "at": 400, "call": "which_children", "sup": "r<o>ot" } ] }
            """, "hostile.json");
        var (page, _) = TimelinePage.Of(scenario);
        Assert.Empty(page.Elements("script"));
        Assert.Equal(["r<o>ot", "r<o>ot/<img_src=x>", "r<o>ot/a\"b'c&d<e>", "r<o>ot/--!>x<!--"], page.LanePaths);
        Assert.DoesNotContain("<script", page.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void A_long_run_is_cut_in_the_middle_and_the_file_stays_bounded()
    {
        // Checks: 3000 crashes of a worker that may restart freely give more than the 2000 marks a page holds: the
        // page says how many events it left out, draws at most 2000 marks, and stays under MaxFileBytes.
        var steps = string.Join(",\n", Enumerable.Range(1, 3000).Select(i => $$"""{ "at": {{i * 10}}, "exit": "root/w", "reason": "crash" }"""));
        var scenario = ScenarioReader.Parse($$"""
            { "tree": { "id": "root", "strategy": "one_for_one", "intensity": 100000, "period": 1, "children": [ { "id": "w" } ] },
              "steps": [ {{steps}} ] }
            """, "long.json");
        var (page, _) = TimelinePage.Of(scenario);
        Assert.InRange(page.WithClass("ev").Count(), 1000, TimelineLimits.Default.MaxEvents);
        Assert.Contains("events left out", page.Html, StringComparison.Ordinal);
        Assert.True(page.Html.Length < TimelineDocument.MaxFileBytes, $"{page.Html.Length} characters");
    }
}
