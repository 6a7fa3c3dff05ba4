using System.Globalization;

namespace Supervision.Simulation.Scenarios;

/// <summary>
/// How much a scenario may ask for, so that a small or hostile file cannot make the reader or a replay
/// run for minutes and take gigabytes. The reader enforces <see cref="MaxFileBytes"/>, <see cref="MaxSteps"/>,
/// <see cref="MaxChildren"/>, <see cref="MaxTimeMs"/> and <see cref="MaxTokenLength"/> with a
/// <c>file:line:column</c> error; the replay drivers enforce <see cref="MaxEngineEvents"/> and
/// <see cref="MaxTraceLength"/> with a <see cref="Replay.ScenarioLimitExceededException"/>. A
/// <see cref="Scenario"/> keeps the limits it was read with, so its replays are held to them too. The
/// defaults are far above any hand-written or generated scenario; raise them for a deliberately large one.
/// </summary>
public sealed record ScenarioLimits
{
    /// <summary>
    /// The largest time a scenario may write, in milliseconds (<c>at</c>, <c>ms</c>, a <c>shutdown</c> timeout):
    /// 4294967294 (2^32 - 2 ms, about 49.7 days), the longest single timer .NET accepts, one below OTP's
    /// largest timeout. Not an option: it keeps every sum of virtual times far from overflowing, in the engine
    /// and in the runtime's clock, and every scripted delay within one timer.
    /// </summary>
    public const long MaxTimeMs = uint.MaxValue - 1L;

    /// <summary>
    /// The longest id or exit reason, in characters (255). Not an option: every trace line repeats them, so
    /// that with <see cref="MaxEngineEvents"/> it bounds the trace's size.
    /// </summary>
    public const int MaxTokenLength = 255;

    /// <summary>
    /// The most members one JSON object of a scenario may have (64). Not an option: no object of the format
    /// has more than a dozen fields, and a wider one would only cost memory before it is refused.
    /// </summary>
    public const int MaxObjectMembers = 64;

    /// <summary>
    /// The replay through the runtime has no engine-event counter of its own: it may run this many work items
    /// (continuations, timer callbacks) per allowed engine event. Real scenarios take about 1.5.
    /// </summary>
    public const int RuntimeWorkItemsPerEvent = 4;

    private readonly long _maxFileBytes = 16L * 1024 * 1024;
    private readonly int _maxSteps = 100_000;
    private readonly int _maxChildren = 10_000;
    private readonly long _maxEngineEvents = 500_000;
    private readonly long _maxTraceLength = 16L * 1024 * 1024;

    /// <summary>The defaults: 16 MiB files, 100 000 steps, 10 000 children, 500 000 engine events, traces of 16 Mi characters.</summary>
    public static ScenarioLimits Default { get; } = new();

    /// <summary>The largest scenario file, in bytes (default 16 MiB).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive.</exception>
    public long MaxFileBytes
    {
        get => _maxFileBytes;
        init => _maxFileBytes = Positive(value, nameof(MaxFileBytes));
    }

    /// <summary>The most steps a scenario may have (default 100 000).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive.</exception>
    public int MaxSteps
    {
        get => _maxSteps;
        init => _maxSteps = (int)Positive(value, nameof(MaxSteps));
    }

    /// <summary>
    /// The most children a scenario may declare or start by a call (default 10 000): the child nodes at every
    /// level of the tree and of every <c>start_child</c> spec, and one for every <c>start_child</c> of a
    /// simple_one_for_one instance.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive.</exception>
    public int MaxChildren
    {
        get => _maxChildren;
        init => _maxChildren = (int)Positive(value, nameof(MaxChildren));
    }

    /// <summary>
    /// The most events all engines of one replay may handle together (default 500 000); a replay through the
    /// runtime may run <see cref="RuntimeWorkItemsPerEvent"/> work items per event. A restart loop under a
    /// huge intensity ends here.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive.</exception>
    public long MaxEngineEvents
    {
        get => _maxEngineEvents;
        init => _maxEngineEvents = Positive(value, nameof(MaxEngineEvents));
    }

    /// <summary>The longest trace a replay may print, in characters, comment lines included (default 16 Mi).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive.</exception>
    public long MaxTraceLength
    {
        get => _maxTraceLength;
        init => _maxTraceLength = Positive(value, nameof(MaxTraceLength));
    }

    /// <summary>A limit's message: <c>limit exceeded: more than 100 steps (limit --max-steps, ScenarioLimits.MaxSteps)</c>.</summary>
    /// <param name="what">What was counted, plural: <c>steps</c>.</param>
    /// <param name="limit">The limit.</param>
    /// <param name="option">The command-line option that sets it, or null for a fixed limit.</param>
    /// <param name="property">The property (or constant) of this type that holds it.</param>
    internal static string Exceeded(string what, long limit, string? option, string property) => string.Create(CultureInfo.InvariantCulture,
        $"limit exceeded: more than {limit} {what} (limit {(option is null ? "" : option + ", ")}ScenarioLimits.{property})");

    private static long Positive(long value, string name)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(value, name);
        return value;
    }
}
