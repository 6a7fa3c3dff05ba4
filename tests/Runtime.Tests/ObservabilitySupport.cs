using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;

namespace Supervision.Runtime.Tests;

/// <summary>One log entry as a sink receives it: the rendered text, the exception, and the structured values.</summary>
internal sealed record RecordedEntry(LogLevel Level, EventId Id, string Message, Exception? Exception, IReadOnlyDictionary<string, object?> Values);

/// <summary>A logger provider that records every entry with its structured state (the named placeholders' values).</summary>
internal sealed class RecordingLoggerProvider : ILoggerProvider
{
    private readonly List<RecordedEntry> _entries = [];

    public IReadOnlyList<RecordedEntry> Entries
    {
        get
        {
            lock (_entries)
            {
                return [.. _entries];
            }
        }
    }

    public ILoggerFactory Factory(LogLevel minimum = LogLevel.Trace) =>
        LoggerFactory.Create(builder => builder.AddProvider(this).SetMinimumLevel(minimum));

    public IReadOnlyList<RecordedEntry> WithId(int id) => Entries.Where(e => e.Id.Id == id).ToList();

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void Dispose()
    {
    }

    private sealed class Logger(RecordingLoggerProvider owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = new Dictionary<string, object?>(StringComparer.Ordinal);
            if (state is IEnumerable<KeyValuePair<string, object?>> pairs)
            {
                foreach (var (key, value) in pairs)
                {
                    values[key] = value;
                }
            }
            lock (owner._entries)
            {
                owner._entries.Add(new RecordedEntry(logLevel, eventId, formatter(state, exception), exception, values));
            }
        }
    }
}

/// <summary>A minimal <see cref="IMeterFactory"/>, as a host's DI provides one: it owns the meters it makes.</summary>
internal sealed class TestMeterFactory : IMeterFactory
{
    private readonly List<Meter> _meters = [];

    public IReadOnlyList<Meter> Meters => _meters;

    public Meter Create(MeterOptions options)
    {
        var meter = new Meter(options.Name, options.Version, options.Tags, scope: this);
        _meters.Add(meter);
        return meter;
    }

    public void Dispose()
    {
        foreach (var meter in _meters)
        {
            meter.Dispose();
        }
    }
}
