using System.Globalization;
using System.Text;

namespace Supervision.Benchmarks.Comparison;

/// <summary>
/// How cost grows with size: for each scale benchmark, the cost per child (or per call) at every size that was
/// measured, as a table (with the growth from the smallest to the largest size: 1.0 is linear) and as one SVG
/// plot, log-log, so a flat line is linear scaling and a rising one is not.
/// </summary>
public static class CostCurves
{
    /// <summary>One curve: a benchmark key with <c>{n}</c> for the size, and whether its time is divided by the size.</summary>
    private sealed record Series(string Label, string KeyPattern, bool PerChild, string Colour);

    private static readonly int[] Sizes = [10, 100, 1_000, 10_000, 100_000];

    private static readonly Series[] All =
    [
        new("engine rest_for_one cascade, per child", "EngineCascadeBenchmarks.CrashFirstChild(Strategy=RestForOne&Children={n})", true, "#1f77b4"),
        new("engine one_for_all cascade, per child", "EngineCascadeBenchmarks.CrashFirstChild(Strategy=OneForAll&Children={n})", true, "#aec7e8"),
        new("engine start_child, n held", "SimpleOneForOneBenchmarks.StartChild(Instances={n})", false, "#2ca02c"),
        new("engine terminate_child, n held", "SimpleOneForOneBenchmarks.TerminateChild(Instances={n})", false, "#98df8a"),
        new("runtime rest_for_one cascade, per child", "RuntimeScaleBenchmarks.RestForOneCascade(Children={n})", true, "#d62728"),
        new("runtime start n dynamic children, per child", "RuntimeDynamicChildrenBenchmarks.StartChildren(Count={n})", true, "#ff7f0e"),
        new("runtime stop n dynamic children, per child", "RuntimeDynamicChildrenBenchmarks.StopChildren(Count={n})", true, "#9467bd"),
    ];

    /// <summary>The measured points of each series: (size, ns per child or per call).</summary>
    private static List<(Series Series, List<(int Size, double Ns)> Points)> Curves(IReadOnlyDictionary<string, double> ours) =>
        All.Select(series => (series, Sizes
                .Select(n => (Size: n, Key: series.KeyPattern.Replace("{n}", n.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)))
                .Where(point => ours.ContainsKey(point.Key))
                .Select(point => (point.Size, Ns: ours[point.Key] / (series.PerChild ? point.Size : 1)))
                .ToList()))
            .Where(curve => curve.Item2.Count > 0)
            .ToList();

    /// <summary>Prints the table and writes the SVG; returns the number of curves found.</summary>
    /// <param name="ours">Benchmark medians (ns) by key.</param>
    /// <param name="output">Where the table goes.</param>
    /// <param name="svgPath">Where the plot goes (null: no plot).</param>
    public static int Write(IReadOnlyDictionary<string, double> ours, TextWriter output, string? svgPath)
    {
        var curves = Curves(ours);
        output.WriteLine("| cost per child (or per call) | " + string.Join(" | ", Sizes.Select(n => n.ToString("N0", CultureInfo.InvariantCulture))) + " | largest / smallest |");
        output.WriteLine("| --- |" + string.Concat(Enumerable.Repeat(" ---: |", Sizes.Length + 1)));
        foreach (var (series, points) in curves)
        {
            var cells = Sizes.Select(n => points.Where(p => p.Size == n).Select(p => FormatNs(p.Ns)).FirstOrDefault() ?? "-");
            var growth = points.Count > 1 ? (points[^1].Ns / points[0].Ns).ToString("0.00", CultureInfo.InvariantCulture) : "-";
            output.WriteLine($"| {series.Label} | {string.Join(" | ", cells)} | {growth} |");
        }
        if (svgPath is not null && curves.Count > 0)
        {
            File.WriteAllText(svgPath, Svg(curves));
            output.WriteLine();
            output.WriteLine($"cost curves plotted in {svgPath}");
        }
        return curves.Count;
    }

    private static string Svg(List<(Series Series, List<(int Size, double Ns)> Points)> curves)
    {
        const double left = 80, top = 40, width = 560, height = 360, legendX = left + width + 20;
        var allNs = curves.SelectMany(c => c.Points).Select(p => p.Ns).ToList();
        var yMin = Math.Floor(Math.Log10(allNs.Min()));
        var yMax = Math.Ceiling(Math.Log10(allNs.Max()));
        if (yMax <= yMin)
        {
            yMax = yMin + 1;
        }
        double xMin = 1, xMax = 5; // 10 .. 100,000
        double X(int size) => left + (Math.Log10(size) - xMin) / (xMax - xMin) * width;
        double Y(double ns) => top + height - (Math.Log10(ns) - yMin) / (yMax - yMin) * height;
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{legendX + 330}\" height=\"{top + height + 60}\" font-family=\"sans-serif\" font-size=\"12\">\n");
        svg.Append(CultureInfo.InvariantCulture, $"<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n<text x=\"{left}\" y=\"22\" font-size=\"14\">Cost per child (or per call) against size, log-log: flat is linear scaling</text>\n");
        for (var exponent = (int)xMin; exponent <= (int)xMax; exponent++)
        {
            var x = X((int)Math.Pow(10, exponent));
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{x:0.#}\" y1=\"{top}\" x2=\"{x:0.#}\" y2=\"{top + height}\" stroke=\"#ddd\"/><text x=\"{x:0.#}\" y=\"{top + height + 18}\" text-anchor=\"middle\">{Math.Pow(10, exponent):N0}</text>\n");
        }
        for (var exponent = (int)yMin; exponent <= (int)yMax; exponent++)
        {
            var y = Y(Math.Pow(10, exponent));
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{left}\" y1=\"{y:0.#}\" x2=\"{left + width}\" y2=\"{y:0.#}\" stroke=\"#ddd\"/><text x=\"{left - 6}\" y=\"{y + 4:0.#}\" text-anchor=\"end\">{FormatNs(Math.Pow(10, exponent))}</text>\n");
        }
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left + width / 2}\" y=\"{top + height + 40}\" text-anchor=\"middle\">children (or instances held)</text>\n");
        var row = 0;
        foreach (var (series, points) in curves)
        {
            var path = string.Join(" ", points.Select((p, i) => string.Create(CultureInfo.InvariantCulture, $"{(i == 0 ? 'M' : 'L')}{X(p.Size):0.#},{Y(p.Ns):0.#}")));
            svg.Append(CultureInfo.InvariantCulture, $"<path d=\"{path}\" fill=\"none\" stroke=\"{series.Colour}\" stroke-width=\"2\"/>\n");
            foreach (var (size, ns) in points)
            {
                svg.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{X(size):0.#}\" cy=\"{Y(ns):0.#}\" r=\"3\" fill=\"{series.Colour}\"><title>{series.Label}: {size:N0} -> {FormatNs(ns)}</title></circle>\n");
            }
            var ly = top + 10 + row++ * 20;
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{legendX}\" y1=\"{ly}\" x2=\"{legendX + 24}\" y2=\"{ly}\" stroke=\"{series.Colour}\" stroke-width=\"3\"/><text x=\"{legendX + 30}\" y=\"{ly + 4}\">{series.Label}</text>\n");
        }
        svg.Append("</svg>\n");
        return svg.ToString();
    }

    private static string FormatNs(double ns) => ns switch
    {
        >= 1e6 => (ns / 1e6).ToString("0.##", CultureInfo.InvariantCulture) + " ms",
        >= 1e3 => (ns / 1e3).ToString("0.##", CultureInfo.InvariantCulture) + " us",
        _ => ns.ToString("0.#", CultureInfo.InvariantCulture) + " ns",
    };
}
