namespace Supervision.Runtime.Testing;

/// <summary>
/// A test run by <see cref="SupervisionTest.RunAsync"/> awaits something that can never complete on virtual time:
/// nothing is left to run and no timer is pending (or the virtual time or step limit was reached). Without this,
/// such an await would hang the test run with no diagnostic.
/// </summary>
public sealed class SupervisionTestBlockedException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What the test was blocked on and what state the trees were in.</param>
    /// <param name="virtualTime">The virtual time at which it was found blocked.</param>
    public SupervisionTestBlockedException(string message, TimeSpan virtualTime)
        : base(message) => VirtualTime = virtualTime;

    /// <summary>The virtual time since the test's start at which it was found blocked.</summary>
    public TimeSpan VirtualTime { get; }
}
