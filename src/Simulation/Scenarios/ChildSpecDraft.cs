using System.Diagnostics.CodeAnalysis;
using Supervision.Engine;

namespace Supervision.Simulation.Scenarios;

/// <summary>
/// The <c>spec</c> of a <c>start_child</c> step, kept as written. It is not checked when the scenario is
/// loaded: OTP checks a start_child spec when the call runs and answers a bad one with
/// <c>{error, Reason}</c>, which the trace shows as <c>reply start_child ... error:&lt;token&gt;</c>.
/// <see cref="TryBuild"/> performs that check, in OTP's order.
/// </summary>
public sealed class ChildSpecDraft
{
    /// <summary>Wraps a spec object as written in a scenario.</summary>
    /// <param name="source">The spec; it must be a JSON object.</param>
    /// <exception cref="ArgumentException"><paramref name="source"/> is not an object.</exception>
    public ChildSpecDraft(JsonNode source)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (source.Kind != JsonNodeKind.Object)
        {
            throw new ArgumentException($"a child spec must be a JSON object, got {source.Describe()}", nameof(source));
        }
        Source = source;
    }

    /// <summary>The spec object exactly as written, with the position of every field.</summary>
    public JsonNode Source { get; }

    /// <summary>Where the spec object starts in the scenario file.</summary>
    public SourcePosition Position => Source.Position;

    /// <summary>The <c>id</c> when it is a string; null when it is missing or not a string.</summary>
    public string? Id => Field("id") is { Kind: JsonNodeKind.String } id ? id.StringValue : null;

    /// <summary>The raw value of one field of the spec, or null when the spec does not have it.</summary>
    /// <param name="name">The field's name, for example <c>restart</c>.</param>
    public JsonNode? Field(string name) => Source.Member(name)?.Value;

    /// <summary>Reads a draft from JSON text (handy for tests and tools).</summary>
    /// <param name="json">A JSON object.</param>
    /// <param name="sourceName">The name used in error positions.</param>
    /// <exception cref="ScenarioFormatException">The text is not JSON, or not an object.</exception>
    public static ChildSpecDraft Parse(string json, string sourceName = "spec")
    {
        var node = JsonParser.Parse(json, sourceName);
        return node.Kind == JsonNodeKind.Object
            ? new ChildSpecDraft(node)
            : throw new ScenarioFormatException(node.Position, $"a child spec must be an object, got {node.Describe()}");
    }

    /// <summary>
    /// Checks the spec as OTP's <c>check_childspec</c> does for a supervisor whose auto_shutdown is
    /// <paramref name="supervisorAutoShutdown"/>, and builds it. The first failure, in OTP's order, gives
    /// the token: <c>missing_id</c>; <c>invalid_restart_type</c>; <c>bad_combination</c> (significant under
    /// auto_shutdown never, then significant and permanent); <c>invalid_significant</c>;
    /// <c>invalid_child_type</c>; <c>invalid_shutdown</c>. A supervisor spec (with <c>strategy</c> or
    /// <c>children</c>) then has its flags and children checked, and finally the engine's own rules apply
    /// (<see cref="ChildSpec.FirstOtpError"/>).
    /// </summary>
    /// <param name="supervisorAutoShutdown">The auto_shutdown of the supervisor the child is added to.</param>
    /// <param name="spec">The built spec, when valid.</param>
    /// <param name="otpErrorToken">OTP's error token, when invalid.</param>
    /// <returns>True when the spec is valid.</returns>
    public bool TryBuild(AutoShutdown supervisorAutoShutdown, [NotNullWhen(true)] out ChildSpec? spec, [NotNullWhen(false)] out string? otpErrorToken)
    {
        otpErrorToken = BuildChild(Source, supervisorAutoShutdown, out spec);
        if (otpErrorToken is not null)
        {
            spec = null;
            return false;
        }
        return spec is not null;
    }

    private static string? BuildChild(JsonNode draft, AutoShutdown supervisorAutoShutdown, out ChildSpec? spec)
    {
        spec = null;
        var id = draft.Member("id")?.Value;
        if (id is null)
        {
            return "missing_id";
        }
        // OTP's next checks (start present, start an {M,F,A}) have no counterpart: a scenario child has no start function.
        var restart = RestartType.Permanent;
        if (draft.Member("restart")?.Value is { } restartNode && !TryToken(restartNode, ScenarioTokens.RestartTypes, out restart))
        {
            return "invalid_restart_type";
        }
        var significantNode = draft.Member("significant")?.Value;
        var significant = significantNode is { Kind: JsonNodeKind.Boolean } && significantNode.BooleanValue;
        if (significant && supervisorAutoShutdown == AutoShutdown.Never)
        {
            return "bad_combination";
        }
        if (significant && restart == RestartType.Permanent)
        {
            return "bad_combination";
        }
        if (significantNode is not null && significantNode.Kind != JsonNodeKind.Boolean)
        {
            return "invalid_significant";
        }
        var shapedLikeSupervisor = draft.Member("strategy") is not null || draft.Member("children") is not null;
        var type = shapedLikeSupervisor ? ChildType.Supervisor : ChildType.Worker;
        if (draft.Member("type")?.Value is { } typeNode
            && (!TryToken(typeNode, ScenarioTokens.ChildTypes, out type) || (shapedLikeSupervisor && type == ChildType.Worker)))
        {
            return "invalid_child_type";
        }
        ShutdownPolicy? shutdown = null;
        if (draft.Member("shutdown")?.Value is { } shutdownNode && (shutdown = ScenarioTokens.ParseShutdown(shutdownNode)) is null)
        {
            return "invalid_shutdown";
        }
        SupervisorSpec? nested = null;
        if (type == ChildType.Supervisor && BuildSupervisor(draft, out nested) is { } nestedError)
        {
            return nestedError;
        }
        // OTP takes any term as an id; a scenario needs a string, because ids name children in paths.
        if (id.Kind != JsonNodeKind.String)
        {
            return "invalid_child_spec";
        }
        spec = new ChildSpec(id.StringValue)
        {
            Restart = restart,
            Type = type,
            Shutdown = shutdown,
            Significant = significant,
            Supervisor = nested,
        };
        // The engine's remaining rules: id characters, and the nested tree as a whole (duplicates, template count).
        return spec.FirstOtpError(supervisorAutoShutdown);
    }

    /// <summary>Builds a nested supervisor's flags (OTP's check_flags order) and children; returns the first error token.</summary>
    private static string? BuildSupervisor(JsonNode draft, out SupervisorSpec? spec)
    {
        spec = null;
        var strategy = RestartStrategy.OneForOne;
        if (draft.Member("strategy")?.Value is { } strategyNode && !TryToken(strategyNode, ScenarioTokens.Strategies, out strategy))
        {
            return "invalid_strategy";
        }
        if (!TryInt32(draft.Member("intensity")?.Value, min: 0, fallback: 1, out var intensity))
        {
            return "invalid_intensity";
        }
        if (!TryInt32(draft.Member("period")?.Value, min: 1, fallback: 5, out var period))
        {
            return "invalid_period";
        }
        var autoShutdown = AutoShutdown.Never;
        if (draft.Member("auto_shutdown")?.Value is { } autoNode && !TryToken(autoNode, ScenarioTokens.AutoShutdowns, out autoShutdown))
        {
            return "invalid_auto_shutdown";
        }
        var childNodes = draft.Member("children")?.Value;
        if (childNodes is not null && childNodes.Kind != JsonNodeKind.Array)
        {
            return "invalid_child_spec";
        }
        var children = new List<ChildSpec>();
        foreach (var childNode in childNodes?.ItemArray ?? [])
        {
            if (childNode.Kind != JsonNodeKind.Object)
            {
                return "invalid_child_spec";
            }
            if (BuildChild(childNode, autoShutdown, out var child) is { } childError)
            {
                return childError;
            }
            children.Add(child!);
        }
        spec = new SupervisorSpec(children.AsReadOnly())
        {
            Strategy = strategy,
            Intensity = intensity,
            PeriodSeconds = period,
            AutoShutdown = autoShutdown,
        };
        return null;
    }

    private static bool TryToken<T>(JsonNode node, IReadOnlyDictionary<string, T> table, out T value)
        where T : struct
    {
        value = default;
        return node.Kind == JsonNodeKind.String && table.TryGetValue(node.StringValue, out value);
    }

    private static bool TryInt32(JsonNode? node, int min, int fallback, out int value)
    {
        value = fallback;
        if (node is null)
        {
            return true;
        }
        if (node.Kind != JsonNodeKind.Integer || node.IntegerValue < min || node.IntegerValue > int.MaxValue)
        {
            return false;
        }
        value = (int)node.IntegerValue;
        return true;
    }
}
