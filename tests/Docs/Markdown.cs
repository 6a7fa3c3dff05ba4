using System.Text.RegularExpressions;

namespace Supervision.Docs.Tests;

/// <summary>A fenced block of a markdown file: its info string (<c>csharp</c>, <c>json</c>, ...), text and where it starts.</summary>
/// <param name="File">The file, relative to the repository root.</param>
/// <param name="Line">The line of the opening fence (1-based).</param>
/// <param name="Info">The info string after the fence.</param>
/// <param name="Text">The block's lines, joined with '\n', ending with '\n'.</param>
internal sealed record FencedBlock(string File, int Line, string Info, string Text)
{
    /// <summary>How a test names it: <c>README.md:77</c>.</summary>
    public string Key => $"{File}:{Line}";
}

/// <summary>The repository's user-facing markdown: README.md, docs/*.md and the package READMEs.</summary>
internal static partial class Markdown
{
    private static readonly Lazy<string> Root = new(FindRoot);

    /// <summary>The repository root: the folder above the test's output that holds Supervision.sln.</summary>
    public static string RepositoryRoot => Root.Value;

    /// <summary>The documents, relative to the root, in a stable order.</summary>
    public static IReadOnlyList<string> Documents()
    {
        var files = new List<string> { "README.md" };
        files.AddRange(Directory.GetFiles(Path.Combine(RepositoryRoot, "docs"), "*.md").Select(Relative).Order(StringComparer.Ordinal));
        files.AddRange(Directory.GetDirectories(Path.Combine(RepositoryRoot, "src"))
            .Select(folder => Path.Combine(folder, "README.md")).Where(File.Exists).Select(Relative).Order(StringComparer.Ordinal));
        return files;
    }

    /// <summary>Every fenced block of every document.</summary>
    public static IReadOnlyList<FencedBlock> Blocks() => [.. Documents().SelectMany(BlocksOf)];

    /// <summary>The fenced blocks of one document, in order.</summary>
    public static IEnumerable<FencedBlock> BlocksOf(string file)
    {
        var lines = File.ReadAllLines(Path.Combine(RepositoryRoot, file));
        for (var i = 0; i < lines.Length; i++)
        {
            var open = Fence().Match(lines[i]);
            if (!open.Success)
            {
                continue;
            }
            var start = i;
            var body = new List<string>();
            for (i++; i < lines.Length && lines[i].Trim() != open.Groups["fence"].Value; i++)
            {
                body.Add(lines[i]);
            }
            yield return new FencedBlock(file, start + 1, open.Groups["info"].Value.Trim(), string.Concat(body.Select(line => line + "\n")));
        }
    }

    /// <summary>Relative link targets (<c>[text](target)</c>) of a document, without their #anchors.</summary>
    public static IEnumerable<string> RelativeLinks(string file)
    {
        var text = File.ReadAllText(Path.Combine(RepositoryRoot, file));
        foreach (Match link in Link().Matches(text))
        {
            var target = link.Groups["target"].Value;
            if (!target.Contains("://", StringComparison.Ordinal) && !target.StartsWith("mailto:", StringComparison.Ordinal))
            {
                yield return target;
            }
        }
    }

    private static string Relative(string path) => Path.GetRelativePath(RepositoryRoot, path).Replace('\\', '/');

    private static string FindRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Supervision.sln")))
            {
                return folder.FullName;
            }
        }
        throw new InvalidOperationException($"no Supervision.sln above {AppContext.BaseDirectory}: the docs tests run inside the repository");
    }

    [GeneratedRegex(@"^(?<fence>```+)(?<info>[^`]*)$")]
    private static partial Regex Fence();

    [GeneratedRegex(@"\]\((?<target>[^)#\s]+)(#[^)]*)?\)")]
    private static partial Regex Link();
}
