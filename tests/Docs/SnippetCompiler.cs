using System.Collections.Immutable;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Supervision.Docs.Tests;

/// <summary>
/// Compiles a snippet as the single source file of a new project: C# latest, nullable enabled, the SDK's
/// default implicit usings (what <c>dotnet new</c> gives) and nothing of ours, against the framework and the
/// assemblies beside the tests (the libraries, xunit, hosting).
/// </summary>
internal static class SnippetCompiler
{
    /// <summary>The global usings of a new SDK project with ImplicitUsings enabled.</summary>
    private const string ImplicitUsings = """
        global using System;
        global using System.Collections.Generic;
        global using System.IO;
        global using System.Linq;
        global using System.Net.Http;
        global using System.Threading;
        global using System.Threading.Tasks;
        """;

    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(LoadReferences);

    /// <summary>The compiled assembly, or the compiler's errors and warnings.</summary>
    public sealed record Result(byte[]? Assembly, IReadOnlyList<string> Problems);

    public static Result Compile(FencedBlock block)
    {
        var options = new CSharpParseOptions(LanguageVersion.Latest);
        var source = CSharpSyntaxTree.ParseText(block.Text, options, path: block.File);
        var usings = CSharpSyntaxTree.ParseText(ImplicitUsings, options, path: "GlobalUsings.g.cs");
        var topLevel = source.GetRoot().DescendantNodes().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.GlobalStatementSyntax>().Any();
        var compilation = CSharpCompilation.Create(
            $"Snippet_{Path.GetFileNameWithoutExtension(block.File)}_{block.Line}",
            [usings, source],
            References.Value,
            new CSharpCompilationOptions(topLevel ? OutputKind.ConsoleApplication : OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        using var output = new MemoryStream();
        var emitted = compilation.Emit(output);
        var problems = emitted.Diagnostics
            .Where(d => d.Severity >= DiagnosticSeverity.Warning)
            // The fence is at block.Line, so the block's line n (0-based) is line block.Line + n + 1 of the document.
            .Select(d => $"{block.File}:{block.Line + d.Location.GetLineSpan().StartLinePosition.Line + 1}: {d.Id} {d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}")
            .ToList();
        return new Result(emitted.Success ? output.ToArray() : null, problems);
    }

    private static ImmutableArray<MetadataReference> LoadReferences()
    {
        // Framework assemblies first; then what the test output adds (the libraries and packages), one per name.
        var byName = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var framework = ((string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        foreach (var path in framework.Concat(Directory.GetFiles(AppContext.BaseDirectory, "*.dll")))
        {
            var name = Path.GetFileNameWithoutExtension(path);
            if (!byName.ContainsKey(name) && IsManaged(path))
            {
                byName[name] = path;
            }
        }
        return [.. byName.Values.Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))];
    }

    private static bool IsManaged(string path)
    {
        try
        {
            AssemblyName.GetAssemblyName(path);
            return true;
        }
        catch (BadImageFormatException)
        {
            return false;
        }
    }
}
