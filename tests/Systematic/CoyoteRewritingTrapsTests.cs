using System.Collections.Immutable;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using Microsoft.Extensions.Logging;
using Supervision.Runtime;
using Supervision.Simulation.RuntimeReplay;
using Xunit;

namespace Supervision.Systematic.Tests;

/// <summary>
/// The assemblies Coyote rewrites call no API that Coyote 1.7.11 mishandles after rewriting: the .NET 8
/// <c>Task.ConfigureAwait(ConfigureAwaitOptions)</c> (rewritten code fails at run time; use
/// <c>SettledAwaitable</c> or <c>ConfigureAwait(bool)</c>) and the .NET 9 <c>params ReadOnlySpan&lt;Task&gt;</c>
/// overloads of <c>Task.WhenAll</c>/<c>WhenAny</c> (not controlled: pass an array). A new call to one of
/// them would make the Coyote tests fail in ways that are hard to trace back, so it fails here by name.
/// A third trap cannot be seen in metadata: a method that hands a <c>ValueTask</c> of an unrewritten
/// library straight through (<c>=&gt; channel.Reader.ReadAsync()</c>) becomes invalid IL; the broken pieces
/// are run once here, rewritten, to show that none of them faults the supervisor that uses it.
/// </summary>
public sealed class CoyoteRewritingTrapsTests
{
    public static TheoryData<string> RewrittenAssemblies() =>
        ["Supervision.Engine.dll", "Supervision.Runtime.dll", "Supervision.Simulation.dll", "Supervision.Systematic.Tests.dll"];

    [Theory]
    [MemberData(nameof(RewrittenAssemblies))]
    public void Coyote_rewritten_assemblies_avoid_the_apis_Coyote_mishandles(string assembly)
    {
        // Checks: no member reference in the assembly's metadata names one of the trap overloads.
        var traps = MemberReferencesOf(assembly, (reader, member) =>
            member.GetKind() == MemberReferenceKind.Method && IsTask(reader, member.Parent)
            && (Name: reader.GetString(member.Name), Parameters: member.DecodeMethodSignature(new TypeNames(), null).ParameterTypes) is var call
            && IsTrap(call.Name, call.Parameters)
                ? $"Task.{call.Name}({string.Join(", ", call.Parameters)})"
                : null);
        Assert.True(traps.Count == 0, $"{assembly} calls what Coyote 1.7.11 mishandles: {string.Join("; ", traps)}");
    }

    [Theory]
    [MemberData(nameof(RewrittenAssemblies))]
    public void Coyote_rewritten_assemblies_read_no_constant_span_of_wide_elements(string assembly)
    {
        // Checks: no reference to RuntimeHelpers.CreateSpan, which a constant span of ints (a collection expression
        // like Weighted([40, 20, 20, 20])) compiles to. It reads the assembly's data with an alignment check, and the
        // rewritten assembly does not keep that data aligned: seeds of the generated Coyote tests failed with "The
        // field is invalid for initializing array or span" once other data shifted it. Use a static array instead.
        var spans = MemberReferencesOf(assembly, (reader, member) =>
            reader.GetString(member.Name) == "CreateSpan" && member.Parent.Kind == HandleKind.TypeReference
            && reader.GetTypeReference((TypeReferenceHandle)member.Parent) is var type
            && reader.GetString(type.Namespace) == "System.Runtime.CompilerServices" && reader.GetString(type.Name) == "RuntimeHelpers"
                ? "RuntimeHelpers.CreateSpan"
                : null).Count;
        Assert.True(spans == 0, $"{assembly} reads a constant span with RuntimeHelpers.CreateSpan, which fails after Coyote's rewriting");
    }

    [Fact]
    public void The_trap_check_recognises_the_trap_overloads()
    {
        // Checks: the predicate is not vacuous: it flags the overloads by their decoded signatures and passes the safe ones.
        Assert.True(IsTrap("ConfigureAwait", ["System.Threading.Tasks.ConfigureAwaitOptions"]));
        Assert.True(IsTrap("WhenAll", ["System.ReadOnlySpan`1<System.Threading.Tasks.Task>"]));
        Assert.True(IsTrap("WhenAny", ["System.ReadOnlySpan`1<System.Threading.Tasks.Task>"]));
        Assert.False(IsTrap("ConfigureAwait", ["System.Boolean"]));
        Assert.False(IsTrap("WhenAll", ["System.Threading.Tasks.Task[]"]));
    }

    public static TheoryData<string> BrokenPieceNames() => ["lossy-mailbox", "reordering-mailbox", "no-incarnation-check"];

    [Theory]
    [MemberData(nameof(BrokenPieceNames))]
    public void Coyote_rewritten_broken_pieces_run_without_faulting_their_supervisor(string bug)
    {
        // Checks: a run with the piece plugged in (rewritten, on the deterministic scheduler) logs no
        // supervisor fault, so the bugs Coyote and the explorer find are the pieces' own, not invalid IL.
        var faults = new FaultLog();
        var scenario = BugHunt.Load("Scenarios/otp13/26-dies-after-every-restart.json");
        RuntimeScenarioRunner.Run(scenario, new Runtime.Scheduling.DeterministicScheduler(), includeReports: false,
            options => BugHunt.Plug(bug)(options) with { LoggerFactory = faults });
        Assert.True(faults.Messages.Count == 0, string.Join("\n", faults.Messages));
    }

    private static bool IsTrap(string name, ImmutableArray<string> parameters) => name switch
    {
        "ConfigureAwait" => parameters.Any(p => p == "System.Threading.Tasks.ConfigureAwaitOptions"),
        "WhenAll" or "WhenAny" => parameters.Any(p => p.StartsWith("System.ReadOnlySpan`1", StringComparison.Ordinal)),
        _ => false,
    };

    /// <summary>What <paramref name="describe"/> says of each member reference of a rewritten assembly (null: nothing to say).</summary>
    private static List<string> MemberReferencesOf(string assembly, Func<MetadataReader, MemberReference, string?> describe)
    {
        using var stream = File.OpenRead(Path.Combine(AppContext.BaseDirectory, assembly));
        using var pe = new PEReader(stream);
        var reader = pe.GetMetadataReader();
        return [.. reader.MemberReferences.Select(handle => describe(reader, reader.GetMemberReference(handle))).OfType<string>()];
    }

    private static bool IsTask(MetadataReader reader, EntityHandle parent) => parent.Kind switch
    {
        HandleKind.TypeReference => reader.GetTypeReference((TypeReferenceHandle)parent) is var type
            && reader.GetString(type.Namespace) == "System.Threading.Tasks" && reader.GetString(type.Name) is "Task" or "Task`1",
        HandleKind.TypeSpecification => reader.GetTypeSpecification((TypeSpecificationHandle)parent).DecodeSignature(new TypeNames(), null) is var generic
            && generic.StartsWith("System.Threading.Tasks.Task`1", StringComparison.Ordinal),
        _ => false,
    };

    /// <summary>Collects the supervisor-fault log events (with their exceptions).</summary>
    private sealed class FaultLog : ILoggerFactory, ILogger
    {
        public List<string> Messages { get; } = [];

        public void AddProvider(ILoggerProvider provider)
        {
        }

        public ILogger CreateLogger(string categoryName) => this;

        public void Dispose()
        {
        }

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Critical;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (eventId.Id == RuntimeLog.SupervisorFaultedId.Id)
            {
                Messages.Add($"{formatter(state, exception)}: {exception}");
            }
        }
    }

    /// <summary>Decodes signature types to full names (generic instances as <c>Name`1&lt;Arg&gt;</c>).</summary>
    private sealed class TypeNames : ISignatureTypeProvider<string, object?>
    {
        public string GetPrimitiveType(PrimitiveTypeCode typeCode) => $"System.{typeCode}";

        public string GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) =>
            reader.GetTypeDefinition(handle) is var type ? $"{reader.GetString(type.Namespace)}.{reader.GetString(type.Name)}" : string.Empty;

        public string GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind) =>
            reader.GetTypeReference(handle) is var type ? $"{reader.GetString(type.Namespace)}.{reader.GetString(type.Name)}" : string.Empty;

        public string GetTypeFromSpecification(MetadataReader reader, object? genericContext, TypeSpecificationHandle handle, byte rawTypeKind) =>
            reader.GetTypeSpecification(handle).DecodeSignature(this, genericContext);

        public string GetGenericInstantiation(string genericType, ImmutableArray<string> typeArguments) => $"{genericType}<{string.Join(",", typeArguments)}>";

        public string GetSZArrayType(string elementType) => elementType + "[]";

        public string GetArrayType(string elementType, ArrayShape shape) => $"{elementType}[{new string(',', shape.Rank - 1)}]";

        public string GetByReferenceType(string elementType) => elementType + "&";

        public string GetPointerType(string elementType) => elementType + "*";

        public string GetPinnedType(string elementType) => elementType;

        public string GetModifiedType(string modifier, string unmodifiedType, bool isRequired) => unmodifiedType;

        public string GetGenericTypeParameter(object? genericContext, int index) => $"!{index}";

        public string GetGenericMethodParameter(object? genericContext, int index) => $"!!{index}";

        public string GetFunctionPointerType(MethodSignature<string> signature) => "fnptr";
    }
}
