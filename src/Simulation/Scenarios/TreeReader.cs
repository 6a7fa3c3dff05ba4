using System.Globalization;
using Supervision.Engine;

namespace Supervision.Simulation.Scenarios;

/// <summary>
/// Turns the <c>tree</c> of a scenario into engine specs, checking every field's shape and the tree's
/// rules (unique sibling ids, significant children, the simple_one_for_one template) where they are written.
/// </summary>
internal static class TreeReader
{
    private static readonly string[] SupervisorOnlyFields = ["strategy", "intensity", "period", "auto_shutdown", "backoff", "children"];
    private static readonly string[] ChildOnlyFields = ["restart", "shutdown", "significant"];
    private static readonly string[] ChildFields = ["id", "type", .. ChildOnlyFields, .. SupervisorOnlyFields];
    private static readonly string[] RootFields = ["id", "type", .. SupervisorOnlyFields];

    /// <summary>Reads the root supervisor node.</summary>
    public static SupervisorSpec ReadRoot(JsonNode node, ChildLimits limits, out string rootId)
    {
        var reader = ObjectReader.Open(node, "the tree");
        foreach (var member in node.MemberArray)
        {
            if (ObjectReader.IsOneOf(member.Name, ChildOnlyFields))
            {
                throw ObjectReader.Fail(member, $"field \"{member.Name}\" does not apply to the root supervisor: it is nobody's child");
            }
        }
        reader.RejectUnknown(RootFields);
        if (reader.Optional("type") is { } type && !(type.Kind == JsonNodeKind.String && type.StringValue == "supervisor"))
        {
            throw ObjectReader.Fail(type, $"field \"type\" of the tree must be \"supervisor\" (the root is a supervisor), got {type.Describe()}");
        }
        rootId = ReadId(reader);
        return ReadSupervisor(ObjectReader.Open(node, static (id, _) => $"supervisor {Excerpt.Quote(id)}", rootId), rootId, limits);
    }

    private static SupervisorSpec ReadSupervisor(ObjectReader reader, string path, ChildLimits limits)
    {
        var strategy = reader.OptionalToken("strategy", ScenarioTokens.Strategies) ?? RestartStrategy.OneForOne;
        var intensity = reader.OptionalInteger("intensity", min: 0, max: int.MaxValue) ?? 1;
        var period = reader.OptionalInteger("period", min: 1, max: int.MaxValue) ?? 5;
        var autoShutdown = reader.OptionalToken("auto_shutdown", ScenarioTokens.AutoShutdowns) ?? AutoShutdown.Never;
        var backoff = BackoffReader.Read(reader);
        var children = ReadChildren(reader, path, autoShutdown, limits);
        if (strategy == RestartStrategy.SimpleOneForOne && children.Count != 1)
        {
            throw ObjectReader.Fail(reader.Optional("children") ?? reader.Node, string.Create(CultureInfo.InvariantCulture,
                $"simple_one_for_one supervisor {Excerpt.Quote(path)} needs exactly one child in \"children\" (the template), got {children.Count}"));
        }
        return new SupervisorSpec(children)
        {
            Strategy = strategy,
            Intensity = (int)intensity,
            PeriodSeconds = (int)period,
            AutoShutdown = autoShutdown,
            Backoff = backoff,
        };
    }

    private static IReadOnlyList<ChildSpec> ReadChildren(ObjectReader reader, string path, AutoShutdown autoShutdown, ChildLimits limits)
    {
        if (reader.Optional("children") is not { } list)
        {
            return Array.Empty<ChildSpec>();
        }
        if (list.Kind != JsonNodeKind.Array)
        {
            throw ObjectReader.Fail(list, $"field \"children\" of {reader.What} must be an array, got {list.Describe()}");
        }
        var children = new List<ChildSpec>();
        var seen = new Dictionary<string, SourcePosition>(StringComparer.Ordinal);
        // One child at a time, so that a list far over the limit is refused before it is all in memory.
        JsonParser.ForEachElement(list, (item, i) =>
        {
            limits.Count(item);
            var child = ReadChild(item, path, i, autoShutdown, limits);
            var idNode = item.Member("id")!.Value;
            if (!seen.TryAdd(child.Id, idNode.Position))
            {
                var first = seen[child.Id];
                throw ObjectReader.Fail(idNode, string.Create(CultureInfo.InvariantCulture,
                    $"duplicate id {Excerpt.Quote(child.Id)} among the children of {Excerpt.Quote(path)} (first at line {first.Line}, column {first.Column})"));
            }
            children.Add(child);
        });
        return children.AsReadOnly();
    }

    private static ChildSpec ReadChild(JsonNode node, string parentPath, int index, AutoShutdown parentAutoShutdown, ChildLimits limits)
    {
        var anonymous = ObjectReader.Open(node,
            static (parentPath, number) => string.Create(CultureInfo.InvariantCulture, $"child {number} of {Excerpt.Quote(parentPath)}"), parentPath, index + 1);
        anonymous.RejectUnknown(ChildFields);
        var id = ReadId(anonymous);
        var path = parentPath + "/" + id;
        var reader = ObjectReader.Open(node, static (path, _) => $"child {Excerpt.Quote(path)}", path);
        var restart = reader.OptionalToken("restart", ScenarioTokens.RestartTypes) ?? RestartType.Permanent;
        ShutdownPolicy? shutdown = null;
        if (reader.Optional("shutdown") is { } shutdownNode)
        {
            shutdown = ScenarioTokens.ParseShutdown(shutdownNode) ?? throw ObjectReader.Fail(shutdownNode,
                $"field \"shutdown\" of {reader.What} must be \"brutal_kill\", \"infinity\" or milliseconds >= 0, got {shutdownNode.Describe()}");
            if (shutdownNode.Kind == JsonNodeKind.Integer)
            {
                reader.AsTime("shutdown", shutdownNode);
            }
        }
        var significant = reader.OptionalBoolean("significant") ?? false;
        if (significant)
        {
            CheckSignificant(reader, restart, parentAutoShutdown, parentPath);
        }
        var type = ReadChildType(reader);
        return new ChildSpec(id)
        {
            Restart = restart,
            Type = type,
            Shutdown = shutdown,
            Significant = significant,
            Supervisor = type == ChildType.Supervisor ? ReadSupervisor(reader, path, limits) : null,
        };
    }

    /// <summary>A significant child needs an auto_shutdown supervisor and a restart type that can end (OTP's bad_combination).</summary>
    private static void CheckSignificant(ObjectReader reader, RestartType restart, AutoShutdown parentAutoShutdown, string parentPath)
    {
        var at = reader.Required("significant");
        if (parentAutoShutdown == AutoShutdown.Never)
        {
            throw ObjectReader.Fail(at, $"field \"significant\" of {reader.What} is true, but its supervisor {Excerpt.Quote(parentPath)} has auto_shutdown never; "
                + "a significant child needs auto_shutdown any_significant or all_significant");
        }
        if (restart == RestartType.Permanent)
        {
            throw ObjectReader.Fail(at, $"field \"significant\" of {reader.What} is true, but a permanent child cannot be significant; "
                + "make it transient or temporary");
        }
    }

    /// <summary>A node is a supervisor when it says so, or when it has a strategy or children.</summary>
    private static ChildType ReadChildType(ObjectReader reader)
    {
        var declared = reader.OptionalToken("type", ScenarioTokens.ChildTypes);
        var supervisorShaped = reader.Has("strategy") || reader.Has("children");
        if (declared == ChildType.Worker && supervisorShaped)
        {
            throw ObjectReader.Fail(reader.Required("type"),
                $"field \"type\" of {reader.What} is \"worker\", but the node has \"strategy\" or \"children\", which only a supervisor has");
        }
        var type = declared ?? (supervisorShaped ? ChildType.Supervisor : ChildType.Worker);
        if (type == ChildType.Worker)
        {
            foreach (var member in reader.Node.MemberArray)
            {
                if (ObjectReader.IsOneOf(member.Name, SupervisorOnlyFields))
                {
                    throw ObjectReader.Fail(member,
                        $"field \"{member.Name}\" of {reader.What} applies to supervisors only; add \"strategy\" or \"type\": \"supervisor\"");
                }
            }
        }
        return type;
    }

    private static string ReadId(ObjectReader reader)
    {
        var id = reader.RequiredString("id");
        return ScenarioTokens.CheckId(id) is { } problem
            ? throw ObjectReader.Fail(reader.Required("id"), $"field \"id\" of {reader.What}: {problem}")
            : id;
    }
}
