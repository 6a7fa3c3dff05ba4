namespace Supervision.Engine;

/// <summary>
/// Addresses one incarnation of one child: the child's slot in its supervisor's table and the
/// incarnation (a number unique within the engine, new for every start attempt). An event that names
/// an incarnation that is no longer current is stale and is ignored.
/// </summary>
/// <param name="Slot">The child's slot in its supervisor's table.</param>
/// <param name="Incarnation">The start attempt this handle belongs to; unique within one engine.</param>
public readonly record struct ChildRef(int Slot, long Incarnation)
{
    /// <summary>A handle that names no child.</summary>
    public static ChildRef None => new(-1, 0);

    /// <summary>True when this handle names a child.</summary>
    public bool IsNone => Slot < 0;
}
