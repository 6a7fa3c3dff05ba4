namespace Xunit;

/// <summary>
/// The one piece of xunit.v3's API the runtime's tests use that xunit 2 lacks: the test's cancellation token
/// (here never cancelled; each test still bounds its own waits).
/// </summary>
internal sealed class TestContext
{
    /// <summary>The context of the running test.</summary>
    public static TestContext Current { get; } = new();

    /// <summary>Cancelled when the test is cancelled: never, under this shim.</summary>
    public CancellationToken CancellationToken => CancellationToken.None;
}
