using Supervision.Engine;

namespace Supervision.Runtime;

/// <summary>
/// A child as the runtime knows it: its OTP spec (id, restart, shutdown, significant) and how to make
/// each incarnation. Create with <see cref="Worker(string, Func{ChildContext, ISupervisedChild})"/>,
/// <see cref="Worker(string, Func{ChildContext, Task})"/> or <see cref="Supervisor"/>; adjust with
/// <c>with { Restart = RestartType.Transient }</c>.
/// </summary>
public sealed record ChildDefinition
{
    private ChildDefinition(string id, Func<ChildContext, ISupervisedChild>? factory, SupervisorDefinition? supervisor)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        Id = id;
        Factory = factory;
        SupervisorDefinition = supervisor;
    }

    /// <summary>The child's id.</summary>
    public string Id { get; }

    /// <summary>When it is restarted. Default permanent.</summary>
    public RestartType Restart { get; init; } = RestartType.Permanent;

    /// <summary>How it is terminated; null means OTP's default (5000 ms for a worker, infinity for a supervisor).</summary>
    public ShutdownPolicy? Shutdown { get; init; }

    /// <summary>Whether its own end can shut its supervisor down (needs auto_shutdown).</summary>
    public bool Significant { get; init; }

    /// <summary>
    /// Opt-in health probing of each incarnation (see <see cref="HealthProbeOptions"/>): failed probes in a
    /// row end it with <c>health_probe_failed</c>. Null (the default): never probed. Workers only.
    /// </summary>
    public HealthProbeOptions? HealthProbe { get; init; }

    /// <summary>Makes one incarnation of a worker; null for a supervisor child.</summary>
    public Func<ChildContext, ISupervisedChild>? Factory { get; }

    /// <summary>The nested tree of a supervisor child; null for a worker.</summary>
    public SupervisorDefinition? SupervisorDefinition { get; }

    /// <summary>A worker made of an <see cref="ISupervisedChild"/> per incarnation.</summary>
    public static ChildDefinition Worker(string id, Func<ChildContext, ISupervisedChild> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        return new ChildDefinition(id, factory, null);
    }

    /// <summary>A worker whose start always succeeds and whose life is <paramref name="run"/>.</summary>
    public static ChildDefinition Worker(string id, Func<ChildContext, Task> run)
    {
        ArgumentNullException.ThrowIfNull(run);
        // One child object for every incarnation: it holds nothing but the delegate (and is not disposable),
        // so sharing it saves an object per running child.
        var child = new DelegateChild(run);
        return new ChildDefinition(id, _ => child, null);
    }

    /// <summary>A child that is itself a supervisor.</summary>
    public static ChildDefinition Supervisor(SupervisorDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return new ChildDefinition(definition.Id, null, definition);
    }

    /// <summary>The engine's spec for this child (nested supervisors included).</summary>
    /// <exception cref="ArgumentException">A health probe on a supervisor child.</exception>
    public ChildSpec ToSpec() => HealthProbe is not null && SupervisorDefinition is not null
        ? throw new ArgumentException($"child '{Id}': {nameof(HealthProbe)} applies to workers only, not to a supervisor child", nameof(HealthProbe))
        : new(Id)
    {
        Restart = Restart,
        Shutdown = Shutdown,
        Significant = Significant,
        Type = SupervisorDefinition is null ? ChildType.Worker : ChildType.Supervisor,
        Supervisor = SupervisorDefinition?.ToSpec(),
    };

    private sealed class DelegateChild(Func<ChildContext, Task> run) : ISupervisedChild
    {
        public Task RunAsync(ChildContext context) => run(context);
    }
}

/// <summary>A supervisor as the runtime knows it: OTP's flags and its children (oldest first).</summary>
public sealed record SupervisorDefinition
{
    /// <summary>Creates a supervisor definition with OTP's default flags.</summary>
    public SupervisorDefinition(string id, params IReadOnlyList<ChildDefinition> children)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        ArgumentNullException.ThrowIfNull(children);
        Id = id;
        Children = children;
    }

    /// <summary>The supervisor's id (the first segment of its children's paths when it is the root).</summary>
    public string Id { get; }

    /// <summary>The children, oldest first. For simple_one_for_one: exactly one template.</summary>
    public IReadOnlyList<ChildDefinition> Children { get; init; }

    /// <summary>Restart strategy. Default one_for_one.</summary>
    public RestartStrategy Strategy { get; init; } = RestartStrategy.OneForOne;

    /// <summary>Restarts allowed within <see cref="PeriodSeconds"/>. Default 1.</summary>
    public int Intensity { get; init; } = 1;

    /// <summary>The intensity window in whole seconds. Default 5.</summary>
    public int PeriodSeconds { get; init; } = 5;

    /// <summary>auto_shutdown. Default never.</summary>
    public AutoShutdown AutoShutdown { get; init; } = AutoShutdown.Never;

    /// <summary>Opt-in restart backoff with jitter (see <see cref="RestartBackoff"/>). Default null: restarts at once, as OTP.</summary>
    public RestartBackoff? Backoff { get; init; }

    /// <summary>The engine's spec for this supervisor.</summary>
    public SupervisorSpec ToSpec()
    {
        var children = new List<ChildSpec>(Children.Count);
        foreach (var child in Children)
        {
            ArgumentNullException.ThrowIfNull(child, nameof(Children));
            children.Add(child.ToSpec());
        }
        return new SupervisorSpec(children)
        {
            Strategy = Strategy,
            Intensity = Intensity,
            PeriodSeconds = PeriodSeconds,
            AutoShutdown = AutoShutdown,
            Backoff = Backoff,
        };
    }
}
