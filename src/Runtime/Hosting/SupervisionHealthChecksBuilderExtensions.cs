using Microsoft.Extensions.Diagnostics.HealthChecks;
using Supervision.Runtime.Hosting;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the health checks of hosted supervision trees (<see cref="SupervisionTreeHealthCheck"/>).</summary>
public static class SupervisionHealthChecksBuilderExtensions
{
    /// <summary>Adds the health check of the tree named <paramref name="treeName"/> (registered with <c>AddSupervisionTree</c>).</summary>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="treeName">The tree's name (<c>""</c> for the tree registered without one).</param>
    /// <param name="failureStatus">Reported when the tree is not running; default unhealthy.</param>
    /// <param name="tags">Tags of the check (for example <c>live</c> or <c>ready</c>, to filter endpoints).</param>
    /// <param name="timeout">How long the supervisors may take to answer; default none.</param>
    /// <returns>The builder.</returns>
    public static IHealthChecksBuilder AddSupervisionTree(this IHealthChecksBuilder builder, string treeName, HealthStatus? failureStatus = null, IEnumerable<string>? tags = null, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(treeName);
        return builder.Add(Registration(treeName, failureStatus, tags, timeout));
    }

    /// <summary>Adds one health check per tree registered in the collection (also those registered after this call), named as <see cref="SupervisionTreeHealthCheck.NameFor"/> says.</summary>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="tags">Tags of every check.</param>
    /// <returns>The builder.</returns>
    public static IHealthChecksBuilder AddSupervisionTrees(this IHealthChecksBuilder builder, IEnumerable<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var tagList = tags?.ToList();
        // The trees are read when the health check service is built, after every registration.
        builder.Services.AddOptions<HealthCheckServiceOptions>().Configure<IServiceProvider>((options, services) =>
        {
            foreach (var name in services.GetService<ISupervisionTreeProvider>()?.Names ?? [])
            {
                options.Registrations.Add(Registration(name, null, tagList, null));
            }
        });
        return builder;
    }

    private static HealthCheckRegistration Registration(string treeName, HealthStatus? failureStatus, IEnumerable<string>? tags, TimeSpan? timeout) =>
        new(SupervisionTreeHealthCheck.NameFor(treeName),
            provider => new SupervisionTreeHealthCheck(provider.GetRequiredService<ISupervisionTreeProvider>().GetHost(treeName)),
            failureStatus,
            tags,
            timeout);
}
