using System.Diagnostics;
using System.Diagnostics.Metrics;
using OpenTelemetry;
using OpenTelemetry.Trace;
using Supervision.Engine;
using Xunit;

namespace Supervision.Runtime.Tests;

/// <summary>
/// Traces through OpenTelemetry's SDK and in-memory exporter (restart, group restart and give-up spans on the
/// tree's virtual clock), and metrics from a host's <see cref="IMeterFactory"/> with their units.
/// Alone in its collection: the exporter's list is not thread-safe, and other tests' trees would write spans to it.
/// </summary>
[Collection(TelemetryCollection.Name)]
public sealed class TelemetryTests
{
    private static ChildDefinition Forever(string id) => ChildDefinition.Worker(id, context => Task.Delay(Timeout.Infinite, context.Stopping));

    /// <summary>Incarnation 1 throws InvalidOperationException("disk full") after 1 s; later incarnations take 2 s to start, then run.</summary>
    private sealed class SlowRestart : ISupervisedChild
    {
        public async ValueTask<ChildStartResult> StartAsync(ChildContext context)
        {
            if (context.Incarnation > 1)
            {
                await Task.Delay(TimeSpan.FromSeconds(2), context.TimeProvider, context.Stopping);
            }
            return ChildStartResult.Started;
        }

        public async Task RunAsync(ChildContext context)
        {
            if (context.Incarnation == 1)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), context.TimeProvider, context.Stopping);
                throw new InvalidOperationException("disk full");
            }
            await Task.Delay(Timeout.Infinite, context.Stopping);
        }
    }

    /// <summary>Spans of the tree <paramref name="root"/> exported so far (other tests' trees share the source).</summary>
    private static List<Activity> Spans(List<Activity> exported, string root) =>
        exported.Where(span => (string?)span.GetTagItem(SupervisionTracing.TreeTag) == root).ToList();

    private static TracerProvider Tracing(List<Activity> exported) =>
        Sdk.CreateTracerProviderBuilder().AddSource(SupervisionTracing.ActivitySourceName).AddInMemoryExporter(exported).Build();

    [Fact]
    public void A_restart_is_one_span_from_the_exit_to_the_restart_with_the_exception()
    {
        // Checks: the child throws at 1 s and its next start takes 2 s: one supervision.restart span, 1 s to
        // 3 s on the tree's clock, tagged with the child, the reason, the strategy, the budget and the outcome,
        // with the exception as an event; status unset (a restart that worked is not an error).
        var exported = new List<Activity>();
        using var provider = Tracing(exported);
        var tree = new VirtualTree(new SupervisorDefinition("trace-one", ChildDefinition.Worker("a", _ => new SlowRestart())) { Intensity = 3, PeriodSeconds = 5 });
        var origin = tree.Scheduler.TimeProvider.GetUtcNow();
        tree.AdvanceTo(TimeSpan.FromSeconds(3));

        var span = Assert.Single(Spans(exported, "trace-one"));
        Assert.Equal(SupervisionTracing.RestartActivityName, span.OperationName);
        Assert.Equal((origin + TimeSpan.FromSeconds(1)).UtcDateTime, span.StartTimeUtc);
        Assert.Equal(TimeSpan.FromSeconds(2), span.Duration);
        Assert.Equal(ActivityStatusCode.Unset, span.Status);
        Assert.Equal(("trace-one/a", "InvalidOperationException", "one_for_one", "restarted"),
            ((string?)span.GetTagItem(SupervisionTracing.ChildTag), (string?)span.GetTagItem(SupervisionTracing.ReasonTag),
             (string?)span.GetTagItem(SupervisionTracing.StrategyTag), (string?)span.GetTagItem(SupervisionTracing.OutcomeTag)));
        Assert.Equal((1, 3, 5), ((int)span.GetTagItem(SupervisionTracing.RestartsInWindowTag)!, (int)span.GetTagItem(SupervisionTracing.IntensityTag)!, (int)span.GetTagItem(SupervisionTracing.PeriodTag)!));
        var exception = Assert.Single(span.Events, e => e.Name == "exception");
        Assert.Contains(exception.Tags, tag => tag is { Key: "exception.message", Value: "disk full" });
        Assert.Equal(2, tree.Tree.Child("trace-one/a").Incarnation);
        tree.Stop();
    }

    [Fact]
    public void A_rest_for_one_restart_is_a_group_span_naming_the_stopped_and_restarted_children()
    {
        // Checks: rest_for_one over a, b, c; b crashes: one supervision.group_restart span with the stopped
        // child (c), the restarted ones (b, c, oldest first), one child_stopped and two child_started events.
        var exported = new List<Activity>();
        using var provider = Tracing(exported);
        var tree = new VirtualTree(new SupervisorDefinition("trace-group", Forever("a"), Forever("b"), Forever("c")) { Strategy = RestartStrategy.RestForOne, Intensity = 3 });
        tree.Run(() => tree.Tree.Child("trace-group/b").CrashAsync("boom"));

        var span = Assert.Single(Spans(exported, "trace-group"));
        Assert.Equal(SupervisionTracing.GroupRestartActivityName, span.OperationName);
        Assert.Equal(["trace-group/c"], (string[])span.GetTagItem(SupervisionTracing.StoppedTag)!);
        Assert.Equal(["trace-group/b", "trace-group/c"], (string[])span.GetTagItem(SupervisionTracing.RestartedTag)!);
        Assert.Equal(["child_stopped", "child_started", "child_started"], span.Events.Select(e => e.Name));
        Assert.Equal("restarted", span.GetTagItem(SupervisionTracing.OutcomeTag));
        tree.Stop();
    }

    [Fact]
    public void A_give_up_is_an_error_span_with_the_window_until_the_supervisor_exited()
    {
        // Checks: intensity 1; a crashes at 0 and 1.5 s: a restart span for the first, then one
        // supervision.give_up span (status error) with 2 attempts in the window, each as a restart_attempt
        // event, ended with the outcome exited; no restart span for the exit that made it give up.
        var exported = new List<Activity>();
        using var provider = Tracing(exported);
        var tree = new VirtualTree(new SupervisorDefinition("trace-giveup", Forever("a"), Forever("b")) { Intensity = 1 });
        tree.Run(() => tree.Tree.Child("trace-giveup/a").CrashAsync("first"));
        tree.AdvanceTo(TimeSpan.FromMilliseconds(1500));
        tree.Run(() => tree.Tree.Child("trace-giveup/a").CrashAsync("second"));
        Assert.True(tree.Tree.Completion.IsCompleted);

        var spans = Spans(exported, "trace-giveup");
        Assert.Equal([SupervisionTracing.RestartActivityName, SupervisionTracing.GiveUpActivityName], spans.Select(s => s.OperationName));
        var giveUp = spans[1];
        Assert.Equal(ActivityStatusCode.Error, giveUp.Status);
        Assert.Equal((2, "exited", "second"), ((int)giveUp.GetTagItem(SupervisionTracing.RestartsInWindowTag)!, (string?)giveUp.GetTagItem(SupervisionTracing.OutcomeTag), (string?)giveUp.GetTagItem(SupervisionTracing.ReasonTag)));
        Assert.Equal(["first", "second"], giveUp.Events.Where(e => e.Name == "restart_attempt").Select(e => e.Tags.Single(t => t.Key == SupervisionTracing.ReasonTag).Value));
    }

    [Fact]
    public void Metrics_come_from_the_given_meter_factory_with_units_and_the_restart_duration_on_the_tree_clock()
    {
        // Checks: with SupervisionTreeOptions.MeterFactory the tree's meter is the factory's (not the shared one);
        // the instruments carry UCUM units; a restart whose start takes 2 virtual seconds records 2 s in
        // supervision.restart.duration (tags supervisor, strategy), and supervision.restarts counts 1.
        using var factory = new TestMeterFactory();
        var units = new Dictionary<string, string?>();
        var measured = new List<(string Name, double Value, Dictionary<string, object?> Tags)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Scope == factory)
            {
                units[instrument.Name] = instrument.Unit;
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => measured.Add((instrument.Name, value, Tags(tags))));
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => measured.Add((instrument.Name, value, Tags(tags))));
        listener.Start();

        var tree = new VirtualTree(new SupervisorDefinition("metered", ChildDefinition.Worker("a", _ => new SlowRestart())) { Intensity = 3 },
            configure: options => options with { MeterFactory = factory });
        tree.AdvanceTo(TimeSpan.FromSeconds(3));

        Assert.Same(Assert.Single(factory.Meters), tree.Tree.Metrics.Meter);
        Assert.Equal(SupervisionMetrics.MeterName, tree.Tree.Metrics.Meter.Name);
        Assert.Equal("{restart}", units["supervision.restarts"]);
        Assert.Equal("{child}", units["supervision.children.live"]);
        Assert.Equal("s", units["supervision.restart.duration"]);
        var duration = Assert.Single(measured, m => m.Name == "supervision.restart.duration");
        Assert.Equal(2.0, duration.Value);
        Assert.Equal(("metered", "one_for_one", "metered"), ((string?)duration.Tags["supervisor"], (string?)duration.Tags["strategy"], (string?)duration.Tags["tree"]));
        Assert.Equal(1, measured.Where(m => m.Name == "supervision.restarts").Sum(m => m.Value));
        tree.Stop();

        static Dictionary<string, object?> Tags(ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var copy = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var (key, value) in tags)
            {
                copy[key] = value;
            }
            return copy;
        }
    }
}

/// <summary>Tests that listen to the process-wide activity source: run when no other test runs.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TelemetryCollection
{
    /// <summary>The collection's name.</summary>
    public const string Name = "telemetry";
}
