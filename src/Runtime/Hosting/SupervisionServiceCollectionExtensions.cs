using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Supervision.Runtime;
using Supervision.Runtime.Hosting;

// In the namespace of the other AddXxx extensions, so that no using is needed where services are registered.
namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers supervision trees as hosted services.</summary>
public static class SupervisionServiceCollectionExtensions
{
    /// <summary>
    /// Runs the tree <paramref name="root"/>, named <paramref name="name"/>, as a hosted service: started when the
    /// host starts (in registration order; the host waits for every child's start phase), stopped newest first when
    /// the host stops. Its options (<see cref="SupervisionTreeHostOptions"/>) are the named options
    /// <paramref name="name"/>: the returned builder binds or configures them. The host's logging, metrics and
    /// services are the tree's by default. Resolve it with <see cref="ISupervisionTreeProvider"/> or as a keyed
    /// <see cref="SupervisionTreeHost"/>.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="name">The tree's name, unique in the collection.</param>
    /// <param name="root">The tree; validated now.</param>
    /// <exception cref="ArgumentException">The definition is invalid, or the name is empty.</exception>
    /// <exception cref="InvalidOperationException">A tree with this name is already registered.</exception>
    public static OptionsBuilder<SupervisionTreeHostOptions> AddSupervisionTree(this IServiceCollection services, string name, SupervisorDefinition root)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentException.ThrowIfNullOrEmpty(name);
        root.ToSpec().Validate(root.Id);
        return Register(services, name, _ => root, null);
    }

    /// <summary>
    /// Runs the tree that <paramref name="build"/> makes from the host's services, named <paramref name="name"/>, as a
    /// hosted service (see <see cref="AddSupervisionTree(IServiceCollection, string, SupervisorDefinition)"/>). The
    /// definition is built and validated when the host creates the tree.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="name">The tree's name, unique in the collection.</param>
    /// <param name="build">Makes the tree's definition.</param>
    /// <exception cref="ArgumentException">The name is empty.</exception>
    /// <exception cref="InvalidOperationException">A tree with this name is already registered.</exception>
    public static OptionsBuilder<SupervisionTreeHostOptions> AddSupervisionTree(this IServiceCollection services, string name, Func<IServiceProvider, SupervisorDefinition> build)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(build);
        return Register(services, name, build, null);
    }

    /// <summary>
    /// Runs <paramref name="root"/> as the hosted tree without a name (its options are the unnamed
    /// <see cref="SupervisionTreeHostOptions"/>; <c>GetRequiredService&lt;SupervisionTreeHost&gt;()</c> resolves it).
    /// One such tree per collection: name further trees with <c>AddSupervisionTree(name, ...)</c>.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="root">The tree; validated now.</param>
    /// <param name="configure">
    /// Tree options; what they leave unset (logging, metrics, services) comes from the host, and a value set in
    /// <see cref="SupervisionTreeHostOptions"/> wins.
    /// </param>
    /// <exception cref="InvalidOperationException">A tree without a name is already registered.</exception>
    public static IServiceCollection AddSupervisionTree(this IServiceCollection services, SupervisorDefinition root, Func<IServiceProvider, SupervisionTreeOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(root);
        root.ToSpec().Validate(root.Id);
        Register(services, Options.Options.DefaultName, _ => root, configure);
        return services;
    }

    /// <summary>
    /// Runs the tree that <paramref name="build"/> makes from the host's services as the hosted tree without a name
    /// (see <see cref="AddSupervisionTree(IServiceCollection, SupervisorDefinition, Func{IServiceProvider, SupervisionTreeOptions}?)"/>).
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="build">Makes the tree's definition.</param>
    /// <param name="configure">Tree options; what they leave unset comes from the host.</param>
    /// <exception cref="InvalidOperationException">A tree without a name is already registered.</exception>
    public static IServiceCollection AddSupervisionTree(this IServiceCollection services, Func<IServiceProvider, SupervisorDefinition> build, Func<IServiceProvider, SupervisionTreeOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(build);
        Register(services, Options.Options.DefaultName, build, configure);
        return services;
    }

    private static OptionsBuilder<SupervisionTreeHostOptions> Register(
        IServiceCollection services, string name, Func<IServiceProvider, SupervisorDefinition> build, Func<IServiceProvider, SupervisionTreeOptions>? configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        var registry = services.FirstOrDefault(d => d.ServiceType == typeof(SupervisionTreeRegistry))?.ImplementationInstance as SupervisionTreeRegistry;
        if (registry is null)
        {
            registry = new SupervisionTreeRegistry();
            services.AddSingleton(registry);
        }
        if (!registry.TryAdd(name))
        {
            throw new InvalidOperationException(name.Length == 0
                ? "a supervision tree without a name is already registered (AddSupervisionTree(definition)); give each further tree a name: AddSupervisionTree(name, definition)"
                : $"a supervision tree named '{name}' is already registered; each tree needs its own name");
        }
        services.TryAddSingleton<ISupervisionTreeProvider, SupervisionTreeProvider>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SupervisionTreeHostOptions>, SupervisionTreeHostOptionsValidator>());
        services.AddKeyedSingleton(name, (provider, _) => SupervisionTreeHost.Create(name, provider, build, configure));
        // Added, not TryAddEnumerable (as AddHostedService does): that would keep only the first tree's host.
        services.AddSingleton<IHostedService>(provider => provider.GetRequiredKeyedService<SupervisionTreeHost>(name));
        if (name.Length == 0)
        {
            services.AddSingleton(provider => provider.GetRequiredKeyedService<SupervisionTreeHost>(name));
        }
        return services.AddOptions<SupervisionTreeHostOptions>(name);
    }
}
