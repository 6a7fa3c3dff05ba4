using Microsoft.Extensions.Options;

namespace Supervision.Runtime.Hosting;

/// <summary>Checks a tree's <see cref="SupervisionTreeHostOptions"/> when they are first read (the host's start), naming each bad option.</summary>
internal sealed class SupervisionTreeHostOptionsValidator : IValidateOptions<SupervisionTreeHostOptions>
{
    public ValidateOptionsResult Validate(string? name, SupervisionTreeHostOptions options)
    {
        var tree = string.IsNullOrEmpty(name) ? "the supervision tree without a name" : $"supervision tree '{name}'";
        var failures = new List<string>();
        void Check(bool valid, string option, object? value, string rule)
        {
            if (!valid)
            {
                failures.Add($"{tree}: {option} {rule}; got {value}");
            }
        }
        Check(options.StartTimeout is not { } start || IsTimeout(start), nameof(options.StartTimeout), options.StartTimeout, "must be zero or more, or infinite (-00:00:00.001)");
        Check(options.KillGrace is not { } grace || IsTimeout(grace), nameof(options.KillGrace), options.KillGrace, "must be zero or more, or infinite (-00:00:00.001)");
        Check(options.Intensity is not { } intensity || intensity >= 0, nameof(options.Intensity), options.Intensity, "must be 0 or more");
        Check(options.PeriodSeconds is not { } period || period > 0, nameof(options.PeriodSeconds), options.PeriodSeconds, "must be more than 0");
        Check(Enum.IsDefined(options.RootExit), nameof(options.RootExit), options.RootExit, "must be StopApplication, RestartTree or KeepRunning");
        Check(options.MaxTreeRestarts >= 0, nameof(options.MaxTreeRestarts), options.MaxTreeRestarts, "must be 0 or more");
        Check(options.TreeRestartPeriod > TimeSpan.Zero, nameof(options.TreeRestartPeriod), options.TreeRestartPeriod, "must be more than zero");
        Check(options.TreeRestartDelay >= TimeSpan.Zero, nameof(options.TreeRestartDelay), options.TreeRestartDelay, "must be zero or more");
        Check(options.MaxTreeRestartDelay >= options.TreeRestartDelay, nameof(options.MaxTreeRestartDelay), options.MaxTreeRestartDelay, "must be at least TreeRestartDelay");
        Check(options.DegradedRestartRatio is > 0 and <= 1, nameof(options.DegradedRestartRatio), options.DegradedRestartRatio, "must be more than 0 and at most 1");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool IsTimeout(TimeSpan value) => value >= TimeSpan.Zero || value == Timeout.InfiniteTimeSpan;
}
