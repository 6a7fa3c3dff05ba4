using System.Diagnostics;
using Xunit;

namespace Supervision.Runtime.Tests.Hosting;

/// <summary>
/// The sample samples/GivingUpService run as a process of its own (real time: that is the point): its root gives up,
/// and the process exits non-zero, with the health check's verdict in its log. Bounded; nothing sleeps.
/// </summary>
public sealed class SampleProcessTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    /// <summary>The sample's build output: the test project references it, so it is built beside this one (same configuration).</summary>
    private static string SamplePath
    {
        get
        {
            // .../tests/Runtime.Tests/bin/<Configuration>/<tfm>/ -> .../samples/GivingUpService/bin/<Configuration>/<tfm>/
            var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            var repository = output.Parent!.Parent!.Parent!.Parent!.Parent!.FullName;
            return Path.Combine(repository, "samples", "GivingUpService", "bin", output.Parent.Name, output.Name, "GivingUpService.dll");
        }
    }

    private static async Task<(int ExitCode, string Output)> RunSampleAsync(params string[] arguments)
    {
        Assert.True(File.Exists(SamplePath), $"the sample is not built at {SamplePath}");
        // The dotnet that runs the tests (set by dotnet test), else the one on the PATH.
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(SamplePath);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var errors = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        try
        {
            await process.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(Bound, TestContext.Current.CancellationToken);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        return (process.ExitCode, await output + await errors);
    }

    [Fact]
    public async Task The_sample_whose_root_gives_up_exits_with_code_1_and_reports_unhealthy()
    {
        // Checks: the sample's root (2 restarts in 10 s) gives up at the third crash of its gateway; the default policy
        // logs why and stops the application; the process exits with 1 and its last health check says unhealthy.
        var (exitCode, output) = await RunSampleAsync();
        Assert.True(exitCode == 1, $"exit code {exitCode}; output:\n{output}");
        Assert.Contains("Supervision tree payments ended on its own: its root supervisor payments gave up after more than 2 restart(s) within 10 s", output);
        Assert.Contains("Health of supervision-tree:payments at exit: Unhealthy", output);
    }

    [Fact]
    public async Task The_exit_code_comes_from_configuration()
    {
        // Checks: the tree's named options are bound from configuration (here the command line): ExitCode = 3 makes
        // the process exit with 3.
        var (exitCode, output) = await RunSampleAsync("--Supervision:Trees:payments:ExitCode=3");
        Assert.True(exitCode == 3, $"exit code {exitCode}; output:\n{output}");
    }
}
