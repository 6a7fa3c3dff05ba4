namespace Supervision.Runtime.Hosting;

/// <summary>
/// The hosted trees by name (registered with <c>services.AddSupervisionTree(name, ...)</c>; the tree registered
/// without a name has the name <c>""</c>). Each host is also a keyed service:
/// <c>[FromKeyedServices("orders")] SupervisionTreeHost orders</c>.
/// </summary>
public interface ISupervisionTreeProvider
{
    /// <summary>The registered trees' names, in registration order (the order the host starts them).</summary>
    IReadOnlyList<string> Names { get; }

    /// <summary>The host of the tree named <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">No tree has this name; the message lists the names there are.</exception>
    SupervisionTreeHost GetHost(string name);

    /// <summary>The running tree named <paramref name="name"/> (<see cref="SupervisionTreeHost.Tree"/>).</summary>
    /// <exception cref="KeyNotFoundException">No tree has this name.</exception>
    /// <exception cref="InvalidOperationException">The host has not started it yet.</exception>
    SupervisionTree GetTree(string name);
}
