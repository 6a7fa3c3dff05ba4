namespace Supervision.Simulation.Scenarios;

/// <summary>
/// Holds the children a scenario declares or starts by a call to <see cref="ScenarioLimits.MaxChildren"/>,
/// and a start_child spec to the limits the tree reader applies to the tree: ids of at most
/// <see cref="ScenarioLimits.MaxTokenLength"/> characters and shutdown times of at most
/// <see cref="ScenarioLimits.MaxTimeMs"/>. Everything else in a spec is OTP's to judge when the call runs.
/// </summary>
internal sealed class ChildLimits(int maxChildren)
{
    private int _count;

    /// <summary>Counts one child; over the limit, the error points at <paramref name="at"/>, the child that is one too many.</summary>
    public void Count(JsonNode at)
    {
        if (++_count > maxChildren)
        {
            throw ObjectReader.Fail(at, ScenarioLimits.Exceeded("children", maxChildren, "--max-children", nameof(ScenarioLimits.MaxChildren)));
        }
    }

    /// <summary>Counts the child a start_child spec declares and, in a supervisor spec, each of its children, checking their limits.</summary>
    /// <param name="spec">The spec object.</param>
    /// <param name="step">The step that has it, named in messages.</param>
    public void CheckSpec(JsonNode spec, ObjectReader step)
    {
        Count(spec);
        if (spec.Member("id")?.Value is { Kind: JsonNodeKind.String } id && id.StringValue.Length > ScenarioLimits.MaxTokenLength)
        {
            throw ObjectReader.Fail(id, $"field \"id\" of the spec in {step.What}: {ScenarioTokens.TooLong("id", id.StringValue)}");
        }
        if (spec.Member("shutdown")?.Value is { Kind: JsonNodeKind.Integer } shutdown && shutdown.IntegerValue > ScenarioLimits.MaxTimeMs)
        {
            ObjectReader.Open(spec, $"the spec in {step.What}").AsTime("shutdown", shutdown);
        }
        if (spec.Member("children")?.Value is { Kind: JsonNodeKind.Array } children)
        {
            JsonParser.ForEachElement(children, (child, _) => CheckSpec(child, step));
        }
    }
}
