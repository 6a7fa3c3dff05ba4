using System.Text.Json;
using System.Text.Json.Nodes;

namespace Supervision.Conformance.Tests;

/// <summary>
/// Generates random scenarios (docs/SCENARIO-FORMAT.md) for the conformance run, deterministically from
/// (seed, index). They stay inside what a comparison with OTP 25 can decide:
/// <list type="bullet">
/// <item>no OTP quirk of docs/OTP-SEMANTICS.md section 12: no ignore plan on a simple_one_for_one template
/// (Q1), no terminate_child of an instance (Q2, Q3);</item>
/// <item>no deadlock: "never" stop delays only for children with a finite (or brutal_kill) shutdown;</item>
/// <item>no supervisor nested in a supervisor that can be killed (brutal_kill or a timed shutdown) and no
/// supervisor template under simple_one_for_one: there real OTP runs the nested terminations concurrently
/// (conformance/README.md, "Findings");</item>
/// <item>all times on a 50 ms grid, so an OTP shutdown timer and another event are either at the same
/// instant or at least 50 ms apart; and no stop_delay equal to the worker's own shutdown, so a child's
/// stop never ends exactly when its supervisor's shutdown timer fires (an unsettled tie);</item>
/// <item>short shutdown timeouts, because the OTP node waits for those in real time.</item>
/// </list>
/// </summary>
internal sealed class ScenarioGenerator
{
    private readonly Random random;
    private readonly List<Sup> supervisors = [];
    private readonly List<Worker> workers = [];
    private int stepTime;

    private ScenarioGenerator(int seed, int index) => random = new Random(unchecked((seed * 1_000_003) + index));

    /// <summary>The scenario for (seed, index), as indented JSON.</summary>
    public static string Generate(int seed, int index) =>
        new ScenarioGenerator(seed, index).Build(seed, index).ToJsonString(new JsonSerializerOptions { WriteIndented = true });

    private sealed class Sup
    {
        public required string Path { get; init; }
        public required string Strategy { get; init; }
        public required string AutoShutdown { get; init; }
        public List<string> ChildIds { get; } = [];
        public int Instances { get; set; }
        public int NextId { get; set; }
        public bool Simple => Strategy == "simple_one_for_one";
    }

    /// <param name="Shutdown">The shutdown in ms when it is an integer, else null.</param>
    private sealed record Worker(string Path, bool FiniteShutdown, bool Template, int? Shutdown);

    private JsonObject Build(int seed, int index)
    {
        var tree = Supervisor("root", "root", depth: 0, killable: false);
        var steps = new JsonArray();
        var count = random.Next(3, 13);
        for (var i = 0; i < count; i++)
        {
            stepTime += Pick([0, 0, 0, 50, 100, 150, 200, 300, 500, 1000, 1500]);
            if (Step() is { } step)
            {
                steps.Add(step);
            }
        }
        if (random.NextDouble() < 0.1)
        {
            steps.Add(new JsonObject { ["at"] = stepTime + 100, ["call"] = "stop", ["sup"] = "root" });
        }
        return new JsonObject
        {
            ["name"] = $"generated seed {seed} index {index}",
            ["tree"] = tree,
            ["steps"] = steps,
        };
    }

    // ---------------------------------------------------------------------------------------------
    // The tree

    private JsonObject Supervisor(string id, string path, int depth, bool killable)
    {
        var strategy = depth == 0 && random.NextDouble() < 0.9
            ? Pick(["one_for_one", "one_for_one", "one_for_all", "rest_for_one"])
            : Pick(["one_for_one", "one_for_one", "one_for_all", "rest_for_one", "simple_one_for_one"]);
        var auto = strategy == "simple_one_for_one" ? "never" : Pick(["never", "never", "never", "never", "never", "never", "any_significant", "all_significant"]);
        var sup = new Sup { Path = path, Strategy = strategy, AutoShutdown = auto };
        supervisors.Add(sup);
        var node = new JsonObject
        {
            ["id"] = id,
            ["strategy"] = strategy,
            ["intensity"] = Pick([0, 1, 1, 2, 2, 3, 5]),
            ["period"] = Pick([1, 1, 2, 3, 5]),
        };
        if (auto != "never")
        {
            node["auto_shutdown"] = auto;
        }
        var children = new JsonArray();
        if (sup.Simple)
        {
            var template = WorkerSpec("w", sup, allowSignificant: false);
            workers.Add(new Worker($"{path}/w", FiniteShutdown(template), Template: true, IntegerShutdown(template)));
            sup.ChildIds.Add("w");
            children.Add(template);
        }
        else
        {
            var n = random.Next(1, 6);
            for (var i = 0; i < n; i++)
            {
                var childId = NewId(sup);
                if (depth < 2 && !killable && random.NextDouble() < 0.2)
                {
                    children.Add(ChildSupervisor(childId, sup, depth));
                }
                else
                {
                    var spec = WorkerSpec(childId, sup, allowSignificant: true);
                    workers.Add(new Worker($"{path}/{childId}", FiniteShutdown(spec), Template: false, IntegerShutdown(spec)));
                    children.Add(spec);
                }
                sup.ChildIds.Add(childId);
            }
        }
        node["children"] = children;
        return node;
    }

    private JsonObject ChildSupervisor(string id, Sup parent, int depth)
    {
        // A supervisor that can be killed holds workers only (see the class comment).
        var killable = random.NextDouble() < 0.25;
        var node = Supervisor(id, $"{parent.Path}/{id}", depth + 1, killable);
        var restart = Pick(["permanent", "permanent", "permanent", "transient", "transient", "temporary"]);
        node["restart"] = restart;
        if (killable)
        {
            node["shutdown"] = Pick<JsonNode>(["brutal_kill", 200, 500]);
        }
        if (parent.AutoShutdown != "never" && restart != "permanent" && random.NextDouble() < 0.5)
        {
            node["significant"] = true;
        }
        return node;
    }

    private JsonObject WorkerSpec(string id, Sup parent, bool allowSignificant)
    {
        var restart = Pick(["permanent", "permanent", "permanent", "transient", "transient", "temporary"]);
        var spec = new JsonObject
        {
            ["id"] = id,
            ["restart"] = restart,
            ["shutdown"] = Pick<JsonNode>(["brutal_kill", "brutal_kill", 0, 50, 100, 200, 300, "infinity", "infinity"]),
        };
        if (allowSignificant && parent.AutoShutdown != "never" && restart != "permanent" && random.NextDouble() < 0.5)
        {
            spec["significant"] = true;
        }
        return spec;
    }

    private static bool FiniteShutdown(JsonObject spec) => spec["shutdown"]?.ToString() != "infinity";

    private static int? IntegerShutdown(JsonObject spec) =>
        spec["shutdown"] is JsonValue value && value.TryGetValue(out int ms) ? ms : null;

    private string NewId(Sup sup)
    {
        var n = sup.NextId++;
        return n < 26 ? ((char)('a' + n)).ToString() : $"c{n}";
    }

    // ---------------------------------------------------------------------------------------------
    // Steps

    private JsonObject? Step()
    {
        var roll = random.Next(100);
        return roll switch
        {
            < 35 => ExitStep(),
            < 45 => PlanStep(fail: true),
            < 50 => PlanStep(fail: false),
            < 62 => DelayStep(),
            _ => CallStep(),
        };
    }

    private JsonObject At() => new() { ["at"] = stepTime };

    private JsonObject? ExitStep()
    {
        var path = WorkerTarget();
        if (path is null)
        {
            return null;
        }
        var step = At();
        step["exit"] = path;
        step["reason"] = Pick(["boom", "boom", "boom", "normal", "normal", "shutdown", "shutdown:bye", "killed", "crash"]);
        return step;
    }

    /// <summary>A static worker, or an instance that a start_child step may have created.</summary>
    private string? WorkerTarget()
    {
        var candidates = new List<string>();
        foreach (var worker in workers)
        {
            if (!worker.Template)
            {
                candidates.Add(worker.Path);
                continue;
            }
            var sup = supervisors.First(s => worker.Path.StartsWith(s.Path + "/", StringComparison.Ordinal) && s.Simple
                                             && worker.Path.LastIndexOf('/') == s.Path.Length);
            for (var i = 1; i <= sup.Instances; i++)
            {
                candidates.Add($"{worker.Path}#{i}");
            }
        }
        return candidates.Count == 0 ? null : candidates[random.Next(candidates.Count)];
    }

    private JsonObject? PlanStep(bool fail)
    {
        // Any child path of a static supervisor; for simple_one_for_one only fail plans (ignore would be Q1).
        var targets = new List<string>();
        foreach (var sup in supervisors)
        {
            if (sup.Simple && !fail)
            {
                continue;
            }
            targets.AddRange(sup.ChildIds.Select(id => $"{sup.Path}/{id}"));
        }
        if (targets.Count == 0)
        {
            return null;
        }
        var step = At();
        step[fail ? "fail_start" : "ignore_start"] = targets[random.Next(targets.Count)];
        step["times"] = Pick([1, 1, 1, 2]);
        if (fail)
        {
            step["reason"] = Pick(["nope", "econnrefused"]);
        }
        return step;
    }

    private JsonObject DelayStep()
    {
        var worker = workers[random.Next(workers.Count)];
        var step = At();
        step["stop_delay"] = worker.Path;
        // Never equal to the worker's own shutdown: a stop that ends exactly when the supervisor's
        // shutdown timer fires is a tie the project has not settled (conformance/README.md, "Ties").
        int[] delays = [0, 50, 100, 150, 250, 400, 600, 1000];
        step["ms"] = worker.FiniteShutdown && random.NextDouble() < 0.25
            ? "never"
            : Pick(delays.Where(ms => ms != worker.Shutdown).ToList());
        return step;
    }

    private JsonObject CallStep()
    {
        var sup = supervisors[random.Next(supervisors.Count)];
        var step = At();
        step["sup"] = sup.Path;
        var call = Pick(["which_children", "which_children", "count_children", "terminate_child", "terminate_child",
                         "restart_child", "restart_child", "delete_child", "start_child", "start_child", "start_child"]);
        step["call"] = call;
        switch (call)
        {
            case "terminate_child" or "restart_child" or "delete_child":
                // For simple_one_for_one only the template id (an error reply): instances would be Q2/Q3.
                step["child"] = sup.ChildIds.Count > 0 && random.NextDouble() < 0.9
                    ? sup.ChildIds[random.Next(sup.ChildIds.Count)]
                    : "nosuchchild";
                break;
            case "start_child" when sup.Simple:
                step["args"] = new JsonArray();
                sup.Instances++;
                break;
            case "start_child":
                var duplicate = sup.ChildIds.Count > 0 && random.NextDouble() < 0.15;
                var id = duplicate
                    ? sup.ChildIds[random.Next(sup.ChildIds.Count)] // already_started / already_present
                    : NewId(sup);
                var spec = WorkerSpec(id, sup, allowSignificant: true);
                if (random.NextDouble() < 0.05)
                {
                    // A spec OTP rejects (error:invalid_restart_type): it adds no child, so no later step
                    // may name it.
                    spec["restart"] = "forever";
                    step["spec"] = spec;
                    break;
                }
                if (!duplicate)
                {
                    // A duplicate changes nothing: the existing child (maybe a supervisor) stays what it is.
                    sup.ChildIds.Add(id);
                    workers.Add(new Worker($"{sup.Path}/{id}", FiniteShutdown(spec), Template: false, IntegerShutdown(spec)));
                }
                step["spec"] = spec;
                break;
        }
        return step;
    }

    private T Pick<T>(IReadOnlyList<T> items) => items[random.Next(items.Count)];
}
