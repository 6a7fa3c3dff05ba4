using System.Reflection;
using System.Runtime.Loader;
using Xunit;

namespace Supervision.Docs.Tests;

/// <summary>
/// Every C# block of the README and the docs compiles as written in a new project (its usings in the block), and
/// the tests among them pass: the documentation cannot rot without a red build.
/// </summary>
public sealed class CSharpSnippetTests
{
    public static TheoryData<string> Snippets() => [.. CSharpBlocks().Select(block => block.Key)];

    [Theory]
    [MemberData(nameof(Snippets))]
    public async Task The_snippet_compiles_as_written_and_its_tests_pass(string key)
    {
        // Checks: no compiler error or warning for the block alone (plus the SDK's implicit usings); then every [Fact]
        // method it declares is run and must pass.
        var block = CSharpBlocks().Single(candidate => candidate.Key == key);
        var compiled = SnippetCompiler.Compile(block);
        Assert.True(compiled.Problems.Count == 0, $"{key} does not compile cleanly:\n{string.Join('\n', compiled.Problems)}\n--- snippet ---\n{block.Text}");
        foreach (var test in TestMethods(Load(compiled.Assembly!, key)))
        {
            var instance = test.IsStatic ? null : Activator.CreateInstance(test.DeclaringType!);
            if (test.Invoke(instance, null) is Task running)
            {
                await running;
            }
        }
    }

    [Fact]
    public void The_documents_have_the_snippets_and_tests_these_checks_rely_on()
    {
        // Checks: the theory above is not vacuous: the README's engine, runtime, testing and CI blocks and the getting
        // started page's blocks are found, and among them the tests that are run.
        var blocks = CSharpBlocks();
        Assert.True(blocks.Count(block => block.File == "README.md") >= 4, string.Join(", ", blocks.Select(block => block.Key)));
        Assert.True(blocks.Count(block => block.File == "docs/GETTING-STARTED.md") >= 5, string.Join(", ", blocks.Select(block => block.Key)));
        var tests = blocks.Sum(block => TestMethods(Load(SnippetCompiler.Compile(block).Assembly ?? [], block.Key + "#count")).Count());
        Assert.True(tests >= 5, $"{tests} test methods found in the snippets");
    }

    private static List<FencedBlock> CSharpBlocks() => [.. Markdown.Blocks().Where(block => block.Info is "csharp" or "cs" or "c#")];

    private static IEnumerable<MethodInfo> TestMethods(Assembly? assembly) => assembly is null
        ? []
        : assembly.GetTypes().SelectMany(type => type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Where(method => method.GetCustomAttributes<FactAttribute>().Any());

    private static Assembly? Load(byte[] image, string key)
    {
        if (image.Length == 0)
        {
            return null;
        }
        // One collectible context per snippet, resolving the libraries and xunit from the default context (shared
        // types: Xunit.FactAttribute must be the one this test knows).
        var context = new AssemblyLoadContext(key, isCollectible: true);
        using var stream = new MemoryStream(image);
        return context.LoadFromStream(stream);
    }
}
