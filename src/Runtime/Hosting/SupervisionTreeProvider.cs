using Microsoft.Extensions.DependencyInjection;

namespace Supervision.Runtime.Hosting;

/// <summary>The names registered in one service collection (kept in it as a singleton instance).</summary>
internal sealed class SupervisionTreeRegistry
{
    private readonly List<string> _names = [];

    public IReadOnlyList<string> Names => _names;

    public bool TryAdd(string name)
    {
        if (_names.Contains(name, StringComparer.Ordinal))
        {
            return false;
        }
        _names.Add(name);
        return true;
    }
}

/// <summary>Resolves hosts by name from the keyed registrations.</summary>
internal sealed class SupervisionTreeProvider(IServiceProvider services, SupervisionTreeRegistry registry) : ISupervisionTreeProvider
{
    public IReadOnlyList<string> Names => registry.Names;

    public SupervisionTreeHost GetHost(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!registry.Names.Contains(name, StringComparer.Ordinal))
        {
            var known = registry.Names.Count == 0 ? "none" : string.Join(", ", registry.Names.Select(n => $"'{n}'"));
            throw new KeyNotFoundException($"no supervision tree named '{name}' is registered (registered: {known})");
        }
        return services.GetRequiredKeyedService<SupervisionTreeHost>(name);
    }

    public SupervisionTree GetTree(string name) => GetHost(name).Tree;
}
