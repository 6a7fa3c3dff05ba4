using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Supervision.Runtime;
using Xunit;

namespace Supervision.Docs.Tests;

/// <summary>The README's table of log event ids is the runtime's: every message's id, name and level, no more, no less.</summary>
public sealed partial class LogEventTableTests
{
    [GeneratedRegex(@"^\| (?<id>\d+) \| `(?<name>[a-z_]+)` \| (?<level>[A-Za-z]+) \|", RegexOptions.Multiline)]
    private static partial Regex TableRow();

    [Fact]
    public void The_readme_lists_every_log_message_with_its_id_name_and_level()
    {
        // Checks: the rows of the README's event-id table equal the [LoggerMessage] declarations of the runtime
        // assembly (one row per id: child_terminated is declared twice, with and without an exception).
        var declared = typeof(SupervisionTree).Assembly.GetTypes()
            .SelectMany(type => type.GetMethods(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic))
            .Select(method => method.GetCustomAttribute<LoggerMessageAttribute>())
            .OfType<LoggerMessageAttribute>()
            .Select(attribute => $"{attribute.EventId} {attribute.EventName} {attribute.Level}")
            .Distinct()
            .Order(StringComparer.Ordinal)
            .ToList();
        var readme = File.ReadAllText(Path.Combine(Markdown.RepositoryRoot, "README.md"));
        var documented = TableRow().Matches(readme)
            .Select(row => $"{row.Groups["id"].Value} {row.Groups["name"].Value} {row.Groups["level"].Value}")
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.True(declared.Count >= 17, $"only {declared.Count} log messages found by reflection");
        Assert.Equal(declared, documented);
    }
}
