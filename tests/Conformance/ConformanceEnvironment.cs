using Xunit;

namespace Supervision.Conformance.Tests;

/// <summary>
/// Where things are (the repository, the OTP driver, the <c>supervise</c> CLI) and what to do when one
/// is missing: outside CI the tests are reported as skipped with the reason; in CI (<c>CI</c> set to
/// anything but <c>false</c>) a missing prerequisite fails them, because there they must run.
/// </summary>
internal static class ConformanceEnvironment
{
    /// <summary>Environment variable naming the CLI: a <c>supervise.dll</c> (run with <c>dotnet</c>) or an executable.</summary>
    public const string CliVariable = "SUPERVISE_CLI";

    /// <summary>Optional: extra scenario folders (relative to the repository or absolute), separated by ';'.</summary>
    public const string FoldersVariable = "SUPERVISE_CONFORMANCE_FOLDERS";

    /// <summary>Optional: '1' compares traces without the time column.</summary>
    public const string IgnoreTimeVariable = "SUPERVISE_CONFORMANCE_IGNORE_TIME";

    private static readonly Lazy<string> RepoRootLazy = new(FindRepoRoot);

    /// <summary>The repository root (the folder holding Supervision.sln).</summary>
    public static string RepoRoot => RepoRootLazy.Value;

    /// <summary>conformance/run-otp.sh.</summary>
    public static string OtpScript => Path.Combine(RepoRoot, "conformance", "run-otp.sh");

    /// <summary>True on a CI machine, where skipping is not allowed.</summary>
    public static bool InCi =>
        Environment.GetEnvironmentVariable("CI") is { Length: > 0 } value
        && !value.Equals("false", StringComparison.OrdinalIgnoreCase);

    /// <summary>True when the time column is left out of the comparison.</summary>
    public static bool IgnoreTime => Environment.GetEnvironmentVariable(IgnoreTimeVariable) == "1";

    /// <summary>Why the OTP side cannot run here, or null when it can.</summary>
    public static string? OtpMissingReason()
    {
        foreach (var tool in new[] { "erl", "erlc", "bash" })
        {
            if (FindOnPath(tool) is null)
            {
                return $"{tool} is not on PATH: the conformance tests need Erlang/OTP 25 " +
                       "(apt-get install -y erlang-nox erlang-src; .ci/run installs them)";
            }
        }
        return File.Exists(OtpScript) ? null : $"{OtpScript} is missing";
    }

    /// <summary>
    /// How to start the CLI: <c>SUPERVISE_CLI</c> if set, else the newest
    /// <c>src/Cli/bin/*/net10.0/supervise.dll</c>; null when there is none.
    /// </summary>
    public static CliCommand? FindCli()
    {
        var configured = Environment.GetEnvironmentVariable(CliVariable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return CliCommand.For(Path.GetFullPath(configured, RepoRoot));
        }
        var bin = Path.Combine(RepoRoot, "src", "Cli", "bin");
        if (!Directory.Exists(bin))
        {
            return null;
        }
        var newest = Directory.EnumerateFiles(bin, "supervise.dll", SearchOption.AllDirectories)
            .Where(path => path.Contains($"{Path.DirectorySeparatorChar}net10.0{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .OrderByDescending(File.GetLastWriteTimeUtc)
            .FirstOrDefault();
        return newest is null ? null : CliCommand.For(newest);
    }

    /// <summary>Skips (locally) or fails (in CI) unless both the OTP node and the CLI can run.</summary>
    public static CliCommand RequirePrerequisites()
    {
        var otp = OtpMissingReason();
        if (otp is not null)
        {
            SkipOrFail($"conformance test not run: {otp}");
        }
        var cli = FindCli();
        if (cli is null || !File.Exists(cli.Target))
        {
            SkipOrFail($"conformance test not run: the supervise CLI was not found ({cli?.Target ?? "no src/Cli/bin/*/net10.0/supervise.dll"}); " +
                       $"build src/Cli or set {CliVariable}");
        }
        return cli!;
    }

    private static void SkipOrFail(string reason)
    {
        if (InCi)
        {
            Assert.Fail(reason + " [CI is set, so this is a failure, not a skip]");
        }
        Assert.Skip(reason);
    }

    /// <summary>The full path of an executable found on PATH, or null.</summary>
    public static string? FindOnPath(string name)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var dir in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        return null;
    }

    private static string FindRepoRoot()
    {
        for (var dir = AppContext.BaseDirectory; dir is not null; dir = Path.GetDirectoryName(dir))
        {
            if (File.Exists(Path.Combine(dir, "Supervision.sln")))
            {
                return dir;
            }
        }
        throw new InvalidOperationException($"no Supervision.sln above {AppContext.BaseDirectory}");
    }
}

/// <summary>A way to start the CLI: <c>dotnet supervise.dll</c> or the executable itself.</summary>
internal sealed record CliCommand(string FileName, IReadOnlyList<string> PrefixArguments, string Target)
{
    public static CliCommand For(string path) =>
        path.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)
            ? new CliCommand("dotnet", [path], path)
            : new CliCommand(path, [], path);
}
