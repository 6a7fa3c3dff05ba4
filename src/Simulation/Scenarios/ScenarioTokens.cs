using Supervision.Engine;

namespace Supervision.Simulation.Scenarios;

/// <summary>The scenario format's words for the engine's enums, in one place for the tree and for start_child specs.</summary>
internal static class ScenarioTokens
{
    public static readonly IReadOnlyDictionary<string, RestartStrategy> Strategies = new Dictionary<string, RestartStrategy>(StringComparer.Ordinal)
    {
        ["one_for_one"] = RestartStrategy.OneForOne,
        ["one_for_all"] = RestartStrategy.OneForAll,
        ["rest_for_one"] = RestartStrategy.RestForOne,
        ["simple_one_for_one"] = RestartStrategy.SimpleOneForOne,
    };

    public static readonly IReadOnlyDictionary<string, RestartType> RestartTypes = new Dictionary<string, RestartType>(StringComparer.Ordinal)
    {
        ["permanent"] = RestartType.Permanent,
        ["transient"] = RestartType.Transient,
        ["temporary"] = RestartType.Temporary,
    };

    public static readonly IReadOnlyDictionary<string, AutoShutdown> AutoShutdowns = new Dictionary<string, AutoShutdown>(StringComparer.Ordinal)
    {
        ["never"] = AutoShutdown.Never,
        ["any_significant"] = AutoShutdown.AnySignificant,
        ["all_significant"] = AutoShutdown.AllSignificant,
    };

    public static readonly IReadOnlyDictionary<string, ChildType> ChildTypes = new Dictionary<string, ChildType>(StringComparer.Ordinal)
    {
        ["worker"] = ChildType.Worker,
        ["supervisor"] = ChildType.Supervisor,
    };

    public static readonly IReadOnlyDictionary<string, ScenarioCallKind> Calls = new Dictionary<string, ScenarioCallKind>(StringComparer.Ordinal)
    {
        ["start_child"] = ScenarioCallKind.StartChild,
        ["terminate_child"] = ScenarioCallKind.TerminateChild,
        ["restart_child"] = ScenarioCallKind.RestartChild,
        ["delete_child"] = ScenarioCallKind.DeleteChild,
        ["which_children"] = ScenarioCallKind.WhichChildren,
        ["count_children"] = ScenarioCallKind.CountChildren,
        ["stop"] = ScenarioCallKind.Stop,
        ["get_childspec"] = ScenarioCallKind.GetChildspec,
    };

    /// <summary>Characters an id may not contain: they would make a path or a trace line ambiguous (the engine's rule too).</summary>
    public const string ReservedIdCharacters = "/#:,[]";

    /// <summary>Reads a shutdown value: <c>brutal_kill</c>, <c>infinity</c> or milliseconds ≥ 0; null when it is none of them.</summary>
    public static ShutdownPolicy? ParseShutdown(JsonNode value) => value.Kind switch
    {
        JsonNodeKind.String when value.StringValue == "brutal_kill" => ShutdownPolicy.BrutalKill,
        JsonNodeKind.String when value.StringValue == "infinity" => ShutdownPolicy.Infinity,
        JsonNodeKind.Integer when value.IntegerValue >= 0 => ShutdownPolicy.Timeout(value.IntegerValue),
        _ => null,
    };

    /// <summary>Why <paramref name="id"/> cannot be a child id, or null when it can.</summary>
    public static string? CheckId(string id)
    {
        if (id.Length == 0)
        {
            return "an id must not be empty";
        }
        if (id.Length > ScenarioLimits.MaxTokenLength)
        {
            return TooLong("id", id);
        }
        foreach (var c in id)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c) || ReservedIdCharacters.Contains(c, StringComparison.Ordinal))
            {
                return $"id {Excerpt.Quote(id)} must not contain whitespace or any of / # : , [ ]";
            }
        }
        return null;
    }

    /// <summary>Says that an id or a reason is longer than <see cref="ScenarioLimits.MaxTokenLength"/>.</summary>
    public static string TooLong(string what, string token) => $"{what} {Excerpt.Quote(token)} is "
        + ScenarioLimits.Exceeded("characters", ScenarioLimits.MaxTokenLength, null, nameof(ScenarioLimits.MaxTokenLength)).Replace("limit exceeded: more than", "longer than the limit of", StringComparison.Ordinal);

    /// <summary>The words of a token table, for messages: <c>one_for_one, one_for_all or rest_for_one</c>.</summary>
    public static string Choices<T>(IReadOnlyDictionary<string, T> table)
    {
        var words = table.Keys.ToArray();
        return words.Length == 1 ? words[0] : string.Join(", ", words[..^1]) + " or " + words[^1];
    }
}
