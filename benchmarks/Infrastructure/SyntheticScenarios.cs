using System.Globalization;
using System.Text;

namespace Supervision.Benchmarks.Infrastructure;

/// <summary>
/// Scenarios written by code for the throughput benchmarks: the bundled files are short (tens of events),
/// so their replay time is mostly the simulator's fixed cost; these run thousands of engine events.
/// </summary>
internal static class SyntheticScenarios
{
    /// <summary>The prefix that names a synthetic scenario instead of a file.</summary>
    public const string Prefix = "synthetic/";

    /// <summary>
    /// A crash storm: a root over a one_for_one, a rest_for_one and a one_for_all supervisor (10, 10 and 5
    /// workers) and a simple_one_for_one one with 20 instances; 2,000 crashes, 5 ms apart, cycle through
    /// every worker and instance, so single restarts, group restarts and instance restarts all occur.
    /// </summary>
    public const string CrashStorm = Prefix + "crash-storm";

    /// <summary>The JSON text of the synthetic scenario <paramref name="name"/>.</summary>
    public static string Json(string name) => name switch
    {
        CrashStorm => BuildCrashStorm(crashes: 2_000, instances: 20),
        _ => throw new ArgumentException($"unknown synthetic scenario '{name}'", nameof(name)),
    };

    private static string BuildCrashStorm(int crashes, int instances)
    {
        var groups = new (string Id, string Strategy, int Workers)[] { ("single", "one_for_one", 10), ("tail", "rest_for_one", 10), ("all", "one_for_all", 5) };
        var json = new StringBuilder();
        json.Append("{\"name\":\"crash storm\",\"tree\":{\"id\":\"root\",\"strategy\":\"one_for_one\",\"intensity\":1000000,\"period\":1,\"children\":[");
        var targets = new List<string>();
        foreach (var (id, strategy, workers) in groups)
        {
            json.Append(CultureInfo.InvariantCulture, $"{{\"id\":\"{id}\",\"strategy\":\"{strategy}\",\"intensity\":1000000,\"period\":1,\"children\":[");
            for (var w = 0; w < workers; w++)
            {
                json.Append(CultureInfo.InvariantCulture, $"{(w > 0 ? "," : "")}{{\"id\":\"w{w}\"}}");
                targets.Add($"root/{id}/w{w}");
            }
            json.Append("]},");
        }
        json.Append("{\"id\":\"conns\",\"strategy\":\"simple_one_for_one\",\"intensity\":1000000,\"period\":1,\"children\":[{\"id\":\"conn\",\"restart\":\"transient\"}]}");
        json.Append("]},\"steps\":[");
        for (var i = 1; i <= instances; i++)
        {
            json.Append(CultureInfo.InvariantCulture, $"{(i > 1 ? "," : "")}{{\"at\":0,\"call\":\"start_child\",\"sup\":\"root/conns\",\"args\":[]}}");
            targets.Add($"root/conns/conn#{i}");
        }
        for (var i = 0; i < crashes; i++)
        {
            var reason = i % 3 == 0 ? "timeout" : "boom";
            json.Append(CultureInfo.InvariantCulture, $",{{\"at\":{(i + 1) * 5},\"exit\":\"{targets[i % targets.Count]}\",\"reason\":\"{reason}\"}}");
        }
        return json.Append("]}").ToString();
    }
}
