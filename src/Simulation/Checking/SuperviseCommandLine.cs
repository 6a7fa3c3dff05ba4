namespace Supervision.Simulation.Checking;

/// <summary>
/// Builds the <c>supervise ...</c> command lines printed with failures. They name the installed tool
/// (<c>dotnet tool install</c>), so they work outside this repository; paths are quoted for a POSIX shell
/// when they need it.
/// </summary>
public static class SuperviseCommandLine
{
    /// <summary>The tool's command name.</summary>
    public const string Tool = "supervise";

    /// <summary>The command <c>supervise</c> followed by <paramref name="arguments"/>, each quoted when needed.</summary>
    public static string Of(params IEnumerable<string> arguments) =>
        string.Join(' ', new[] { Tool }.Concat(arguments.Select(Quote)));

    /// <summary>
    /// The command that draws <paramref name="scenarioFile"/>'s run as an HTML page (<c>supervise timeline</c>),
    /// printed with failures so a shrunk one can be looked at: the engine's run, or with
    /// <paramref name="choicesFile"/> the runtime's under that saved schedule (the page is then named after it).
    /// </summary>
    /// <param name="scenarioFile">The scenario file.</param>
    /// <param name="choicesFile">A choices file saved by <c>explore</c>, or null for the engine's run.</param>
    /// <param name="race">The schedule was recorded with <c>--race</c>.</param>
    /// <param name="asyncStarts">The schedule was recorded with <c>--async-starts</c>.</param>
    public static string Timeline(string scenarioFile, string? choicesFile = null, bool race = false, bool asyncStarts = false)
    {
        ArgumentNullException.ThrowIfNull(scenarioFile);
        IEnumerable<string> replay = choicesFile is null ? [] : ["--replay", choicesFile, .. ModeFlags(race, asyncStarts)];
        return Of(["timeline", scenarioFile, .. replay, "--out", Path.ChangeExtension(choicesFile ?? scenarioFile, ".html")]);
    }

    /// <summary>The flags of an exploration mode, as the CLI spells them.</summary>
    public static IEnumerable<string> ModeFlags(bool race, bool asyncStarts)
    {
        if (race)
        {
            yield return "--race";
        }
        if (asyncStarts)
        {
            yield return "--async-starts";
        }
    }

    /// <summary><paramref name="argument"/> as one word for a POSIX shell.</summary>
    public static string Quote(string argument)
    {
        ArgumentNullException.ThrowIfNull(argument);
        if (argument.Length > 0 && argument.All(c => char.IsAsciiLetterOrDigit(c) || "-_./:=,+@%".Contains(c, StringComparison.Ordinal)))
        {
            return argument;
        }
        return "'" + argument.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
    }
}
