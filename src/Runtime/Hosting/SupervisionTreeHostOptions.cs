using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Supervision.Runtime.Scheduling;

namespace Supervision.Runtime.Hosting;

/// <summary>
/// A hosted tree's options, named after the tree (the options pattern: <c>IOptionsMonitor&lt;T&gt;.Get(name)</c>).
/// <c>services.AddSupervisionTree(name, ...)</c> returns their <c>OptionsBuilder</c>: bind them from configuration
/// (<c>.BindConfiguration("Supervision:Trees:orders")</c>) or set them in code (<c>.Configure(o =&gt; ...)</c>). The
/// flags and timeouts are read once, when the host creates the tree; a value set here wins over the
/// <see cref="SupervisionTreeOptions"/> a legacy registration passes. They are validated when the host starts
/// (<c>OptionsValidationException</c>, naming the tree and the option).
/// </summary>
public sealed class SupervisionTreeHostOptions
{
    /// <summary>Overrides <see cref="SupervisionTreeOptions.StartTimeout"/> (default 30 s) when set.</summary>
    public TimeSpan? StartTimeout { get; set; }

    /// <summary>Overrides <see cref="SupervisionTreeOptions.KillGrace"/> (default 1 s) when set.</summary>
    public TimeSpan? KillGrace { get; set; }

    /// <summary>Overrides the root supervisor's <see cref="SupervisorDefinition.Intensity"/> when set.</summary>
    public int? Intensity { get; set; }

    /// <summary>Overrides the root supervisor's <see cref="SupervisorDefinition.PeriodSeconds"/> when set.</summary>
    public int? PeriodSeconds { get; set; }

    /// <summary>What happens when the root ends on its own. Default <see cref="RootExitPolicy.StopApplication"/>.</summary>
    public RootExitPolicy RootExit { get; set; } = RootExitPolicy.StopApplication;

    /// <summary>The process exit code set when the policy stops the application. Default 1 (a failure, so the platform restarts the process).</summary>
    public int ExitCode { get; set; } = 1;

    /// <summary><see cref="RootExitPolicy.RestartTree"/>: tree restarts allowed within <see cref="TreeRestartPeriod"/>. Default 3.</summary>
    public int MaxTreeRestarts { get; set; } = 3;

    /// <summary><see cref="RootExitPolicy.RestartTree"/>: the window in which <see cref="MaxTreeRestarts"/> count. Default 5 minutes.</summary>
    public TimeSpan TreeRestartPeriod { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary><see cref="RootExitPolicy.RestartTree"/>: the wait before the first restart in the window; it doubles for each further one. Default 1 s.</summary>
    public TimeSpan TreeRestartDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary><see cref="RootExitPolicy.RestartTree"/>: the longest wait before a restart. Default 30 s.</summary>
    public TimeSpan MaxTreeRestartDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The health check reports degraded while some supervisor of the tree has restarts counting against its intensity
    /// in its current window of at least this share of its intensity (rounded up, at least one): with the default 0.5,
    /// 1 of intensity 1, 2 of 3, 3 of 5. A supervisor of intensity 0 never restarts, so it is never close. In (0, 1].
    /// </summary>
    public double DegradedRestartRatio { get; set; } = 0.5;

    /// <summary>Code only (not from configuration): where the tree runs and its clock. Default: the thread pool and the system clock.</summary>
    public SupervisionScheduler? Scheduler { get; set; }

    /// <summary>Code only: the loggers. Default: the host's <see cref="ILoggerFactory"/>.</summary>
    public ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>Code only: where the tree's instruments are created. Default: the host's <see cref="IMeterFactory"/>.</summary>
    public IMeterFactory? MeterFactory { get; set; }
}
