using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Supervision.Engine;
using Supervision.Runtime.Testing;
using Xunit;

namespace Supervision.Runtime.Tests.Hosting;

/// <summary>
/// <see cref="ChildContext.Services"/>: a DI scope per incarnation, made before its factory runs and disposed once its
/// task has ended; child objects disposed when their incarnation ends, whatever the ending. All on virtual time.
/// </summary>
public sealed class ChildServicesTests
{
    [Fact]
    public Task Each_incarnation_has_its_own_scope_disposed_after_its_task_ended_and_before_the_next_starts() => SupervisionTest.RunAsync(async test =>
    {
        // Checks: the factory and the body of one incarnation see the same scoped connection, a restart gets a new
        // one, and each is disposed after its incarnation's task ended and before the next incarnation's factory runs
        // (one incarnation at a time includes its resources); the last one is disposed when the tree stops.
        var journal = new List<string>();
        var opened = 0;
        using var services = new ServiceCollection().AddScoped(_ => new Connection(journal, ++opened)).BuildServiceProvider(validateScopes: true);
        var worker = ChildDefinition.Worker("w", context =>
        {
            journal.Add($"factory #{context.Incarnation} has connection {context.Services.GetRequiredService<Connection>().Id}");
            return new JournaledChild(journal);
        });
        var tree = await test.StartSupervisedAsync(new SupervisorDefinition("app", worker) { Intensity = 3 }, test.TreeOptions with { Services = services });
        Assert.True(await tree.Child("app/w").CrashAsync("boom"));
        await tree.StopAsync();
        Assert.Equal(
            [
                "factory #1 has connection 1", "run #1 with connection 1", "end #1", "dispose connection 1",
                "factory #2 has connection 2", "run #2 with connection 2", "end #2", "dispose connection 2",
            ],
            journal);
    });

    [Fact]
    public Task Without_services_the_context_has_a_provider_with_none() => SupervisionTest.RunAsync(async test =>
    {
        // Checks: a tree without SupervisionTreeOptions.Services gives its children a provider that has no service.
        object? found = "not asked";
        await test.StartSupervisedAsync(new SupervisorDefinition("app", ChildDefinition.Worker("w", context =>
        {
            found = context.Services.GetService(typeof(ILoggerFactory));
            return Task.Delay(Timeout.InfiniteTimeSpan, context.TimeProvider, context.Stopping);
        })));
        Assert.Null(found);
    });

    [Fact]
    public Task A_child_object_is_disposed_after_its_body_ended_and_before_its_restart() => SupervisionTest.RunAsync(async test =>
    {
        // Checks: an IAsyncDisposable child object is disposed with DisposeAsync only (not also Dispose), after its
        // body ended with a crash and before the next incarnation is made; the restart still sees the body's reason.
        var journal = new List<string>();
        var worker = ChildDefinition.Worker("w", context =>
        {
            journal.Add($"make #{context.Incarnation}");
            return new DisposableChild(journal, context.Incarnation) { CrashAfter = context.Incarnation == 1 ? TimeSpan.FromSeconds(1) : null };
        });
        var tree = await test.StartSupervisedAsync(new SupervisorDefinition("app", worker) { Intensity = 3 });
        var terminated = tree.WaitForAsync(e => e.Kind == SupervisionEventKind.ChildTerminated);
        await test.DelayAsync(TimeSpan.FromSeconds(2));
        Assert.Equal(ExitReason.Abnormal("IOException"), (await terminated).Reason);
        Assert.Equal(["make #1", "crash #1", "dispose async #1", "make #2"], journal);
    });

    [Fact]
    public Task Failed_ignored_and_timed_out_starts_dispose_their_object_once() => SupervisionTest.RunAsync(async test =>
    {
        // Checks: a start that fails at once, one that returns ignore, and one that outlives the start timeout (it
        // ends when killed) each dispose their object exactly once, after the start phase ended; none ran a body.
        var journal = new List<string>();
        var tree = await test.StartSupervisedAsync(new SupervisorDefinition("app"), test.TreeOptions with { StartTimeout = TimeSpan.FromSeconds(5) });
        ChildDefinition Starting(string id, Func<ChildContext, ValueTask<ChildStartResult>> start) =>
            ChildDefinition.Worker(id, context => new DisposableChild(journal, 1) { Start = start, Name = id });
        Assert.Equal(StartChildStatus.Failed, (await tree.Root.StartChildAsync(Starting("failing", _ => ValueTask.FromResult(ChildStartResult.Failed("no_db"))))).Status);
        Assert.Equal(StartChildStatus.Ignored, (await tree.Root.StartChildAsync(Starting("ignoring", _ => ValueTask.FromResult(ChildStartResult.Ignore)))).Status);
        var hanging = await tree.Root.StartChildAsync(Starting("hanging", async context =>
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, context.TimeProvider, context.Killed).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing | ConfigureAwaitOptions.ContinueOnCapturedContext);
            journal.Add("hanging start ended");
            return ChildStartResult.Started;
        }));
        Assert.Equal("start_timeout", hanging.Error);
        Assert.Equal(["dispose async failing", "dispose async ignoring", "hanging start ended", "dispose async hanging"], journal);
    });

    [Fact]
    public Task A_throwing_dispose_is_logged_and_changes_nothing_else() => SupervisionTest.RunAsync(async test =>
    {
        // Checks: a child object whose Dispose throws, and a scoped service whose Dispose throws, are each logged
        // (event 32, naming the child and what failed) on every end; the child is still restarted, and the tree
        // stops normally.
        var logs = new RecordingLoggerProvider();
        using var loggers = LoggerFactory.Create(builder => builder.AddProvider(logs));
        using var services = new ServiceCollection().AddScoped<ThrowingDisposable>().BuildServiceProvider();
        var worker = ChildDefinition.Worker("w", context =>
        {
            context.Services.GetRequiredService<ThrowingDisposable>();
            return new ThrowingChild();
        });
        var tree = await test.StartSupervisedAsync(new SupervisorDefinition("app", worker) { Intensity = 3 }, test.TreeOptions with { Services = services, LoggerFactory = loggers });
        var child = tree.Child("app/w");
        var restarted = child.WhenStartedAsync();
        Assert.True(await child.CrashAsync("boom"));
        await restarted;
        Assert.Equal(2, child.Incarnation);
        Assert.Equal(ExitReason.Shutdown, (await tree.StopAsync()).Reason);
        var failures = logs.Entries.Where(entry => entry.Id.Id == 32).Select(entry => entry.Message).ToList();
        Assert.Equal(
            [
                "Disposing the child object of child app/w (incarnation 1) threw; ignored",
                "Disposing the service scope of child app/w (incarnation 1) threw; ignored",
                "Disposing the child object of child app/w (incarnation 2) threw; ignored",
                "Disposing the service scope of child app/w (incarnation 2) threw; ignored",
            ],
            failures);
    });

    [Fact]
    public Task A_rogue_tasks_object_is_disposed_only_when_the_task_finally_ends() => SupervisionTest.RunAsync(async test =>
    {
        // Checks: a child killed at 0 that goes on for 2 s is abandoned as rogue after the 1 s kill grace and the next
        // incarnation starts, but its object is not disposed under its running task: only when that task ends, at 2 s.
        var journal = new List<string>();
        var worker = ChildDefinition.Worker("w", context => new DisposableChild(journal, context.Incarnation)
        {
            IgnoreKillFor = context.Incarnation == 1 ? TimeSpan.FromSeconds(2) : null,
        });
        var tree = await test.StartSupervisedAsync(new SupervisorDefinition("app", worker) { Intensity = 3 });
        var child = tree.Child("app/w");
        var restarted = child.WhenStartedAsync();
        Assert.True(await child.CrashAsync("kill"));
        await restarted;
        Assert.Equal(TimeSpan.FromSeconds(1), test.Now);
        Assert.Single(tree.RogueTasks);
        Assert.DoesNotContain("dispose async #1", journal);
        await tree.RogueTasks[0].Ended;
        Assert.Equal(TimeSpan.FromSeconds(2), test.Now);
        Assert.Equal(["rogue #1 ended", "dispose async #1"], journal);
    });

    private sealed class Connection(List<string> journal, int id) : IDisposable
    {
        public int Id { get; } = id;

        public void Dispose() => journal.Add($"dispose connection {Id}");
    }

    private sealed class JournaledChild(List<string> journal) : ISupervisedChild
    {
        public async Task RunAsync(ChildContext context)
        {
            journal.Add($"run #{context.Incarnation} with connection {context.Services.GetRequiredService<Connection>().Id}");
            try
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, context.TimeProvider, context.Stopping);
            }
            finally
            {
                journal.Add($"end #{context.Incarnation}");
            }
        }
    }

    /// <summary>Both disposable interfaces: only DisposeAsync may be called.</summary>
    private sealed class DisposableChild(List<string> journal, int incarnation) : ISupervisedChild, IAsyncDisposable, IDisposable
    {
        public string? Name { get; init; }

        public TimeSpan? CrashAfter { get; init; }

        public TimeSpan? IgnoreKillFor { get; init; }

        public Func<ChildContext, ValueTask<ChildStartResult>>? Start { get; init; }

        private string Label => Name ?? $"#{incarnation}";

        public ValueTask<ChildStartResult> StartAsync(ChildContext context) => Start?.Invoke(context) ?? ValueTask.FromResult(ChildStartResult.Started);

        public async Task RunAsync(ChildContext context)
        {
            if (CrashAfter is { } crash)
            {
                await Task.Delay(crash, context.TimeProvider, context.Stopping);
                journal.Add($"crash {Label}");
                throw new IOException("lost the connection");
            }
            if (IgnoreKillFor is { } ignore)
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, context.TimeProvider, context.Killed).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing | ConfigureAwaitOptions.ContinueOnCapturedContext);
                await Task.Delay(ignore, context.TimeProvider, CancellationToken.None);
                journal.Add($"rogue {Label} ended");
                return;
            }
            await Task.Delay(Timeout.InfiniteTimeSpan, context.TimeProvider, context.Stopping);
        }

        public ValueTask DisposeAsync()
        {
            journal.Add($"dispose async {Label}");
            return ValueTask.CompletedTask;
        }

        public void Dispose() => journal.Add($"dispose {Label}");
    }

    private sealed class ThrowingDisposable : IDisposable
    {
        public void Dispose() => throw new InvalidOperationException("dispose failed");
    }

    private sealed class ThrowingChild : ISupervisedChild, IDisposable
    {
        public Task RunAsync(ChildContext context) => Task.Delay(Timeout.InfiniteTimeSpan, context.TimeProvider, context.Stopping);

        public void Dispose() => throw new InvalidOperationException("dispose failed");
    }
}
