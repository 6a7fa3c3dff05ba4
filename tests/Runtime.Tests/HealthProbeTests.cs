using Microsoft.Extensions.Logging;
using Supervision.Engine;
using Xunit;

namespace Supervision.Runtime.Tests;

/// <summary>Opt-in health probes: failed probes in a row are an exit (health_probe_failed) handled by the normal rules. Virtual time.</summary>
public sealed class HealthProbeTests
{
    /// <summary>A worker that runs until stopped and answers its probes from a script (true = healthy; the last answer repeats).</summary>
    private sealed class Scripted(Queue<Func<CancellationToken, Task<bool>>> answers, List<TimeSpan>? probedAt = null) : ISupervisedChild, IHealthProbe
    {
        private Func<CancellationToken, Task<bool>>? _last;

        public Task RunAsync(ChildContext context) => Task.Delay(Timeout.InfiniteTimeSpan, context.TimeProvider, context.Stopping);

        public async ValueTask<bool> ProbeAsync(ChildContext context, CancellationToken cancellationToken)
        {
            probedAt?.Add(context.TimeProvider.GetUtcNow() - new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero));
            _last = answers.TryDequeue(out var next) ? next : _last;
            return await _last!(cancellationToken);
        }
    }

    private static Func<CancellationToken, Task<bool>> Answer(bool healthy) => _ => Task.FromResult(healthy);

    /// <summary>A probe that hangs until its token is cancelled, and would then say healthy (too late).</summary>
    private static Task<bool> UntilCancelled(CancellationToken token)
    {
        var answer = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        token.Register(() => answer.TrySetResult(true));
        return answer.Task;
    }

    private static ChildDefinition Probed(string id, Func<Scripted> make, HealthProbeOptions options) =>
        ChildDefinition.Worker(id, _ => make()) with { HealthProbe = options };

    [Fact]
    public void Three_failed_probes_in_a_row_end_the_child_with_health_probe_failed_and_it_is_restarted()
    {
        // Checks: probes every 1 s answer false; the third failure (at 3 s) ends the child with
        // health_probe_failed, its supervisor reports child_terminated and restarts it (incarnation 2).
        var tree = new VirtualTree(new SupervisorDefinition("root",
            Probed("w", () => new Scripted(new([Answer(false)])), new HealthProbeOptions { Interval = TimeSpan.FromSeconds(1), FailureThreshold = 3 }))
        { Intensity = 5 });
        var terminated = tree.Tree.WaitForAsync(e => e.Kind == SupervisionEventKind.ChildTerminated);
        tree.AdvanceTo(TimeSpan.FromMilliseconds(2999));
        Assert.False(terminated.IsCompleted);
        tree.AdvanceTo(TimeSpan.FromSeconds(3));
        Assert.True(terminated.IsCompleted, "the child was not ended by its failed probes");
        Assert.Equal((TimeSpan.FromSeconds(3), "root/w", HealthProbeOptions.FailedReason), (terminated.Result.At, terminated.Result.ChildPath, terminated.Result.Reason.ToString()));
        Assert.Equal(2, tree.Tree.Child("root/w").Incarnation);
        tree.Stop();
    }

    [Fact]
    public void A_healthy_answer_resets_the_count()
    {
        // Checks: answers false, false, true, false, false, false (1 s apart): two failures then a success do
        // not end it; the next three failures do, at 6 s.
        var tree = new VirtualTree(new SupervisorDefinition("root",
            Probed("w", () => new Scripted(new([Answer(false), Answer(false), Answer(true), Answer(false)])), new HealthProbeOptions { Interval = TimeSpan.FromSeconds(1), FailureThreshold = 3 }))
        { Intensity = 5 });
        var terminated = tree.Tree.WaitForAsync(e => e.Kind == SupervisionEventKind.ChildTerminated);
        tree.AdvanceTo(TimeSpan.FromMilliseconds(5999));
        Assert.False(terminated.IsCompleted);
        tree.AdvanceTo(TimeSpan.FromSeconds(6));
        Assert.True(terminated.IsCompleted, "the child was not ended by its failed probes");
        Assert.Equal(TimeSpan.FromSeconds(6), terminated.Result.At);
        tree.Stop();
    }

    [Fact]
    public void A_probe_that_outlives_its_timeout_or_throws_is_a_failed_probe()
    {
        // Checks: a probe that hangs (honouring its token) fails at its 500 ms timeout, one that throws fails
        // at once: probes at 1 s (hang, fails at 1.5 s), then 2.5 s (throws): two failures end the child at 2.5 s.
        var probedAt = new List<TimeSpan>();
        var answers = new Queue<Func<CancellationToken, Task<bool>>>([
            UntilCancelled,
            _ => throw new InvalidOperationException("probe broke"),
        ]);
        var tree = new VirtualTree(new SupervisorDefinition("root",
            Probed("w", () => new Scripted(answers, probedAt), new HealthProbeOptions { Interval = TimeSpan.FromSeconds(1), Timeout = TimeSpan.FromMilliseconds(500), FailureThreshold = 2 }))
        { Intensity = 5 });
        var terminated = tree.Tree.WaitForAsync(e => e.Kind == SupervisionEventKind.ChildTerminated);
        tree.AdvanceTo(TimeSpan.FromSeconds(3));
        Assert.True(terminated.IsCompleted, "the child was not ended by its failed probes");
        Assert.Equal(TimeSpan.FromMilliseconds(2500), terminated.Result.At);
        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(2500)], probedAt.Take(2));
        tree.Stop();
    }

    [Fact]
    public void Probing_stops_with_the_incarnation_and_leaves_nothing_behind()
    {
        // Checks: a transient child that exits normally at 1.5 s is not restarted and is never probed again
        // (its probes answer false: a late verdict would end a child that is gone); after the stop no timer
        // is pending and nothing is left to run.
        var probedAt = new List<TimeSpan>();
        var tree = new VirtualTree(new SupervisorDefinition("root",
            ChildDefinition.Worker("w", async context => await Task.Delay(TimeSpan.FromMilliseconds(1500), context.TimeProvider, context.Stopping)) with
            {
                Restart = RestartType.Transient,
                HealthProbe = new HealthProbeOptions
                {
                    Interval = TimeSpan.FromSeconds(1),
                    FailureThreshold = 2,
                    Probe = (context, _) =>
                    {
                        probedAt.Add(context.TimeProvider.GetUtcNow() - new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero));
                        return ValueTask.FromResult(false);
                    },
                },
            }));
        tree.AdvanceTo(TimeSpan.FromSeconds(10));
        Assert.Equal([TimeSpan.FromSeconds(1)], probedAt);
        tree.Stop();
        Assert.False(tree.Scheduler.Clock.TryGetNextDue(out _));
        Assert.Equal(0, tree.Scheduler.ReadyCount);
    }

    [Fact]
    public void A_probed_child_without_a_probe_is_logged_and_runs()
    {
        // Checks: HealthProbe set on a delegate child with no Probe delegate: event 19 names the child; it runs.
        var logs = new RecordingLoggerProvider();
        using var loggers = LoggerFactory.Create(builder => builder.AddProvider(logs));
        var tree = new VirtualTree(new SupervisorDefinition("root",
            ChildDefinition.Worker("w", context => Task.Delay(Timeout.InfiniteTimeSpan, context.TimeProvider, context.Stopping)) with { HealthProbe = new HealthProbeOptions() }),
            loggers: loggers);
        Assert.Contains(logs.Entries, e => e.Id.Id == 19 && e.Message.Contains("root/w", StringComparison.Ordinal));
        Assert.True(tree.Tree.Child("root/w").IsRunning);
        tree.Stop();
    }

    [Fact]
    public void Bad_probe_options_and_a_probe_on_a_supervisor_are_refused_with_their_names()
    {
        // Checks: each out-of-range option throws at construction naming it; a probe on a supervisor child
        // is refused when the tree is built.
        Assert.Equal("Interval", Assert.Throws<ArgumentOutOfRangeException>(() => new HealthProbeOptions { Interval = TimeSpan.Zero }).ParamName);
        Assert.Equal("Timeout", Assert.Throws<ArgumentOutOfRangeException>(() => new HealthProbeOptions { Timeout = TimeSpan.FromDays(60) }).ParamName);
        Assert.Equal("FailureThreshold", Assert.Throws<ArgumentOutOfRangeException>(() => new HealthProbeOptions { FailureThreshold = 0 }).ParamName);
        var nested = ChildDefinition.Supervisor(new SupervisorDefinition("inner")) with { HealthProbe = new HealthProbeOptions() };
        var error = Assert.Throws<ArgumentException>(() => SupervisionTree.Create(new SupervisorDefinition("root", nested)));
        Assert.Equal("HealthProbe", error.ParamName);
    }
}
