using System.Diagnostics.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Supervision.Runtime.Hosting;
using Xunit;

namespace Supervision.Runtime.Tests.Hosting;

/// <summary>
/// Hosted trees in a real generic host (thread pool and system clock: that is the point): several named trees, their
/// options bound from configuration, logging, metrics and services from DI, and their health as
/// <see cref="HealthCheckService"/> reports it. Every wait is bounded; nothing sleeps.
/// </summary>
[Collection(ExitCodeCollection.Name)]
public sealed class GenericHostTests : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private readonly int _exitCodeBefore = Environment.ExitCode;

    public void Dispose() => Environment.ExitCode = _exitCodeBefore;

    private static ChildDefinition Forever(string id) => ChildDefinition.Worker(id, context => Task.Delay(Timeout.Infinite, context.Stopping));

    [Fact]
    public async Task Two_named_trees_bound_from_configuration_report_their_own_health_to_the_health_check_service()
    {
        // Checks: two trees in one host, each with its named options from configuration. "orders" gets intensity 1
        // and a 1 h window from configuration (its code says 5 in 5 s): one crash makes it degraded (1 of 1), a second
        // makes it give up: unhealthy, while "billing" stays healthy; with RootExit = KeepRunning from configuration
        // the application is not stopped and the exit code is untouched. The flags and timeouts reach each tree, and
        // its logging, metrics and services are the host's.
        var ct = TestContext.Current.CancellationToken;
        var logs = new AwaitableLog();
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Supervision:Trees:orders:RootExit"] = "KeepRunning",
            ["Supervision:Trees:orders:Intensity"] = "1",
            ["Supervision:Trees:orders:PeriodSeconds"] = "3600",
            ["Supervision:Trees:orders:KillGrace"] = "00:00:02",
            ["Supervision:Trees:billing:StartTimeout"] = "00:00:07",
        });
        builder.Logging.AddProvider(logs);
        builder.Services.AddScoped<Connection>();
        builder.Services.AddSupervisionTree("orders", new SupervisorDefinition("orders", Forever("db"), Forever("w")) { Intensity = 5, PeriodSeconds = 5 })
            .BindConfiguration("Supervision:Trees:orders");
        var connections = new List<Connection>();
        builder.Services.AddSupervisionTree("billing", new SupervisorDefinition("billing", ChildDefinition.Worker("ledger", context =>
        {
            // In the factory, which runs before the start phase the host waits for (a delegate body may run later).
            lock (connections)
            {
                connections.Add(context.Services.GetRequiredService<Connection>());
            }
            return new Idle();
        }))).BindConfiguration("Supervision:Trees:billing");
        builder.Services.AddHealthChecks().AddSupervisionTrees();
        using var host = builder.Build();
        await host.StartAsync(ct).WaitAsync(Bound, ct);
        var trees = host.Services.GetRequiredService<ISupervisionTreeProvider>();
        var health = host.Services.GetRequiredService<HealthCheckService>();
        Assert.Equal(["orders", "billing"], trees.Names);
        var orders = trees.GetTree("orders");
        Assert.Equal(TimeSpan.FromSeconds(2), orders.Options.KillGrace);
        Assert.Equal(TimeSpan.FromSeconds(30), orders.Options.StartTimeout);
        Assert.Equal(TimeSpan.FromSeconds(7), trees.GetTree("billing").Options.StartTimeout);
        Assert.Same(host.Services.GetRequiredService<ILoggerFactory>(), orders.Options.LoggerFactory);
        Assert.Same(host.Services.GetRequiredService<IMeterFactory>(), orders.Options.MeterFactory);
        Assert.IsType<Connection>(Assert.Single(connections));

        var first = await health.CheckHealthAsync(ct).WaitAsync(Bound, ct);
        Assert.Equal(HealthStatus.Healthy, first.Status);
        Assert.Equal(["supervision-tree:billing", "supervision-tree:orders"], first.Entries.Keys.Order(StringComparer.Ordinal));

        Assert.True(await orders.Child("orders/w").CrashAsync("boom", ct).WaitAsync(Bound, ct));
        var degraded = await health.CheckHealthAsync(ct).WaitAsync(Bound, ct);
        Assert.Equal(HealthStatus.Degraded, degraded.Status);
        Assert.Equal("orders has 1 of 1 restart(s) in its 3600 s window", degraded.Entries["supervision-tree:orders"].Data["orders"]);
        Assert.Equal(HealthStatus.Healthy, degraded.Entries["supervision-tree:billing"].Status);

        var ended = logs.Next(30);
        Assert.True(await orders.Child("orders/w").CrashAsync("boom", ct).WaitAsync(Bound, ct));
        Assert.Contains("(RootExit = KeepRunning)", (await ended.WaitAsync(Bound, ct)).Message);
        var gaveUp = await health.CheckHealthAsync(ct).WaitAsync(Bound, ct);
        Assert.Equal(HealthStatus.Unhealthy, gaveUp.Status);
        Assert.Equal(HealthStatus.Unhealthy, gaveUp.Entries["supervision-tree:orders"].Status);
        Assert.Equal(HealthStatus.Healthy, gaveUp.Entries["supervision-tree:billing"].Status);
        Assert.False(host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.IsCancellationRequested);
        Assert.Equal(_exitCodeBefore, Environment.ExitCode);

        await host.StopAsync(ct).WaitAsync(Bound, ct);
        Assert.Equal([true], connections.Select(c => c.Disposed));
    }

    [Fact]
    public void Bad_options_from_configuration_fail_the_tree_naming_the_tree_and_each_option()
    {
        // Checks: options are validated when the host builds the tree: every bad value is named, with the tree.
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["orders:DegradedRestartRatio"] = "2",
            ["orders:KillGrace"] = "-00:00:05",
        }).Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration);
        services.AddSupervisionTree("orders", new SupervisorDefinition("orders", Forever("w"))).BindConfiguration("orders");
        using var provider = services.BuildServiceProvider();
        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<ISupervisionTreeProvider>().GetHost("orders"));
        Assert.Equal(
            [
                "supervision tree 'orders': KillGrace must be zero or more, or infinite (-00:00:00.001); got -00:00:05",
                "supervision tree 'orders': DegradedRestartRatio must be more than 0 and at most 1; got 2",
            ],
            error.Failures);
    }

    [Fact]
    public void Each_name_is_registered_once_and_unknown_names_list_the_registered_ones()
    {
        // Checks: a second tree under a name already taken is refused at registration; asking for a name that is not
        // registered says which are; each tree has its own hosted service, in registration order.
        var services = new ServiceCollection().AddLogging();
        services.AddSupervisionTree("orders", new SupervisorDefinition("orders", Forever("w")));
        services.AddSupervisionTree("billing", new SupervisorDefinition("billing", Forever("w")));
        var duplicate = Assert.Throws<InvalidOperationException>(() => services.AddSupervisionTree("orders", new SupervisorDefinition("other", Forever("w"))));
        Assert.Equal("a supervision tree named 'orders' is already registered; each tree needs its own name", duplicate.Message);
        using var provider = services.BuildServiceProvider();
        var missing = Assert.Throws<KeyNotFoundException>(() => provider.GetRequiredService<ISupervisionTreeProvider>().GetHost("payments"));
        Assert.Equal("no supervision tree named 'payments' is registered (registered: 'orders', 'billing')", missing.Message);
        Assert.Equal(["orders", "billing"], provider.GetServices<IHostedService>().Cast<SupervisionTreeHost>().Select(h => h.Name));
        Assert.Same(provider.GetRequiredKeyedService<SupervisionTreeHost>("billing"), provider.GetRequiredService<ISupervisionTreeProvider>().GetHost("billing"));
    }

    private sealed class Idle : ISupervisedChild
    {
        public Task RunAsync(ChildContext context) => Task.Delay(Timeout.Infinite, context.Stopping);
    }

    private sealed class Connection : IDisposable
    {
        public bool Disposed { get; private set; }

        public void Dispose() => Disposed = true;
    }
}
