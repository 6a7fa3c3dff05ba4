using System.Diagnostics;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace Supervision.Simulation.Checking;

/// <summary>
/// Finds the test method on the calling stack (xUnit, NUnit or MSTest, recognised by attribute name, so that
/// this library depends on none of them), for the <c>dotnet test --filter</c> part of a reproduce hint.
/// </summary>
internal static class TestNameFinder
{
    private static readonly string[] TestAttributes =
        ["FactAttribute", "TheoryAttribute", "TestAttribute", "TestCaseAttribute", "TestMethodAttribute", "DataTestMethodAttribute"];

    /// <summary><c>Class.Method</c> of the innermost test method on the stack, or null.</summary>
    public static string? CallingTest()
    {
        foreach (var frame in new StackTrace().GetFrames())
        {
            if (frame.GetMethod() is not { } method)
            {
                continue;
            }
            var candidate = AsyncOwner(method) ?? method;
            if (IsTest(candidate) && candidate.DeclaringType is { } type)
            {
                return $"{type.Name}.{candidate.Name}";
            }
        }
        return null;
    }

    private static bool IsTest(MethodBase method)
    {
        foreach (var attribute in method.GetCustomAttributes(inherit: true))
        {
            // Custom test attributes derive from the framework's: look up the whole chain.
            for (var type = attribute.GetType(); type is not null; type = type.BaseType)
            {
                if (TestAttributes.Contains(type.Name, StringComparer.Ordinal))
                {
                    return true;
                }
            }
        }
        return false;
    }

    /// <summary>For the MoveNext of an async method's state machine, the async method itself.</summary>
    private static MethodBase? AsyncOwner(MethodBase method)
    {
        if (method.Name != "MoveNext" || method.DeclaringType is not { DeclaringType: { } owner } machine)
        {
            return null;
        }
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        return owner.GetMethods(all).FirstOrDefault(m => m.GetCustomAttribute<AsyncStateMachineAttribute>()?.StateMachineType == machine);
    }
}
