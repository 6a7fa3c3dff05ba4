using System.CommandLine;

namespace Supervision.Cli;

/// <summary>The <c>supervise</c> command-line tool.</summary>
public static class Program
{
    /// <summary>Exit code for success (help and version included).</summary>
    public const int Success = 0;

    /// <summary>Exit code when a check failed (for example an invariant in <c>simulate</c>).</summary>
    public const int CheckFailed = 1;

    /// <summary>Exit code for bad input: a malformed or invalid scenario file, or a bad command line.</summary>
    public const int BadInput = 2;

    /// <summary>Runs the tool on the process's console.</summary>
    public static int Main(string[] args) => Run(args, Console.Out, Console.Error, TerminalInfo.Detect());

    /// <summary>Runs the tool with the given output streams, which are not terminals (used by tests).</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr) => Run(args, stdout, stderr, TerminalInfo.None);

    /// <summary>Runs the tool with the given output streams, going where <paramref name="terminal"/> says.</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr, TerminalInfo terminal)
    {
        var console = new CliConsole(stdout, stderr, terminal);
        var root = new RootCommand("supervise: Erlang/OTP supervision semantics, replayed, simulated and explored deterministically.");
        root.Subcommands.Add(ReplayCommand.Create(console));
        root.Subcommands.Add(ExploreCommand.Create(console));
        root.Subcommands.Add(SimulateCommand.Create(console));
        root.Subcommands.Add(MergeCommand.Create(console));
        root.Subcommands.Add(TimelineCommand.Create(console));
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            // A token that looks like an option but is none is the cause; errors about the tokens after it are consequences.
            var unknown = parse.Errors.Where(e => e.Message.StartsWith(CliOptions.UnknownOptionError, StringComparison.Ordinal)).ToList();
            foreach (var error in unknown.Count > 0 ? unknown : parse.Errors)
            {
                console.Error(error.Message);
            }
            return BadInput;
        }
        return parse.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr });
    }
}
