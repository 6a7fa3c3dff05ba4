using System.CommandLine;
using System.Globalization;
using Supervision.Simulation.Scenarios;

namespace Supervision.Cli;

/// <summary>The options that raise or lower <see cref="ScenarioLimits"/>: <c>--max-file-bytes</c>, <c>--max-steps</c>, <c>--max-children</c>, <c>--max-events</c>, <c>--max-trace-length</c>.</summary>
internal sealed class ScenarioLimitOptions
{
    private readonly Option<long> _fileBytes = Positive("--max-file-bytes", "The largest scenario file, in bytes.", ScenarioLimits.Default.MaxFileBytes);
    private readonly Option<long> _steps = Positive("--max-steps", "The most steps a scenario may have.", ScenarioLimits.Default.MaxSteps);
    private readonly Option<long> _children = Positive("--max-children", "The most children a scenario may declare or start by a call.", ScenarioLimits.Default.MaxChildren);
    private readonly Option<long> _events = Positive("--max-events", "The most engine events a replay may handle (a runtime replay: 4 steps per event).", ScenarioLimits.Default.MaxEngineEvents);
    private readonly Option<long> _traceLength = Positive("--max-trace-length", "The longest trace a replay may print, in characters.", ScenarioLimits.Default.MaxTraceLength);

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        foreach (var option in new[] { _fileBytes, _steps, _children, _events, _traceLength })
        {
            command.Options.Add(option);
        }
    }

    /// <summary>The limits the command line asks for.</summary>
    public ScenarioLimits Read(ParseResult result) => new()
    {
        MaxFileBytes = result.GetValue(_fileBytes),
        MaxSteps = (int)Math.Min(result.GetValue(_steps), int.MaxValue),
        MaxChildren = (int)Math.Min(result.GetValue(_children), int.MaxValue),
        MaxEngineEvents = result.GetValue(_events),
        MaxTraceLength = result.GetValue(_traceLength),
    };

    private static Option<long> Positive(string name, string description, long fallback) => new(name)
    {
        Description = string.Create(CultureInfo.InvariantCulture, $"{description} Default {fallback}."),
        DefaultValueFactory = _ => fallback,
        CustomParser = result =>
        {
            if (result.Tokens.Count == 1 && long.TryParse(result.Tokens[0].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0)
            {
                return value;
            }
            result.AddError($"{name} must be a positive whole number");
            return fallback;
        },
    };
}
