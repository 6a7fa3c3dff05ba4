using System.Globalization;
using Supervision.Engine;

namespace Supervision.Simulation.Scenarios;

/// <summary>Reads the <c>steps</c> array: each step's shape, its paths against the tree, and the order of <c>at</c>.</summary>
internal sealed class StepReader
{
    private static readonly string[] KindKeys = ["exit", "fail_start", "ignore_start", "stop_delay", "call"];
    private static readonly string[] OtherKeys = ["at", "reason", "times", "ms", "sup", "child", "spec", "args"];

    private readonly PathIndex _paths;
    private readonly ScenarioLimits _limits;
    private readonly ChildLimits _children;
    // One string per distinct path or reason: a long scenario repeats a few of them in every step.
    private readonly Dictionary<string, string> _tokens = new(StringComparer.Ordinal);
    // Intern as a delegate, made once for all the call steps.
    private readonly Func<string, string> _intern;
    private long _previousAt;

    public StepReader(PathIndex paths, ScenarioLimits limits, ChildLimits children)
    {
        _paths = paths;
        _limits = limits;
        _children = children;
        _intern = Intern;
    }

    public IReadOnlyList<ScenarioStep> ReadAll(JsonNode? steps)
    {
        if (steps is null)
        {
            return Array.Empty<ScenarioStep>();
        }
        if (steps.Kind != JsonNodeKind.Array)
        {
            throw ObjectReader.Fail(steps, $"field \"steps\" of the scenario must be an array, got {steps.Describe()}");
        }
        var result = new List<ScenarioStep>();
        JsonParser.ForEachElement(steps, (node, index) =>
        {
            if (index == _limits.MaxSteps)
            {
                throw ObjectReader.Fail(node, ScenarioLimits.Exceeded("steps", _limits.MaxSteps, "--max-steps", nameof(ScenarioLimits.MaxSteps)));
            }
            result.Add(ReadStep(node, index + 1));
        });
        result.Capacity = result.Count;
        return result.AsReadOnly();
    }

    private ScenarioStep ReadStep(JsonNode node, int number)
    {
        var kind = FindKind(node, number);
        var reader = ObjectReader.Open(node, static (kind, number) => $"{kind} step ({Ordinal(number)})", kind, number);
        reader.RejectUnknown(kind switch
        {
            "exit" => ["at", "exit", "reason"],
            "fail_start" => ["at", "fail_start", "times", "reason"],
            "ignore_start" => ["at", "ignore_start", "times"],
            "stop_delay" => ["at", "stop_delay", "ms"],
            _ => ["at", "call", "sup", "child", "spec", "args"],
        });
        var at = ReadAt(reader);
        return kind switch
        {
            "exit" => ReadExit(reader, at),
            "fail_start" => ReadFailStart(reader, at),
            "ignore_start" => ReadIgnoreStart(reader, at),
            "stop_delay" => ReadStopDelay(reader, at),
            _ => new CallReader(_paths, reader, at, _children, _intern).Read(),
        };
    }

    /// <summary>Finds the one key that says what step <paramref name="number"/> does; two such keys, or none, is an error.</summary>
    private static string FindKind(JsonNode node, int number)
    {
        if (node.Kind != JsonNodeKind.Object)
        {
            throw ObjectReader.Fail(node, $"{Ordinal(number)} must be an object, got {node.Describe()}");
        }
        var members = node.MemberArray;
        JsonMember? kind = null;
        foreach (var member in members)
        {
            if (!ObjectReader.IsOneOf(member.Name, KindKeys))
            {
                continue;
            }
            if (kind is not null)
            {
                throw ObjectReader.Fail(member, $"{Ordinal(number)} has both \"{kind.Name}\" and \"{member.Name}\"; a step does exactly one thing");
            }
            kind = member;
        }
        if (kind is not null)
        {
            return kind.Name;
        }
        foreach (var member in members)
        {
            if (!ObjectReader.IsOneOf(member.Name, OtherKeys))
            {
                throw ObjectReader.Fail(member, $"unknown step kind {Excerpt.Quote(member.Name)} in {Ordinal(number)} (expected {Choices(KindKeys)})");
            }
        }
        throw ObjectReader.Fail(node, $"{Ordinal(number)} says nothing to do: give one of {Choices(KindKeys)}");
    }

    private long ReadAt(ObjectReader reader)
    {
        var at = reader.AsTime("at", reader.Required("at"));
        if (at < _previousAt)
        {
            throw ObjectReader.Fail(reader.Required("at"), string.Create(CultureInfo.InvariantCulture,
                $"field \"at\" of {reader.What} is {at}, before the previous step's {_previousAt}: \"at\" must not decrease"));
        }
        _previousAt = at;
        return at;
    }

    private ExitStep ReadExit(ObjectReader reader, long at)
    {
        var path = ReadWorkerPath(reader, "exit", allowTemplate: false);
        return new ExitStep(at, reader.Node.Position, path, ReadReason(reader));
    }

    private FailStartStep ReadFailStart(ObjectReader reader, long at)
    {
        var path = ReadStartablePath(reader, "fail_start");
        var times = (int)reader.RequiredInteger("times", min: 1, max: int.MaxValue);
        return new FailStartStep(at, reader.Node.Position, path, times, ReadReason(reader));
    }

    private IgnoreStartStep ReadIgnoreStart(ObjectReader reader, long at)
    {
        var path = ReadStartablePath(reader, "ignore_start");
        var times = (int)reader.RequiredInteger("times", min: 1, max: int.MaxValue);
        return new IgnoreStartStep(at, reader.Node.Position, path, times);
    }

    private StopDelayStep ReadStopDelay(ObjectReader reader, long at)
    {
        var path = ReadWorkerPath(reader, "stop_delay", allowTemplate: true);
        var ms = reader.Required("ms");
        long? delay = ms.Kind == JsonNodeKind.String && ms.StringValue == "never"
            ? null
            : ms.Kind == JsonNodeKind.Integer
                ? reader.AsTime("ms", ms)
                : throw ObjectReader.Fail(ms, $"field \"ms\" of {reader.What} must be milliseconds >= 0 or \"never\", got {ms.Describe()}");
        return new StopDelayStep(at, reader.Node.Position, path, delay);
    }

    /// <summary>exit and stop_delay act on a worker's own process, which a supervisor node does not model.</summary>
    /// <remarks>
    /// A template path is a stop_delay for every instance, but an exit needs one running process: a template
    /// never runs, so an exit aimed at it would silently do nothing.
    /// </remarks>
    private string ReadWorkerPath(ObjectReader reader, string field, bool allowTemplate)
    {
        var (path, node, target) = ReadPath(reader, field);
        if (target.Supervisor is not null)
        {
            throw ObjectReader.Fail(node, $"field \"{field}\" of {reader.What} is aimed at the supervisor {Excerpt.Quote(path)}; {field} applies to workers only");
        }
        return allowTemplate || !target.IsTemplate
            ? path
            : throw ObjectReader.Fail(node, $"field \"{field}\" of {reader.What} names the simple_one_for_one template {Excerpt.Quote(path)}, which never runs; name an instance, {Excerpt.Quote(path + "#<n>")}");
    }

    /// <summary>Start plans apply to any child; the root is started once, before any step, so a plan for it could never apply.</summary>
    private string ReadStartablePath(ObjectReader reader, string field)
    {
        var (path, node, target) = ReadPath(reader, field);
        return !target.IsRoot
            ? path
            : throw ObjectReader.Fail(node, $"field \"{field}\" of {reader.What} names the root {Excerpt.Quote(path)}, which is started before any step");
    }

    private (string Path, JsonNode Node, PathTarget Target) ReadPath(ObjectReader reader, string field)
    {
        var node = reader.Required(field);
        var path = reader.AsString(field, node);
        return _paths.TryResolve(path, out var target, out var problem)
            ? (Intern(path), node, target)
            : throw ObjectReader.Fail(node, $"field \"{field}\" of {reader.What}: {problem}");
    }

    private ExitReason ReadReason(ObjectReader reader)
    {
        var node = reader.Required("reason");
        var token = reader.AsString("reason", node);
        if (ExitReason.TryParse(Intern(token), out var reason, out var problem) && token.Length <= ScenarioLimits.MaxTokenLength)
        {
            return reason;
        }
        // The engine's own message quotes the whole token; this one quotes a short, escaped excerpt.
        var detail = token.Length > ScenarioLimits.MaxTokenLength ? ScenarioTokens.TooLong("reason", token)
            : token.Length == 0 ? problem
            : $"an exit reason must be a single token without whitespace, got {Excerpt.Quote(token)}";
        throw ObjectReader.Fail(node, $"field \"reason\" of {reader.What}: {detail}");
    }

    private string Intern(string token)
    {
        if (_tokens.TryGetValue(token, out var known))
        {
            return known;
        }
        _tokens.Add(token, token);
        return token;
    }

    private static string Ordinal(int number) => string.Create(CultureInfo.InvariantCulture, $"step {number}");

    private static string Choices(string[] words) => string.Join(", ", words[..^1]) + " or " + words[^1];
}
