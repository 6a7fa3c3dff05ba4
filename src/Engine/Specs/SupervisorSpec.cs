namespace Supervision.Engine;

/// <summary>
/// A supervisor's flags and its children (OTP's <c>{SupFlags, ChildSpecs}</c>). Immutable.
/// Every engine validates its spec at construction: all violations are gathered into one
/// <see cref="ArgumentException"/> (see <see cref="Validate"/>).
/// </summary>
public sealed record SupervisorSpec
{
    /// <summary>Creates a spec with OTP's default flags (one_for_one, intensity 1, period 5 s, auto_shutdown never).</summary>
    /// <param name="children">The children, oldest first (start order).</param>
    public SupervisorSpec(IReadOnlyList<ChildSpec> children) => Children = children;

    /// <summary>The restart strategy. Default <see cref="RestartStrategy.OneForOne"/>.</summary>
    public RestartStrategy Strategy { get; init; } = RestartStrategy.OneForOne;

    /// <summary>Maximum restarts allowed within <see cref="PeriodSeconds"/> (inclusive); one more and the supervisor gives up. Default 1.</summary>
    public int Intensity { get; init; } = 1;

    /// <summary>The restart window in whole seconds (OTP's <c>period</c>). Default 5.</summary>
    public int PeriodSeconds { get; init; } = 5;

    /// <summary>Whether significant children can shut the supervisor down. Default <see cref="Engine.AutoShutdown.Never"/>.</summary>
    public AutoShutdown AutoShutdown { get; init; } = AutoShutdown.Never;

    /// <summary>
    /// Opt-in restart backoff: when set, a restart decided by the strategy waits for a delay (the engine arms its
    /// timer) instead of starting at once. Null (the default) restarts at once, as OTP does.
    /// </summary>
    public RestartBackoff? Backoff { get; init; }

    /// <summary>The children in start order (oldest first). For simple_one_for_one: exactly one template.</summary>
    public IReadOnlyList<ChildSpec> Children { get; init; }

    /// <summary>
    /// Every violation of OTP's rules in this spec and in nested supervisor specs, in a stable order;
    /// empty when the spec is valid.
    /// </summary>
    /// <param name="path">The name used for this supervisor in messages (for example <c>root</c>).</param>
    public IReadOnlyList<SpecViolation> FindViolations(string path = "supervisor")
    {
        var violations = new List<SpecViolation>();
        SpecValidation.CheckSupervisor(this, path, violations);
        return violations;
    }

    /// <summary>Throws one <see cref="ArgumentException"/> listing every violation when the spec is invalid.</summary>
    /// <param name="path">The name used for this supervisor in messages.</param>
    /// <exception cref="ArgumentException">The spec is invalid; the message lists each violation with its field.</exception>
    public void Validate(string path = "supervisor")
    {
        var violations = FindViolations(path);
        if (violations.Count > 0)
        {
            throw new ArgumentException(SpecValidation.Describe(path, violations), "spec");
        }
    }
}

/// <summary>One rule broken by a spec: the field (a dotted path), the message, and OTP's error token.</summary>
/// <param name="Field">Where, for example <c>root/orders.children[1].significant</c>.</param>
/// <param name="Message">What is wrong, in words.</param>
/// <param name="OtpError">OTP's error token for it, for example <c>bad_combination</c>.</param>
public sealed record SpecViolation(string Field, string Message, string OtpError)
{
    /// <summary>One line: field, message and token.</summary>
    public override string ToString() => $"{Field}: {Message} ({OtpError})";
}
