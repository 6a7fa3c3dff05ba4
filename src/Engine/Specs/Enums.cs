namespace Supervision.Engine;

/// <summary>How a supervisor reacts when one of its children must be restarted (OTP's <c>strategy</c>).</summary>
public enum RestartStrategy
{
    /// <summary>Only the failed child is restarted.</summary>
    OneForOne,
    /// <summary>Every child is terminated (newest first) and then all are started again (oldest first).</summary>
    OneForAll,
    /// <summary>The failed child and every child newer than it are terminated and started again.</summary>
    RestForOne,
    /// <summary>One template; children are instances added dynamically and restarted individually.</summary>
    SimpleOneForOne,
}

/// <summary>When a child is restarted after it exits (OTP's <c>restart</c>).</summary>
public enum RestartType
{
    /// <summary>Always restarted.</summary>
    Permanent,
    /// <summary>Restarted only after an abnormal exit (not normal, shutdown or shutdown:x).</summary>
    Transient,
    /// <summary>Never restarted; its spec is removed once it stops.</summary>
    Temporary,
}

/// <summary>Whether a child is a worker or itself a supervisor.</summary>
public enum ChildType
{
    /// <summary>An ordinary child.</summary>
    Worker,
    /// <summary>A child that is itself a supervisor.</summary>
    Supervisor,
}

/// <summary>When a supervisor shuts itself down because significant children ended (OTP's <c>auto_shutdown</c>).</summary>
public enum AutoShutdown
{
    /// <summary>Never; significant children are not allowed.</summary>
    Never,
    /// <summary>As soon as any significant child ends on its own without being restarted.</summary>
    AnySignificant,
    /// <summary>When, after a significant child ends on its own, no significant child is left running.</summary>
    AllSignificant,
}

/// <summary>The kind of a <see cref="ShutdownPolicy"/>.</summary>
public enum ShutdownKind
{
    /// <summary>Killed at once (OTP's <c>brutal_kill</c>).</summary>
    BrutalKill,
    /// <summary>Asked to stop, then killed if it has not exited within the timeout.</summary>
    Timeout,
    /// <summary>Asked to stop, and waited for without limit.</summary>
    Infinity,
}
