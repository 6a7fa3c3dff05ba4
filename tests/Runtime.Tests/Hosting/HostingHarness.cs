using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Supervision.Runtime.Hosting;
using Supervision.Runtime.Testing;
using Xunit;

namespace Supervision.Runtime.Tests.Hosting;

/// <summary>
/// A hosted tree as dependency injection makes it (the real registration, options and host), without a generic host:
/// on a test's deterministic scheduler, with a lifetime that records StopApplication and a log that can be awaited.
/// </summary>
internal sealed class VirtualHost : IDisposable
{
    public const string Name = "t";

    public VirtualHost(SupervisionTestContext test, SupervisorDefinition root, Action<SupervisionTreeHostOptions>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddLogging(builder => builder.AddProvider(Logs).SetMinimumLevel(LogLevel.Trace));
        services.AddSingleton<IHostApplicationLifetime>(Lifetime);
        services.AddSupervisionTree(Name, root).Configure(options =>
        {
            options.Scheduler = test.Scheduler;
            configure?.Invoke(options);
        });
        Provider = services.BuildServiceProvider();
        Host = Provider.GetRequiredKeyedService<SupervisionTreeHost>(Name);
    }

    public AwaitableLog Logs { get; } = new();

    public RecordingLifetime Lifetime { get; } = new();

    public ServiceProvider Provider { get; }

    public SupervisionTreeHost Host { get; }

    public void Dispose() => Provider.Dispose();
}

/// <summary>An application lifetime that only records the requests to stop.</summary>
internal sealed class RecordingLifetime : IHostApplicationLifetime
{
    private int _stopRequests;

    public TaskCompletionSource StopRequested { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int StopRequests => Volatile.Read(ref _stopRequests);

    public CancellationToken ApplicationStarted => CancellationToken.None;

    public CancellationToken ApplicationStopping => CancellationToken.None;

    public CancellationToken ApplicationStopped => CancellationToken.None;

    public void StopApplication()
    {
        Interlocked.Increment(ref _stopRequests);
        StopRequested.TrySetResult();
    }
}

/// <summary>Captures every log entry; <see cref="Next"/> completes with the next entry of an event id.</summary>
internal sealed class AwaitableLog : ILoggerProvider
{
    private readonly List<(int EventId, TaskCompletionSource<(LogLevel Level, string Message)> Waiter)> _waiters = [];

    public List<(LogLevel Level, EventId Id, string Message)> Entries { get; } = [];

    /// <summary>The next entry with <paramref name="eventId"/> from now on (subscribe before causing it).</summary>
    public Task<(LogLevel Level, string Message)> Next(int eventId)
    {
        var waiter = new TaskCompletionSource<(LogLevel, string)>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (Entries)
        {
            _waiters.Add((eventId, waiter));
        }
        return waiter.Task;
    }

    public List<string> Messages(int eventId)
    {
        lock (Entries)
        {
            return [.. Entries.Where(entry => entry.Id.Id == eventId).Select(entry => entry.Message)];
        }
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void Dispose()
    {
    }

    private void Add(LogLevel level, EventId id, string message)
    {
        List<TaskCompletionSource<(LogLevel, string)>> due;
        lock (Entries)
        {
            Entries.Add((level, id, message));
            due = [.. _waiters.Where(w => w.EventId == id.Id).Select(w => w.Waiter)];
            _waiters.RemoveAll(w => w.EventId == id.Id);
        }
        foreach (var waiter in due)
        {
            waiter.TrySetResult((level, message));
        }
    }

    private sealed class Logger(AwaitableLog owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Add(logLevel, eventId, formatter(state, exception));
    }
}

/// <summary>Tests that set the process exit code (process-wide) run one at a time and restore it.</summary>
[CollectionDefinition(ExitCodeCollection.Name, DisableParallelization = true)]
public sealed class ExitCodeCollection
{
    public const string Name = "process exit code";
}
