using System.Globalization;
using System.Text.Json;

namespace Supervision.Benchmarks.Comparison;

/// <summary>Reads BenchmarkDotNet's JSON reports and the <c>key\tvalue\tunit</c> files of the footprint probe and the OTP script.</summary>
public static class ResultFiles
{
    /// <summary>Appended to a benchmark's key for its bytes allocated per operation (from <c>[MemoryDiagnoser]</c>).</summary>
    public const string AllocatedSuffix = "#allocated";

    /// <summary>
    /// The median time (ns) of every benchmark (steadier than the mean on a shared machine), and its bytes allocated per operation (key + <see cref="AllocatedSuffix"/>), in the JSON reports under <paramref name="directory"/>, keyed
    /// <c>Type.Method</c> or <c>Type.Method(Parameters)</c> with BenchmarkDotNet's parameter string
    /// (<c>Strategy=RestForOne&amp;Children=10</c>). A later report of the same benchmark wins.
    /// </summary>
    public static Dictionary<string, double> ReadBenchmarkMeans(string directory)
    {
        var means = new Dictionary<string, double>(StringComparer.Ordinal);
        if (!Directory.Exists(directory))
        {
            return means;
        }
        foreach (var file in Directory.GetFiles(directory, "*.json").OrderBy(File.GetLastWriteTimeUtc))
        {
            using var document = JsonDocument.Parse(File.ReadAllText(file));
            if (!document.RootElement.TryGetProperty("Benchmarks", out var benchmarks))
            {
                continue;
            }
            foreach (var benchmark in benchmarks.EnumerateArray())
            {
                if (!benchmark.TryGetProperty("Statistics", out var statistics) || statistics.ValueKind != JsonValueKind.Object)
                {
                    continue; // A benchmark that failed has no statistics.
                }
                var key = $"{benchmark.GetProperty("Type").GetString()}.{benchmark.GetProperty("Method").GetString()}";
                var parameters = ParametersOf(benchmark.GetProperty("FullName").GetString() ?? "");
                var name = parameters.Length == 0 ? key : $"{key}({parameters})";
                means[name] = statistics.GetProperty("Median").GetDouble();
                if (benchmark.TryGetProperty("Memory", out var memory) && memory.ValueKind == JsonValueKind.Object &&
                    memory.TryGetProperty("BytesAllocatedPerOperation", out var allocated) && allocated.ValueKind == JsonValueKind.Number)
                {
                    means[name + AllocatedSuffix] = allocated.GetDouble();
                }
            }
        }
        return means;
    }

    /// <summary>
    /// <c>A=1&amp;B=x</c> from a full name such as <c>Ns.Type.Method(A: 1, B: "x")</c>. The full name is
    /// used rather than the report's <c>Parameters</c> field, which is shortened like the summary's columns.
    /// </summary>
    private static string ParametersOf(string fullName)
    {
        var open = fullName.IndexOf('(', StringComparison.Ordinal);
        if (open < 0 || !fullName.EndsWith(')'))
        {
            return "";
        }
        var pairs = fullName[(open + 1)..^1].Split(", ");
        return string.Join("&", pairs.Select(pair => pair.Replace(": ", "=", StringComparison.Ordinal).Replace("\"", "", StringComparison.Ordinal)));
    }

    /// <summary>The <c>key\tvalue[\tunit]</c> lines of <paramref name="path"/>; empty when the file does not exist.</summary>
    public static Dictionary<string, double> ReadTsv(string path)
    {
        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        if (!File.Exists(path))
        {
            return values;
        }
        foreach (var line in File.ReadLines(path))
        {
            var fields = line.Split('\t');
            if (fields.Length >= 2 && double.TryParse(fields[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                values[fields[0]] = value;
            }
        }
        return values;
    }
}
