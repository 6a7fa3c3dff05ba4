using System.Text;

namespace Supervision.Simulation.Scenarios;

/// <summary>Reads a scenario file's bytes, never more than <see cref="ScenarioLimits.MaxFileBytes"/> of them.</summary>
internal static class ScenarioFile
{
    /// <summary>
    /// The file as UTF-8, without its byte order mark. A file with a UTF-16 or UTF-32 byte order mark is
    /// converted, as text editors on Windows write those.
    /// </summary>
    /// <exception cref="ScenarioFormatException">The file is larger than the limit.</exception>
    public static ReadOnlyMemory<byte> ReadUtf8(string path, ScenarioLimits limits)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
        if (stream.CanSeek)
        {
            CheckSize(stream.Length, path, limits);
        }
        // Reads one byte past the limit at most: enough to know that a file of unknown length (a pipe) is too large.
        var buffer = new byte[stream.CanSeek ? stream.Length + 1 : 64 * 1024];
        var length = 0;
        while (true)
        {
            if (length == buffer.Length)
            {
                Array.Resize(ref buffer, (int)Math.Min(buffer.Length * 2L, limits.MaxFileBytes + 1));
            }
            var read = stream.Read(buffer, length, buffer.Length - length);
            if (read == 0)
            {
                break;
            }
            length += read;
            CheckSize(length, path, limits);
        }
        return Transcode(buffer.AsMemory(0, length));
    }

    /// <exception cref="ScenarioFormatException">More than <see cref="ScenarioLimits.MaxFileBytes"/>.</exception>
    public static void CheckSize(long bytes, string file, ScenarioLimits limits)
    {
        if (bytes > limits.MaxFileBytes)
        {
            throw new ScenarioFormatException(file, 1, 1,
                ScenarioLimits.Exceeded("bytes in the file", limits.MaxFileBytes, "--max-file-bytes", nameof(ScenarioLimits.MaxFileBytes)));
        }
    }

    private static ReadOnlyMemory<byte> Transcode(ReadOnlyMemory<byte> bytes)
    {
        var span = bytes.Span;
        if (span.StartsWith(JsonParser.ByteOrderMark))
        {
            // Dropped here, as File.ReadAllText did: the parser then ignores one more, as it always has.
            return bytes[JsonParser.ByteOrderMark.Length..];
        }
        Encoding? wide = span switch
        {
            [0xFF, 0xFE, 0x00, 0x00, ..] => new UTF32Encoding(bigEndian: false, byteOrderMark: true),
            [0x00, 0x00, 0xFE, 0xFF, ..] => new UTF32Encoding(bigEndian: true, byteOrderMark: true),
            [0xFF, 0xFE, ..] => Encoding.Unicode,
            [0xFE, 0xFF, ..] => Encoding.BigEndianUnicode,
            _ => null,
        };
        if (wide is null)
        {
            return bytes;
        }
        var preamble = wide.Preamble.Length;
        return Encoding.UTF8.GetBytes(wide.GetString(span[preamble..]));
    }
}
