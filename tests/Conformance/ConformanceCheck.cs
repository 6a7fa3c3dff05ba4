using Xunit;

namespace Supervision.Conformance.Tests;

/// <summary>One conformance check: the scenario on the real OTP node and through <c>supervise replay</c>.</summary>
internal static class ConformanceCheck
{
    private static readonly TimeSpan CliLimit = TimeSpan.FromMinutes(2);

    /// <param name="scenarioFile">The scenario (absolute path).</param>
    /// <param name="batchKey">Scenarios that share a key run on the OTP node together, once.</param>
    /// <param name="batchFiles">All scenarios of that batch.</param>
    public static async Task AssertMatchesOtpAsync(string scenarioFile, string batchKey, IReadOnlyList<string> batchFiles)
    {
        var cli = ConformanceEnvironment.RequirePrerequisites();
        var output = TestContext.Current.TestOutputHelper;
        var otp = await OtpDriver.GetAsync(batchKey, batchFiles, scenarioFile);
        var replay = await ProcessRunner.RunAsync(
            cli.FileName, [.. cli.PrefixArguments, "replay", scenarioFile], null, CliLimit, TestContext.Current.CancellationToken);
        output?.WriteLine($"{scenarioFile}: OTP driver {otp.RealMs} ms real (exit {otp.ExitCode}), CLI {replay.Elapsed.TotalMilliseconds:F0} ms (exit {replay.ExitCode})");

        const int cliBadInput = 2;
        if (otp.ExitCode == OtpOutcome.Invalid || replay.ExitCode == cliBadInput)
        {
            // Both sides must agree that the scenario is invalid (exit code 2, nothing to compare).
            Assert.True(
                otp.ExitCode == OtpOutcome.Invalid && replay.ExitCode == cliBadInput,
                $"scenario: {scenarioFile}\nonly one side rejects it as invalid\n" +
                $"OTP driver: exit {otp.ExitCode} {otp.Diagnostic}\nCLI: exit {replay.ExitCode} {replay.StandardError}");
            return;
        }
        var deadlock = otp.ExitCode == OtpOutcome.DriverError && otp.Diagnostic.StartsWith("deadlock", StringComparison.Ordinal);
        Assert.True(
            otp.ExitCode == OtpOutcome.Ok || deadlock,
            $"scenario: {scenarioFile}\nthe OTP driver failed (exit {otp.ExitCode}): {otp.Diagnostic}\n--- partial OTP trace ---\n{otp.Trace}");
        Assert.True(
            replay.ExitCode == 0,
            $"scenario: {scenarioFile}\nsupervise replay failed (exit {replay.ExitCode}):\n{replay.StandardError}");
        if (deadlock)
        {
            output?.WriteLine($"note: the OTP node could make no more progress ({otp.Diagnostic}); comparing what it printed");
        }
        var difference = TraceDiff.Describe(scenarioFile, otp.Trace, replay.StandardOutput, ConformanceEnvironment.IgnoreTime);
        Assert.True(difference is null, difference);
    }
}
