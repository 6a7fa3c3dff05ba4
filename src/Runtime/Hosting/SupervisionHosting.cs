using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Supervision.Runtime.Hosting;

/// <summary>Registers a supervision tree as a hosted service.</summary>
public static class SupervisionServiceCollectionExtensions
{
    /// <summary>
    /// Runs <paramref name="root"/> as a hosted service: started when the host starts (the host waits for
    /// every child's start phase), stopped newest first when the host stops, within the host's shutdown
    /// timeout. The running tree is available as <see cref="SupervisionTreeHost.Tree"/>.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="root">The tree.</param>
    /// <param name="configure">Options; the default takes the host's <see cref="ILoggerFactory"/>.</param>
    public static IServiceCollection AddSupervisionTree(this IServiceCollection services, SupervisorDefinition root, Func<IServiceProvider, SupervisionTreeOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(root);
        root.ToSpec().Validate(root.Id);
        return services.AddSupervisionTree(_ => root, configure);
    }

    /// <summary>
    /// Runs the tree that <paramref name="build"/> makes from the host's services (so children can use
    /// loggers, options and other services), as a hosted service. The definition is validated when the
    /// host creates it.
    /// </summary>
    public static IServiceCollection AddSupervisionTree(this IServiceCollection services, Func<IServiceProvider, SupervisorDefinition> build, Func<IServiceProvider, SupervisionTreeOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(build);
        services.AddSingleton(provider => new SupervisionTreeHost(
            build(provider),
            configure?.Invoke(provider) ?? new SupervisionTreeOptions { LoggerFactory = provider.GetService<ILoggerFactory>() }));
        services.AddHostedService(provider => provider.GetRequiredService<SupervisionTreeHost>());
        return services;
    }
}

/// <summary>The hosted service that owns one supervision tree.</summary>
public sealed class SupervisionTreeHost : IHostedService
{
    private readonly SupervisorDefinition _root;
    private readonly SupervisionTreeOptions _options;
    private SupervisionTree? _tree;

    /// <summary>Creates the host for <paramref name="root"/>.</summary>
    public SupervisionTreeHost(SupervisorDefinition root, SupervisionTreeOptions options)
    {
        _root = root;
        _options = options;
    }

    /// <summary>The running tree (after the host has started).</summary>
    /// <exception cref="InvalidOperationException">The host has not started it yet.</exception>
    public SupervisionTree Tree => _tree ?? throw new InvalidOperationException("the supervision tree has not been started yet");

    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var tree = SupervisionTree.Create(_root, _options);
        _tree = tree;
        await tree.Started.WaitAsync(cancellationToken);
    }

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_tree is not { } tree)
        {
            return;
        }
        var stopping = tree.StopAsync(CancellationToken.None);
        try
        {
            await stopping.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The host's shutdown timeout ran out while children were still stopping newest first. Throwing
            // would end the process with an unhandled exception (an abort); instead every child still running
            // is asked to stop now, what is still running after the kill grace is logged, and the host goes on.
            var stillRunning = await tree.StopAllNowAsync(_options.KillGrace == Timeout.InfiniteTimeSpan ? TimeSpan.FromSeconds(1) : _options.KillGrace);
            tree.Log.HostStopTimedOut(tree.Root.Path, stillRunning);
        }
    }
}
