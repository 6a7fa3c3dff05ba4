using System.Globalization;
using Supervision.Engine;

namespace Supervision.Simulation.Scenarios;

/// <summary>
/// Reads a supervisor's optional <c>backoff</c> object (docs/SCENARIO-FORMAT.md, "The tree") into a
/// <see cref="RestartBackoff"/>, refusing any value out of its bounds at the value itself.
/// </summary>
internal static class BackoffReader
{
    private static readonly string[] Fields = ["initial_delay", "max_delay", "multiplier", "jitter", "reset_after", "seed"];

    /// <summary>The supervisor's backoff, or null when it has none (restarts at once, as OTP).</summary>
    public static RestartBackoff? Read(ObjectReader supervisor)
    {
        if (supervisor.Optional("backoff") is not { } node)
        {
            return null;
        }
        var reader = ObjectReader.Open(node, $"field \"backoff\" of {supervisor.What}");
        reader.RejectUnknown(Fields);
        var defaults = new RestartBackoff();
        var initial = reader.OptionalInteger("initial_delay", 1, ScenarioLimits.MaxTimeMs) ?? defaults.InitialDelayMs;
        var max = reader.OptionalInteger("max_delay", initial, ScenarioLimits.MaxTimeMs) ?? Math.Max(initial, defaults.MaxDelayMs);
        return new RestartBackoff
        {
            InitialDelayMs = initial,
            MaxDelayMs = max,
            Multiplier = ReadNumber(reader, "multiplier", 1, RestartBackoff.MaxMultiplier) ?? defaults.Multiplier,
            Jitter = ReadNumber(reader, "jitter", 0, 1) ?? defaults.Jitter,
            ResetAfterMs = reader.OptionalInteger("reset_after", 1, ScenarioLimits.MaxTimeMs) ?? defaults.ResetAfterMs,
            Seed = reader.OptionalInteger("seed", long.MinValue) ?? defaults.Seed,
        };
    }

    /// <summary>An integer or a decimal within [<paramref name="min"/>, <paramref name="max"/>].</summary>
    private static double? ReadNumber(ObjectReader reader, string name, double min, double max)
    {
        if (reader.Optional(name) is not { } value)
        {
            return null;
        }
        double? number = value.Kind switch
        {
            JsonNodeKind.Integer => value.IntegerValue,
            JsonNodeKind.Decimal => value.DecimalValue,
            _ => null,
        };
        return number is { } n && n >= min && n <= max
            ? n
            : throw ObjectReader.Fail(value, string.Create(CultureInfo.InvariantCulture,
                $"field \"{name}\" of {reader.What} must be a number from {min} to {max}, got {value.Describe()}"));
    }
}
