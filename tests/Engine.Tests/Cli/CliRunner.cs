namespace Supervision.Engine.Tests.Cli;

/// <summary>Runs <c>supervise</c> in-process with captured streams, in a temporary folder the test owns.</summary>
internal sealed class CliRunner : IDisposable
{
    public string Folder { get; } = Directory.CreateTempSubdirectory("supervise-cli-").FullName;

    public void Dispose() => Directory.Delete(Folder, recursive: true);

    public static (int Code, string Out, string Err) Run(params string[] args) => Run(Supervision.Cli.TerminalInfo.None, args);

    public static (int Code, string Out, string Err) Run(Supervision.Cli.TerminalInfo terminal, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = Supervision.Cli.Program.Run(args, stdout, stderr, terminal);
        return (code, stdout.ToString(), stderr.ToString());
    }

    public string Path(string name) => System.IO.Path.Combine(Folder, name);

    public string Write(string name, string text)
    {
        var path = Path(name);
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>A bundled example scenario (copied next to the tests).</summary>
    public static string Example(string name) => System.IO.Path.Combine(AppContext.BaseDirectory, "examples", name);
}
