using System.Text.Json;
using Supervision.Simulation.Scenarios;
using Json = System.Text.Json.Nodes;

namespace Supervision.Simulation.Checking;

/// <summary>
/// Reduces a failing scenario to a small one that still fails the same way: fewer steps, fewer children,
/// shallower trees, smaller numbers and times. Works on the scenario's JSON, so every candidate is a real
/// scenario file (ones the reader rejects are skipped) and the result is a file <c>supervise replay</c> runs.
/// Greedy: each pass tries every reduction and keeps those that still fail, until a pass changes nothing.
/// </summary>
public static class ScenarioShrinker
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>Shrinks <paramref name="json"/> while <paramref name="stillFails"/> holds.</summary>
    /// <param name="json">A failing scenario.</param>
    /// <param name="stillFails">True when a candidate scenario still shows the failure.</param>
    /// <param name="maxAttempts">A bound on the candidates tried.</param>
    /// <returns>The smallest failing scenario found, as indented JSON.</returns>
    public static string Shrink(string json, Func<Scenario, bool> stillFails, int maxAttempts = 5_000)
    {
        ArgumentNullException.ThrowIfNull(stillFails);
        var current = Json.JsonNode.Parse(json)!.AsObject();
        var attempts = 0;
        var improved = true;
        while (improved && attempts < maxAttempts)
        {
            improved = false;
            foreach (var candidate in Candidates(current))
            {
                // A reduction that changes nothing (flattening a worker) would otherwise be "accepted" until the attempts run out.
                if (Json.JsonNode.DeepEquals(candidate, current))
                {
                    continue;
                }
                if (++attempts > maxAttempts)
                {
                    break;
                }
                if (Fails(candidate, stillFails))
                {
                    current = candidate;
                    improved = true;
                    break;
                }
            }
        }
        return current.ToJsonString(Indented);
    }

    /// <summary>A size measure for reports: steps + children (all levels) + depth.</summary>
    public static int Size(string json)
    {
        var root = Json.JsonNode.Parse(json)!.AsObject();
        var steps = root["steps"]?.AsArray().Count ?? 0;
        return steps + CountChildren(root["tree"]);
    }

    private static int CountChildren(Json.JsonNode? node)
    {
        if (node?["children"] is not Json.JsonArray children)
        {
            return 0;
        }
        return children.Sum(child => 1 + CountChildren(child));
    }

    private static bool Fails(Json.JsonObject candidate, Func<Scenario, bool> stillFails)
    {
        Scenario scenario;
        try
        {
            scenario = ScenarioReader.Parse(candidate.ToJsonString(), "shrink-candidate.json");
        }
        catch (ScenarioFormatException)
        {
            return false;
        }
        catch (ArgumentException)
        {
            return false;
        }
        return stillFails(scenario);
    }

    /// <summary>Every one-step reduction of <paramref name="scenario"/>, biggest first.</summary>
    private static IEnumerable<Json.JsonObject> Candidates(Json.JsonObject scenario)
    {
        var steps = scenario["steps"]?.AsArray();
        var stepCount = steps?.Count ?? 0;
        // Remove halves, then single steps.
        for (var chunk = stepCount / 2; chunk >= 1; chunk /= 2)
        {
            for (var start = 0; start + chunk <= stepCount; start += chunk)
            {
                yield return Edit(scenario, copy => RemoveRange(copy["steps"]!.AsArray(), start, chunk));
            }
        }
        // Remove children anywhere in the tree; replace supervisor children by workers.
        foreach (var path in ChildPaths(scenario["tree"]!, []))
        {
            yield return Edit(scenario, copy => RemoveChild(copy, path));
            yield return Edit(scenario, copy => FlattenChild(copy, path));
        }
        // Smaller times and numbers.
        for (var i = 0; i < stepCount; i++)
        {
            var index = i;
            var at = steps![i]!["at"]?.GetValue<long>() ?? 0;
            var previous = i == 0 ? 0 : steps[i - 1]!["at"]?.GetValue<long>() ?? 0;
            if (at > previous)
            {
                yield return Edit(scenario, copy => copy["steps"]![index]!["at"] = previous);
                yield return Edit(scenario, copy => copy["steps"]![index]!["at"] = previous + (at - previous) / 2);
            }
        }
        foreach (var field in new[] { "intensity", "period" })
        {
            if (scenario["tree"]![field]?.GetValue<long>() is > 1 and var value)
            {
                yield return Edit(scenario, copy => copy["tree"]![field] = value / 2);
            }
        }
    }

    private static Json.JsonObject Edit(Json.JsonObject scenario, Action<Json.JsonObject> change)
    {
        var copy = scenario.DeepClone().AsObject();
        change(copy);
        return copy;
    }

    private static void RemoveRange(Json.JsonArray array, int start, int count)
    {
        for (var i = 0; i < count; i++)
        {
            array.RemoveAt(start);
        }
    }

    private static IEnumerable<int[]> ChildPaths(Json.JsonNode node, int[] prefix)
    {
        if (node["children"] is not Json.JsonArray children)
        {
            yield break;
        }
        for (var i = children.Count - 1; i >= 0; i--)
        {
            int[] path = [.. prefix, i];
            yield return path;
            foreach (var deeper in ChildPaths(children[i]!, path))
            {
                yield return deeper;
            }
        }
    }

    private static Json.JsonNode Child(Json.JsonNode root, int[] path)
    {
        var node = root;
        foreach (var index in path)
        {
            node = node["children"]![index]!;
        }
        return node;
    }

    /// <summary>Removes a child and every step that names it or anything below it.</summary>
    private static void RemoveChild(Json.JsonObject scenario, int[] path)
    {
        var tree = scenario["tree"]!;
        var parent = Child(tree, path[..^1]);
        var children = parent["children"]!.AsArray();
        if (children.Count > 1)
        {
            var name = PathName(tree, path);
            children.RemoveAt(path[^1]);
            DropSteps(scenario, name, includeSelf: true);
        }
    }

    /// <summary>Turns a supervisor child into a worker, dropping the steps that named what was below it.</summary>
    private static void FlattenChild(Json.JsonObject scenario, int[] path)
    {
        var tree = scenario["tree"]!;
        var node = Child(tree, path).AsObject();
        if (node["children"] is null && node["strategy"] is null)
        {
            return;
        }
        foreach (var key in new[] { "strategy", "children", "intensity", "period", "auto_shutdown", "backoff", "type" })
        {
            node.Remove(key);
        }
        DropSteps(scenario, PathName(tree, path), includeSelf: false);
        foreach (var step in scenario["steps"]?.AsArray().ToList() ?? [])
        {
            if (step?["sup"]?.GetValue<string>() == PathName(tree, path))
            {
                scenario["steps"]!.AsArray().Remove(step);
            }
        }
    }

    private static string PathName(Json.JsonNode tree, int[] path)
    {
        var name = tree["id"]!.GetValue<string>();
        var node = tree;
        foreach (var index in path)
        {
            node = node["children"]![index]!;
            name += "/" + node["id"]!.GetValue<string>();
        }
        return name;
    }

    private static void DropSteps(Json.JsonObject scenario, string name, bool includeSelf)
    {
        if (scenario["steps"] is not Json.JsonArray steps)
        {
            return;
        }
        foreach (var step in steps.ToList())
        {
            foreach (var key in new[] { "exit", "fail_start", "ignore_start", "stop_delay", "sup" })
            {
                if (step?[key]?.GetValue<string>() is { } target
                    && ((includeSelf && (target == name || target.StartsWith(name + "#", StringComparison.Ordinal))) || target.StartsWith(name + "/", StringComparison.Ordinal)))
                {
                    steps.Remove(step);
                    break;
                }
            }
        }
    }
}
