namespace Supervision.Engine;

/// <summary>
/// One child of a supervisor (OTP's child spec). Immutable; validated when the supervisor that holds
/// it is validated (<see cref="SupervisorSpec.Validate"/>) or when it is added with start_child.
/// </summary>
public sealed record ChildSpec
{
    /// <summary>Creates a spec with OTP's defaults: permanent, worker, not significant, default shutdown.</summary>
    /// <param name="id">The child's id, unique among its siblings.</param>
    public ChildSpec(string id) => Id = id;

    /// <summary>The child's id, unique among its siblings. Names a child in paths (<c>root/orders/cart</c>).</summary>
    public string Id { get; init; }

    /// <summary>When the child is restarted. Default <see cref="RestartType.Permanent"/>.</summary>
    public RestartType Restart { get; init; } = RestartType.Permanent;

    /// <summary>Worker or supervisor. Default <see cref="ChildType.Worker"/>; set automatically when <see cref="Supervisor"/> is given.</summary>
    public ChildType Type { get; init; } = ChildType.Worker;

    /// <summary>How the child is terminated; null means OTP's default for its type (5000 ms for a worker, infinity for a supervisor).</summary>
    public ShutdownPolicy? Shutdown { get; init; }

    /// <summary>Whether the child's own end can shut its supervisor down (see <see cref="AutoShutdown"/>). Default false.</summary>
    public bool Significant { get; init; }

    /// <summary>For a supervisor child whose tree is known up front (nested trees): its own spec. Optional.</summary>
    public SupervisorSpec? Supervisor { get; init; }

    /// <summary>The shutdown policy in force: <see cref="Shutdown"/> or the default for <see cref="EffectiveType"/>.</summary>
    public ShutdownPolicy EffectiveShutdown =>
        Shutdown ?? (EffectiveType == ChildType.Supervisor ? ShutdownPolicy.Infinity : ShutdownPolicy.DefaultWorker);

    /// <summary>The child type in force: <see cref="ChildType.Supervisor"/> when <see cref="Supervisor"/> is set.</summary>
    public ChildType EffectiveType => Supervisor is not null ? ChildType.Supervisor : Type;

    /// <summary>
    /// Checks this spec as OTP's <c>check_childspec</c> would for a supervisor with the given
    /// <paramref name="autoShutdown"/>, and returns the first violation's OTP error token
    /// (<c>missing_id</c>, <c>bad_combination</c>, ...), or null when the spec is valid.
    /// This is the answer a start_child call gives.
    /// </summary>
    public string? FirstOtpError(AutoShutdown autoShutdown)
    {
        var violations = new List<SpecViolation>();
        SpecValidation.CheckChild(this, autoShutdown, "child", violations, recurse: true);
        return violations.Count == 0 ? null : violations[0].OtpError;
    }
}
