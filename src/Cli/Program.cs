using System.CommandLine;

namespace Supervision.Cli;

/// <summary>The <c>supervise</c> command-line tool.</summary>
public static class Program
{
    /// <summary>Exit code for success.</summary>
    public const int Success = 0;

    /// <summary>Exit code when a check failed (for example an invariant in <c>simulate</c>).</summary>
    public const int CheckFailed = 1;

    /// <summary>Exit code for bad input: a malformed or invalid scenario file, or a bad command line.</summary>
    public const int BadInput = 2;

    /// <summary>Runs the tool.</summary>
    public static int Main(string[] args) => Run(args, Console.Out, Console.Error);

    /// <summary>Runs the tool with the given output streams (used by tests).</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var root = new RootCommand("supervise: Erlang/OTP supervision semantics, replayed and simulated deterministically.");
        root.Subcommands.Add(ReplayCommand.Create(stdout, stderr));
        root.Subcommands.Add(ExploreCommand.Create(stdout, stderr));
        root.Subcommands.Add(SimulateCommand.Create(stdout, stderr));
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                stderr.WriteLine($"supervise: {error.Message}");
            }
            return BadInput;
        }
        return parse.Invoke(new InvocationConfiguration { Output = stderr, Error = stderr });
    }
}
