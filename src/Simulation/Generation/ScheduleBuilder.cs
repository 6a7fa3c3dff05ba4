using System.Globalization;

namespace Supervision.Simulation.Generation;

/// <summary>
/// Draws the timed steps of a scenario against a generated tree. Targets are found by random walks
/// from the root, so deep children and simple_one_for_one instances are reached as well as shallow
/// ones; children added by start_child become targets for later steps.
/// </summary>
internal sealed class ScheduleBuilder
{
    // Weights as arrays, not span literals: a constant span of ints is read from the assembly's data with an alignment
    // check, and Coyote's rewriting of this assembly (tests/Systematic) does not keep that data aligned.
    private static readonly int[] ExitReasonWeights = [15, 10, 10, 10, 55];
    private static readonly int[] ChildCallWeights = [50, 30, 20];

    private static readonly string[] AbnormalReasons = ["boom", "crash", "oops", "badarg"];
    private static readonly string[] StartErrors = ["nope", "econnrefused", "timeout"];
    private static readonly string[] RestartWords = ["permanent", "transient", "temporary"];

    private readonly SplitMix64 _random;
    private readonly GenNode _root;
    private readonly TreeBuilder _trees;
    private readonly FaultKinds _faults;
    private readonly List<string> _steps = [];
    private long _at;

    public ScheduleBuilder(SplitMix64 random, GenNode root, TreeBuilder trees, FaultKinds faults)
    {
        _random = random;
        _root = root;
        _trees = trees;
        _faults = faults;
    }

    /// <summary>Where the clock starts: after the steps of a situation (<see cref="SituationBuilder"/>).</summary>
    public long StartAt
    {
        init => _at = value;
    }

    /// <summary>Draws up to <paramref name="maxSteps"/> steps, each one line of JSON.</summary>
    public IReadOnlyList<string> Build(int maxSteps)
    {
        var count = _random.Between(1, maxSteps);
        for (var i = 0; i < count; i++)
        {
            AdvanceClock();
            if (NextStep() is { } step)
            {
                _steps.Add(step);
            }
        }
        if (Has(FaultKinds.StopCall) && _random.Chance(30))
        {
            AdvanceClock();
            _steps.Add(Line("\"call\": \"stop\", \"sup\": " + GenNode.Quote(_root.Path)));
        }
        return _steps;
    }

    private bool Has(FaultKinds kind) => (_faults & kind) != 0;

    /// <summary>Moves the clock on: not at all (a burst), to just either side of a whole second, or by a random gap.</summary>
    private void AdvanceClock()
    {
        if (Has(FaultKinds.Bursts) && _steps.Count > 0 && _random.Chance(35))
        {
            return;
        }
        if (Has(FaultKinds.SecondBoundaries) && _random.Chance(40))
        {
            var boundary = (_at / 1000 + _random.Between(1, 2)) * 1000;
            _at = Math.Max(_at, boundary + _random.Between(-40, 40));
            return;
        }
        _at += _random.Chance(20) ? _random.Between(0, 50) : _random.Between(50, 1500);
    }

    private string? NextStep()
    {
        Span<int> weights =
        [
            Has(FaultKinds.Exits) ? 40 : 0,
            Has(FaultKinds.FailStarts) ? 8 : 0,
            Has(FaultKinds.IgnoreStarts) ? 6 : 0,
            Has(FaultKinds.StopDelays) || Has(FaultKinds.NeverStops) ? 8 : 0,
            Has(FaultKinds.Queries) ? 6 : 0,
            Has(FaultKinds.ChildCalls) ? 10 : 0,
            Has(FaultKinds.StartChild) ? 8 : 0,
            Has(FaultKinds.StartChild) ? 4 : 0,
        ];
        var total = 0;
        foreach (var weight in weights)
        {
            total += weight;
        }
        if (total == 0)
        {
            return null;
        }
        return _random.Weighted(weights) switch
        {
            0 => Exit(),
            1 => FailStart(),
            2 => IgnoreStart(),
            3 => StopDelay(),
            4 => Query(),
            5 => ChildCall(),
            6 => StartChildStatic(),
            _ => StartChildSimple(),
        };
    }

    private string Exit()
    {
        var (path, _) = WalkToWorker(allowTemplate: false);
        var reason = _random.Weighted(ExitReasonWeights) switch
        {
            0 => "normal",
            1 => "shutdown",
            2 => _random.Chance(50) ? "shutdown:bye" : "shutdown:x",
            3 => "killed",
            _ => _random.Pick(AbnormalReasons),
        };
        return Line($"\"exit\": {GenNode.Quote(path)}, \"reason\": {GenNode.Quote(reason)}");
    }

    private string FailStart()
    {
        var path = WalkToStartable();
        return Line(string.Create(CultureInfo.InvariantCulture,
            $"\"fail_start\": {GenNode.Quote(path)}, \"times\": {_random.Between(1, 3)}, \"reason\": {GenNode.Quote(_random.Pick(StartErrors))}"));
    }

    private string IgnoreStart() =>
        Line(string.Create(CultureInfo.InvariantCulture, $"\"ignore_start\": {GenNode.Quote(WalkToStartable())}, \"times\": {_random.Between(1, 2)}"));

    private string StopDelay()
    {
        var (path, worker) = WalkToWorker(allowTemplate: true);
        var never = Has(FaultKinds.NeverStops) && worker.ShutdownEndsWithKill && (!Has(FaultKinds.StopDelays) || _random.Chance(40));
        var ms = never ? "\"never\"" : (_random.Chance(15) ? 0 : _random.Between(1, 30) * 100).ToString(CultureInfo.InvariantCulture);
        return Line($"\"stop_delay\": {GenNode.Quote(path)}, \"ms\": {ms}");
    }

    private string Query()
    {
        var (sup, _) = WalkToSupervisor();
        var call = _random.Chance(50) ? "which_children" : "count_children";
        return Line($"\"call\": \"{call}\", \"sup\": {GenNode.Quote(sup)}");
    }

    private string ChildCall()
    {
        var (sup, node) = WalkToSupervisor();
        var call = _random.Weighted(ChildCallWeights) switch
        {
            0 => "terminate_child",
            1 => "restart_child",
            _ => "delete_child",
        };
        string child;
        if (_random.Chance(8))
        {
            child = "nope";
        }
        else if (node.IsSimple)
        {
            var template = node.Children[0].Id;
            child = _random.Chance(85) ? InstanceName(node) : template;
        }
        else
        {
            child = _random.Pick(node.Children).Id;
        }
        return Line($"\"call\": \"{call}\", \"sup\": {GenNode.Quote(sup)}, \"child\": {GenNode.Quote(child)}");
    }

    /// <summary>start_child on a static supervisor: mostly a fresh child (which later steps may target), sometimes a duplicate id or a spec OTP rejects.</summary>
    private string? StartChildStatic()
    {
        var (sup, node) = WalkToSupervisor(staticOnly: true);
        if (node.IsSimple)
        {
            return null;
        }
        var roll = _random.Below(100);
        string spec;
        if (roll < 10)
        {
            spec = $"{{ \"id\": {GenNode.Quote(_random.Pick(node.Children).Id)}, \"restart\": {GenNode.Quote(_random.Pick(RestartWords))} }}";
        }
        else if (roll < 20)
        {
            // bad_combination: significant on a permanent child, or under auto_shutdown never.
            var restart = node.AutoShutdown == "never" ? _random.Pick(RestartWords) : "permanent";
            spec = $"{{ \"id\": \"bad{node.DynamicCount + 1}\", \"restart\": {GenNode.Quote(restart)}, \"significant\": true }}";
        }
        else
        {
            node.DynamicCount++;
            var child = _trees.BuildChild(node, string.Create(CultureInfo.InvariantCulture, $"n{node.DynamicCount}"), Level(node), dynamic: true);
            node.Children.Add(child);
            var text = new System.Text.StringBuilder();
            child.Write(text, 6, isRoot: false);
            spec = text.ToString();
        }
        return Line($"\"call\": \"start_child\", \"sup\": {GenNode.Quote(sup)}, \"spec\": {spec}");
    }

    private string? StartChildSimple()
    {
        var (sup, node) = WalkToSupervisor(simpleOnly: true);
        if (!node.IsSimple)
        {
            return null;
        }
        node.InstancesRequested++;
        return Line(string.Create(CultureInfo.InvariantCulture,
            $"\"call\": \"start_child\", \"sup\": {GenNode.Quote(sup)}, \"args\": [{node.InstancesRequested}]"));
    }

    private string Line(string body) => string.Create(CultureInfo.InvariantCulture, $"{{ \"at\": {_at}, {body} }}");

    private static int Level(GenNode node)
    {
        var level = 1;
        for (var up = node.Parent; up is not null; up = up.Parent)
        {
            level++;
        }
        return level;
    }

    /// <summary>A random walk down to a worker; under a simple_one_for_one supervisor it names an instance (or, if allowed, the template).</summary>
    private (string Path, GenNode Worker) WalkToWorker(bool allowTemplate)
    {
        var node = _root;
        var path = _root.Id;
        while (node.IsSupervisor)
        {
            var child = _random.Pick(node.Children);
            var isLast = !child.IsSupervisor;
            path += "/" + Segment(node, child, allowTemplate && isLast && _random.Chance(50));
            node = child;
        }
        return (path, node);
    }

    /// <summary>A random walk that stops at any child below the root: a worker, a supervisor, a template or an instance.</summary>
    private string WalkToStartable()
    {
        var node = _root;
        var path = _root.Id;
        while (true)
        {
            var child = _random.Pick(node.Children);
            var stop = !child.IsSupervisor || _random.Chance(35);
            path += "/" + Segment(node, child, template: stop && _random.Chance(50));
            if (stop)
            {
                return path;
            }
            node = child;
        }
    }

    /// <summary>A random walk that stops at a supervisor; with a filter it keeps walking (a bounded number of tries) to find one that fits.</summary>
    private (string Path, GenNode Supervisor) WalkToSupervisor(bool staticOnly = false, bool simpleOnly = false)
    {
        var node = _root;
        var path = _root.Id;
        for (var hops = 0; hops < 8; hops++)
        {
            var fits = (!staticOnly || !node.IsSimple) && (!simpleOnly || node.IsSimple);
            var deeper = node.Children.FindAll(c => c.IsSupervisor);
            if ((fits && _random.Chance(45)) || deeper.Count == 0)
            {
                break;
            }
            var child = _random.Pick(deeper);
            path += "/" + Segment(node, child, template: false);
            node = child;
        }
        return (path, node);
    }

    private string Segment(GenNode parent, GenNode child, bool template) =>
        !parent.IsSimple ? child.Id : template ? child.Id : InstanceName(parent);

    private string InstanceName(GenNode simple) =>
        string.Create(CultureInfo.InvariantCulture, $"{simple.Children[0].Id}#{_random.Between(1, Math.Max(1, simple.InstancesRequested + 1))}");
}
