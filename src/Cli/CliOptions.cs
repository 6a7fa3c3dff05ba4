using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Supervision.Simulation.Checking;

namespace Supervision.Cli;

/// <summary>Options shared by several commands, each validated at parse time (a bad value is exit 2 naming the option).</summary>
internal static class CliOptions
{
    /// <summary>The prefix of the parse error for a token that looks like an option but is none.</summary>
    public const string UnknownOptionError = "unknown option";

    /// <summary>An int option that must be <paramref name="minimum"/> to <paramref name="maximum"/>.</summary>
    public static Option<int> AtLeast(string name, int minimum, int defaultValue, string description, int maximum = int.MaxValue) => new(name)
    {
        Description = description,
        DefaultValueFactory = _ => defaultValue,
        CustomParser = result => Bounded(result, name, minimum, maximum) ?? defaultValue,
    };

    /// <summary>An optional int option that, when given, must be at least <paramref name="minimum"/>.</summary>
    public static Option<int?> OptionalAtLeast(string name, int minimum, string description) => new(name)
    {
        Description = description,
        CustomParser = result => Bounded(result, name, minimum, int.MaxValue),
    };

    /// <summary>One of <paramref name="names"/>.</summary>
    public static Option<string> OneOf(string name, IReadOnlyList<string> names, string defaultValue, string description) => new(name)
    {
        Description = description,
        DefaultValueFactory = _ => defaultValue,
        CustomParser = result =>
        {
            var value = result.Tokens.Single().Value;
            if (!names.Contains(value))
            {
                result.AddError($"{name} must be {string.Join(", ", names.SkipLast(1))} or {names[^1]}, got '{TextExcerpt.Of(value)}'");
            }
            return value;
        },
    };

    private static int? Bounded(ArgumentResult result, string name, int minimum, int maximum)
    {
        var text = result.Tokens.Single().Value;
        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            result.AddError($"{name} takes a whole number, got '{TextExcerpt.Of(text)}'");
            return null;
        }
        if (value < minimum || value > maximum)
        {
            result.AddError(maximum == int.MaxValue
                ? string.Create(CultureInfo.InvariantCulture, $"{name} must be at least {minimum}, got {value}")
                : string.Create(CultureInfo.InvariantCulture, $"{name} must be {minimum} to {maximum}, got {value}"));
        }
        return value;
    }

    public static Option<ulong?> Seed(string description) => new("--seed") { Description = description };

    public static Option<CampaignShard> Shard() => new("--shard")
    {
        Description = "Run only shard K of N (K/N): run i of the seed range (seed S+i) belongs to shard (i mod N)+1. Combine the shards' --json summaries with 'supervise merge'.",
        DefaultValueFactory = _ => CampaignShard.Whole,
        HelpName = "K/N",
        CustomParser = result =>
        {
            try
            {
                return CampaignShard.Parse(result.Tokens.Single().Value);
            }
            catch (FormatException error)
            {
                result.AddError($"--shard: {error.Message}");
                return CampaignShard.Whole;
            }
        },
    };

    public static Option<string?> Json() => new("--json")
    {
        Description = "Also write a machine-readable summary (JSON) to FILE; '-' writes it to stdout instead of the human summary, which then goes to stderr.",
        HelpName = "FILE",
    };

    /// <summary>A file argument that refuses option-like tokens the command does not know (so they are blamed, not the file after them).</summary>
    public static Argument<string> File(string description, bool optional = false)
    {
        var argument = new Argument<string>("file") { Description = description, Arity = optional ? ArgumentArity.ZeroOrOne : ArgumentArity.ExactlyOne };
        argument.Validators.Add(RejectOptionLike);
        return argument;
    }

    private static void RejectOptionLike(ArgumentResult result)
    {
        foreach (var token in result.Tokens)
        {
            if (token.Value.StartsWith('-') && token.Value.Length > 1 && !System.IO.File.Exists(token.Value))
            {
                result.AddError($"{UnknownOptionError} '{TextExcerpt.Of(token.Value)}' (see --help)");
            }
        }
    }
}
