using System.Globalization;
using System.Text;

namespace Supervision.Simulation.Checking;

/// <summary>
/// Where failing scenarios are written, and under which names. The folder is the caller's (an option, or
/// <c>SUPERVISE_FAILURES</c>), never a shared temp folder that another user or run could read or overwrite.
/// A file's name carries the root's id, the seed and a hash of its content, so two checks that fail on the
/// same seed (another tree, another invariant) never overwrite each other, and rerunning one rewrites the
/// same file with the same bytes.
/// </summary>
public static class FailureFiles
{
    /// <summary>The environment variable that names the folder for failing scenarios when no option does.</summary>
    public const string FolderVariable = "SUPERVISE_FAILURES";

    /// <summary>The folder's name under the default parent (the test's output folder, or the current folder for the tool).</summary>
    public const string DefaultFolderName = "supervise-failures";

    /// <summary>The folder in <c>SUPERVISE_FAILURES</c>, if set.</summary>
    public static string? FolderFromEnvironment() =>
        Environment.GetEnvironmentVariable(FolderVariable) is { Length: > 0 } folder ? folder : null;

    /// <summary>
    /// Writes <paramref name="json"/> into <paramref name="folder"/> as
    /// <c>&lt;root&gt;-seed-&lt;seed&gt;-&lt;hash&gt;[-&lt;suffix&gt;].json</c> and returns its full path, or null when the folder cannot
    /// be written (the failure is still reported, only without the file).
    /// </summary>
    public static string? Write(string folder, string rootId, ulong seed, string json, string? suffix = null)
    {
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentNullException.ThrowIfNull(json);
        var name = string.Create(CultureInfo.InvariantCulture,
            $"{SafeName(rootId)}-seed-{seed}-{Fnv1a(json):x8}{(suffix is null ? string.Empty : "-" + suffix)}.json");
        try
        {
            Directory.CreateDirectory(folder);
            var file = Path.GetFullPath(Path.Combine(folder, name));
            // Written aside and moved into place, so that a reader (or a parallel test writing the same bytes)
            // never sees half a file.
            var partial = $"{file}.{Guid.NewGuid():N}.partial";
            File.WriteAllText(partial, json);
            File.Move(partial, file, overwrite: true);
            return file;
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            return null;
        }
    }

    /// <summary>Quotes <paramref name="path"/> for a POSIX shell when it holds anything but safe characters.</summary>
    public static string ShellQuote(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return path.Length > 0 && path.All(c => char.IsAsciiLetterOrDigit(c) || c is '/' or '.' or '-' or '_' or ':' or '#' or '+' or '=' or ',')
            ? path
            : "'" + path.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
    }

    private static string SafeName(string rootId)
    {
        var invalid = Path.GetInvalidFileNameChars();
        var name = new StringBuilder(rootId.Length);
        foreach (var c in rootId)
        {
            name.Append(Array.IndexOf(invalid, c) >= 0 || char.IsWhiteSpace(c) ? '_' : c);
        }
        // Long ids are cut: the name must stay well under a file system's 255 bytes.
        return name.Length == 0 ? "tree" : name.ToString(0, Math.Min(name.Length, 64));
    }

    private static uint Fnv1a(string text)
    {
        var hash = 2166136261u;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 16777619u;
        }
        return hash;
    }
}
