using System.Buffers;
using System.Globalization;
using System.Text;

namespace Supervision.Simulation.Generation;

/// <summary>
/// The generator's own model of one tree node (a worker or a supervisor), kept as the scenario-file words
/// so that writing it out is direct. Mutable while a scenario is being generated: start_child steps add
/// dynamic children, and simple_one_for_one supervisors count the instances asked for.
/// </summary>
internal sealed class GenNode
{
    public GenNode(string id, string path, GenNode? parent, bool isSupervisor)
    {
        Id = id;
        Path = path;
        Parent = parent;
        IsSupervisor = isSupervisor;
    }

    public string Id { get; }

    public string Path { get; }

    public GenNode? Parent { get; }

    public bool IsSupervisor { get; }

    /// <summary><c>permanent</c>, <c>transient</c> or <c>temporary</c>; null writes nothing (permanent by default).</summary>
    public string? Restart { get; set; }

    /// <summary>The shutdown as JSON text (<c>"brutal_kill"</c>, <c>"infinity"</c> or a number); null writes nothing (the default).</summary>
    public string? ShutdownJson { get; set; }

    public bool Significant { get; set; }

    public string Strategy { get; set; } = "one_for_one";

    /// <summary>The supervisor's <c>backoff</c> object as JSON text; null writes nothing (no backoff, as OTP).</summary>
    public string? BackoffJson { get; set; }

    public int Intensity { get; set; } = 1;

    public int Period { get; set; } = 5;

    public string AutoShutdown { get; set; } = "never";

    public List<GenNode> Children { get; } = [];

    /// <summary>Added by a start_child step: a later step may target it, but it is not part of the tree.</summary>
    public bool IsDynamic { get; init; }

    /// <summary>For a simple_one_for_one supervisor: how many start_child steps have been generated for it.</summary>
    public int InstancesRequested { get; set; }

    /// <summary>For a static supervisor: the counter behind the ids of children added by start_child.</summary>
    public int DynamicCount { get; set; }

    public bool IsSimple => IsSupervisor && Strategy == "simple_one_for_one";

    /// <summary>
    /// Whether a <c>stop_delay "never"</c> is safe: the child's own shutdown ends with a kill (an integer
    /// or brutal_kill). Under <c>infinity</c> the supervisor would wait forever and the tree never stops.
    /// Workers default to 5000 ms.
    /// </summary>
    public bool ShutdownEndsWithKill => !IsSupervisor && ShutdownJson != "\"infinity\"";

    /// <summary>Writes the node as a tree or child-spec object; supervisors spread over several lines.</summary>
    public void Write(StringBuilder text, int indent, bool isRoot)
    {
        text.Append("{ ").Append("\"id\": ").Append(Quote(Id));
        if (!isRoot)
        {
            if (Restart is not null)
            {
                text.Append(", \"restart\": ").Append(Quote(Restart));
            }
            if (ShutdownJson is not null)
            {
                text.Append(", \"shutdown\": ").Append(ShutdownJson);
            }
            if (Significant)
            {
                text.Append(", \"significant\": true");
            }
        }
        if (!IsSupervisor)
        {
            text.Append(" }");
            return;
        }
        text.Append(", \"strategy\": ").Append(Quote(Strategy))
            .Append(CultureInfo.InvariantCulture, $", \"intensity\": {Intensity}, \"period\": {Period}");
        if (AutoShutdown != "never")
        {
            text.Append(", \"auto_shutdown\": ").Append(Quote(AutoShutdown));
        }
        if (BackoffJson is not null)
        {
            text.Append(", \"backoff\": ").Append(BackoffJson);
        }
        text.Append(", \"children\": [");
        var pad = new string(' ', indent + 2);
        var first = true;
        foreach (var child in Children)
        {
            if (child.IsDynamic)
            {
                continue;
            }
            text.Append(first ? "\n" : ",\n").Append(pad);
            child.Write(text, indent + 2, isRoot: false);
            first = false;
        }
        text.Append('\n').Append(' ', indent).Append("] }");
    }

    /// <summary>The characters a JSON string literal escapes: the quote, the backslash and the control characters.</summary>
    private static readonly SearchValues<char> Escaped = SearchValues.Create([.. Enumerable.Range(0, 0x20).Select(c => (char)c), '"', '\\']);

    /// <summary>A JSON string literal. Ids and tokens here are plain ASCII words, but escape anyway.</summary>
    public static string Quote(string value)
    {
        if (!value.AsSpan().ContainsAny(Escaped))
        {
            return string.Concat("\"", value, "\""); // The usual case: one string, no builder.
        }
        var text = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            _ = c switch
            {
                '"' => text.Append("\\\""),
                '\\' => text.Append("\\\\"),
                < ' ' => text.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}"),
                _ => text.Append(c),
            };
        }
        return text.Append('"').ToString();
    }
}
