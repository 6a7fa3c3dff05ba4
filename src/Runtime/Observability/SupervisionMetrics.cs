using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;
using Supervision.Engine;

namespace Supervision.Runtime;

/// <summary>
/// The runtime's instruments, under the meter <see cref="MeterName"/>, created from
/// <see cref="SupervisionTreeOptions.MeterFactory"/> when one is given (as .NET's hosting does through DI),
/// else from one meter shared by every tree of the process. Units follow UCUM as OpenTelemetry asks:
/// <c>supervision.restarts</c> (counter, <c>{restart}</c>; tag <c>supervisor</c>),
/// <c>supervision.child.exits</c> (counter, <c>{exit}</c>; tag <c>reason</c>: normal, shutdown, killed, abnormal),
/// <c>supervision.start.failures</c> (counter, <c>{start}</c>; tag <c>supervisor</c>),
/// <c>supervision.tasks.rogue</c> (counter, <c>{task}</c>: killed children whose task outlived the kill grace),
/// <c>supervision.tasks.rogue.ended</c> (counter, <c>{task}</c>: rogue tasks that ended later),
/// <c>supervision.children.live</c> (up-down counter, <c>{child}</c>),
/// <c>supervision.restart.duration</c> (histogram, <c>s</c>; tags <c>supervisor</c>, <c>strategy</c>: from a
/// child's exit to its restart, or to the last child of its group restarted, on the tree's clock). Every
/// measurement also carries the tag <c>tree</c>: the root supervisor's id.
/// </summary>
public sealed class SupervisionMetrics : IDisposable
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "Supervision.Runtime";

    private static readonly string? Version = typeof(SupervisionMetrics).Assembly.GetName().Version?.ToString();

    // Without a factory: one meter for the process, as .NET's metrics guidance recommends; every tree reports into it.
    private static readonly Meter SharedMeter = new(MeterName, Version);

    // One set of instruments per meter: a factory hands the same meter to every tree that asks for this name.
    private static readonly ConditionalWeakTable<Meter, Instruments> InstrumentsByMeter = [];

    private readonly Instruments _instruments;
    private readonly KeyValuePair<string, object?> _tree;
    private long _rogueTotal;

    internal SupervisionMetrics(string rootId, IMeterFactory? meterFactory)
    {
        Meter = meterFactory?.Create(new MeterOptions(MeterName) { Version = Version }) ?? SharedMeter;
        _instruments = InstrumentsByMeter.GetValue(Meter, static meter => new Instruments(meter));
        _tree = new KeyValuePair<string, object?>("tree", rootId);
    }

    /// <summary>The meter the instruments belong to (the factory's when one was given).</summary>
    public Meter Meter { get; }

    /// <summary>Rogue tasks so far in this tree (also exported as <c>supervision.tasks.rogue</c>).</summary>
    public long RogueTasks => Interlocked.Read(ref _rogueTotal);

    internal void Restart(string supervisor) => _instruments.Restarts.Add(1, _tree, new KeyValuePair<string, object?>("supervisor", supervisor));

    internal void Exit(ExitReason reason) => _instruments.Exits.Add(1, _tree, new KeyValuePair<string, object?>("reason", reason.Kind switch
    {
        ExitReasonKind.Normal => "normal",
        ExitReasonKind.Shutdown or ExitReasonKind.ShutdownWithTerm => "shutdown",
        ExitReasonKind.Killed => "killed",
        _ => "abnormal",
    }));

    internal void StartFailure(string supervisor) => _instruments.StartFailures.Add(1, _tree, new KeyValuePair<string, object?>("supervisor", supervisor));

    internal void Rogue()
    {
        Interlocked.Increment(ref _rogueTotal);
        _instruments.Rogue.Add(1, _tree);
    }

    internal void RogueEnded() => _instruments.RogueEnded.Add(1, _tree);

    internal void LiveChildren(int delta) => _instruments.Live.Add(delta, _tree);

    /// <summary>Someone records restart durations: only then is a restart timed.</summary>
    internal bool RestartDurationEnabled => _instruments.RestartDuration.Enabled;

    internal void RestartDuration(TimeSpan duration, string supervisor, string strategy) =>
        _instruments.RestartDuration.Record(duration.TotalSeconds, _tree, new KeyValuePair<string, object?>("supervisor", supervisor), new KeyValuePair<string, object?>("strategy", strategy));

    /// <summary>Nothing to release: the meter is the factory's (which disposes it) or shared by every tree.</summary>
    public void Dispose()
    {
    }

    private sealed class Instruments(Meter meter)
    {
        public Counter<long> Restarts { get; } = meter.CreateCounter<long>("supervision.restarts", "{restart}", "Restarts decided after a child exited");

        public Counter<long> Exits { get; } = meter.CreateCounter<long>("supervision.child.exits", "{exit}", "Child exits by reason");

        public Counter<long> StartFailures { get; } = meter.CreateCounter<long>("supervision.start.failures", "{start}", "Failed child starts");

        public Counter<long> Rogue { get; } = meter.CreateCounter<long>("supervision.tasks.rogue", "{task}", "Killed children whose task outlived the kill grace");

        public Counter<long> RogueEnded { get; } = meter.CreateCounter<long>("supervision.tasks.rogue.ended", "{task}", "Rogue tasks that ended later");

        public UpDownCounter<long> Live { get; } = meter.CreateUpDownCounter<long>("supervision.children.live", "{child}", "Children running");

        public Histogram<double> RestartDuration { get; } = meter.CreateHistogram(
            "supervision.restart.duration",
            "s",
            "Time from a child's exit to its restart (to the last child of its group for one_for_all and rest_for_one)",
            tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30] });
    }
}
