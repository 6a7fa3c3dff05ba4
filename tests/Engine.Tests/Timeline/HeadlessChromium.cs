using System.Diagnostics;
using Xunit;

namespace Supervision.Engine.Tests.Timeline;

/// <summary>
/// Debian's Chromium, started as a process in headless mode (no test framework, no browser download): takes a
/// screenshot of a page or prints its DOM. Where Chromium is missing the tests are reported skipped with the
/// reason; in CI (<c>CI</c> set to anything but <c>false</c>, as .ci/run does, which installs it) that is a failure.
/// </summary>
internal static class HeadlessChromium
{
    /// <summary>Optional: the Chromium (or Chrome) executable to use.</summary>
    public const string Variable = "SUPERVISE_CHROMIUM";

    // Generous: a cold start on a loaded two-core machine takes a few seconds.
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    private static bool InCi =>
        Environment.GetEnvironmentVariable("CI") is { Length: > 0 } value && !value.Equals("false", StringComparison.OrdinalIgnoreCase);

    /// <summary>The executable, or a skip (a failure in CI) saying why there is none.</summary>
    public static string Require()
    {
        var configured = Environment.GetEnvironmentVariable(Variable);
        var found = !string.IsNullOrWhiteSpace(configured)
            ? (File.Exists(configured) ? configured : null)
            : new[] { "chromium", "chromium-browser", "google-chrome" }.Select(FindOnPath).FirstOrDefault(path => path is not null);
        if (found is not null)
        {
            return found;
        }
        var reason = $"browser test not run: no Chromium ({(string.IsNullOrWhiteSpace(configured) ? "chromium is not on PATH" : $"{Variable}={configured} does not exist")}); " +
                     "apt-get install -y chromium (.ci/run installs it)";
        if (InCi)
        {
            Assert.Fail(reason + " [CI is set, so this is a failure, not a skip]");
        }
        Assert.Skip(reason);
        return null!;
    }

    /// <summary>Renders <paramref name="page"/> at <paramref name="width"/> x <paramref name="height"/> into <paramref name="png"/>.</summary>
    public static void Screenshot(string chromium, string page, string png, int width, int height, string scratch) =>
        Run(chromium, scratch, $"--screenshot={png}", $"--window-size={width},{height}", "--hide-scrollbars", new Uri(page).AbsoluteUri);

    /// <summary>The DOM Chromium built from <paramref name="page"/>, serialised.</summary>
    public static string DumpDom(string chromium, string page, string scratch) =>
        Run(chromium, scratch, "--dump-dom", new Uri(page).AbsoluteUri);

    private static string Run(string chromium, string scratch, params string[] arguments)
    {
        var start = new ProcessStartInfo(chromium)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // The flags known to work here: no sandbox (root in a container), no GPU, and nothing that reaches the network.
        foreach (var flag in new[]
                 {
                     "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", $"--user-data-dir={Path.Combine(scratch, "profile-" + Guid.NewGuid().ToString("N"))}",
                 })
        {
            start.ArgumentList.Add(flag);
        }
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{chromium} did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(Timeout))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{chromium} did not finish within {Timeout.TotalSeconds} s");
        }
        Assert.True(process.ExitCode == 0, $"{chromium} exited {process.ExitCode}: {Tail(errors.Result)}");
        return output.Result;
    }

    private static string Tail(string text) => text.Length <= 2000 ? text : text[^2000..];

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
        .Select(dir => Path.Combine(dir, name)).FirstOrDefault(File.Exists);
}
