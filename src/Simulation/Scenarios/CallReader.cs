using Supervision.Engine;

namespace Supervision.Simulation.Scenarios;

/// <summary>Reads one <c>call</c> step: the call's name, its supervisor, and the fields that call takes.</summary>
internal sealed class CallReader
{
    private readonly PathIndex _paths;
    private readonly ObjectReader _reader;
    private readonly long _at;
    private readonly ChildLimits _children;
    private readonly Func<string, string> _intern;

    /// <param name="paths">The tree's paths.</param>
    /// <param name="reader">The step object.</param>
    /// <param name="at">The step's time.</param>
    /// <param name="children">The children counted so far.</param>
    /// <param name="intern">Shares equal strings across steps (args repeat, and every step keeps its own).</param>
    public CallReader(PathIndex paths, ObjectReader reader, long at, ChildLimits children, Func<string, string> intern)
    {
        _paths = paths;
        _reader = reader;
        _at = at;
        _children = children;
        _intern = intern;
    }

    public CallStep Read()
    {
        var callNode = _reader.Required("call");
        var name = _reader.AsString("call", callNode);
        if (!ScenarioTokens.Calls.TryGetValue(name, out var call))
        {
            throw ObjectReader.Fail(callNode, $"unknown call {Excerpt.Quote(name)} in {_reader.What} (expected {ScenarioTokens.Choices(ScenarioTokens.Calls)})");
        }
        var takesChild = call is ScenarioCallKind.TerminateChild or ScenarioCallKind.RestartChild or ScenarioCallKind.DeleteChild or ScenarioCallKind.GetChildspec;
        RejectInapplicable(name, "child", takesChild);
        RejectInapplicable(name, "spec", call == ScenarioCallKind.StartChild);
        RejectInapplicable(name, "args", call == ScenarioCallKind.StartChild);
        var (sup, supervisor) = ReadSupervisor(call);
        var child = takesChild ? ReadChildName() : null;
        ChildSpecDraft? spec = null;
        IReadOnlyList<string>? args = null;
        if (call == ScenarioCallKind.StartChild && supervisor.Strategy == RestartStrategy.SimpleOneForOne)
        {
            args = ReadArgs(sup);
        }
        else if (call == ScenarioCallKind.StartChild)
        {
            spec = ReadSpec(sup, supervisor);
        }
        return new CallStep(_at, _reader.Node.Position, call, sup, child, spec, args);
    }

    private void RejectInapplicable(string call, string field, bool applies)
    {
        if (!applies && _reader.Node.Member(field) is { } member)
        {
            throw ObjectReader.Fail(member, $"field \"{field}\" does not apply to the call {call}");
        }
    }

    private (string Path, SupervisorSpec Supervisor) ReadSupervisor(ScenarioCallKind call)
    {
        var node = _reader.Required("sup");
        var path = _reader.AsString("sup", node);
        if (!_paths.TryResolve(path, out var target, out var problem))
        {
            throw ObjectReader.Fail(node, $"field \"sup\" of {_reader.What}: {problem}");
        }
        if (target.Supervisor is not { } supervisor)
        {
            throw ObjectReader.Fail(node, $"field \"sup\" of {_reader.What} must name a supervisor, but {Excerpt.Quote(path)} is a worker");
        }
        if (call == ScenarioCallKind.Stop && !target.IsRoot)
        {
            throw ObjectReader.Fail(node, $"field \"sup\" of {_reader.What}: stop applies to the root {Excerpt.Quote(_paths.RootId)} only, not to {Excerpt.Quote(path)}");
        }
        return (path, supervisor);
    }

    /// <summary>
    /// The child is an id or an instance name. It is not looked up in the tree: naming a child that is not
    /// there is a legal call, which OTP answers with <c>error:not_found</c>.
    /// </summary>
    private string ReadChildName()
    {
        var node = _reader.Required("child");
        var child = _reader.AsString("child", node);
        var hash = child.LastIndexOf('#');
        var id = hash > 0 ? child[..hash] : child;
        if (id.Length > ScenarioLimits.MaxTokenLength)
        {
            throw ObjectReader.Fail(node, $"field \"child\" of {_reader.What}: {ScenarioTokens.TooLong("id", id)}");
        }
        return ScenarioTokens.CheckId(id) is null && child.IndexOf('/', StringComparison.Ordinal) < 0
            ? child
            : throw ObjectReader.Fail(node, $"field \"child\" of {_reader.What} must be a child id or an instance name (w#2), got {Excerpt.Quote(child)}");
    }

    private IReadOnlyList<string> ReadArgs(string sup)
    {
        if (_reader.Node.Member("spec") is { } spec)
        {
            throw ObjectReader.Fail(spec, $"start_child on the simple_one_for_one supervisor {Excerpt.Quote(sup)} takes \"args\", not \"spec\"");
        }
        // Each call may start one more instance.
        _children.Count(_reader.Node);
        if (_reader.Optional("args") is not { } args)
        {
            return Array.Empty<string>();
        }
        if (args.Kind != JsonNodeKind.Array)
        {
            throw ObjectReader.Fail(args, $"field \"args\" of {_reader.What} must be an array, got {args.Describe()}");
        }
        var texts = new List<string>();
        JsonParser.ForEachElement(args, (arg, _) => texts.Add(_intern(arg.RawText)));
        return texts.AsReadOnly();
    }

    /// <summary>The spec stays a draft (OTP checks it when the call runs); a valid one declares a child later steps may name.</summary>
    private ChildSpecDraft ReadSpec(string sup, SupervisorSpec supervisor)
    {
        if (_reader.Node.Member("args") is { } args)
        {
            throw ObjectReader.Fail(args, $"start_child on the supervisor {Excerpt.Quote(sup)} takes \"spec\", not \"args\" (args are for simple_one_for_one)");
        }
        var node = _reader.Required("spec");
        if (node.Kind != JsonNodeKind.Object)
        {
            throw ObjectReader.Fail(node, $"field \"spec\" of {_reader.What} must be an object, got {node.Describe()}");
        }
        _children.CheckSpec(node, _reader);
        var draft = new ChildSpecDraft(node);
        if (draft.TryBuild(supervisor.AutoShutdown, out var built, out _))
        {
            _paths.AddChild(supervisor, built);
        }
        return draft;
    }
}
