using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Text;
using System.Text.Unicode;

namespace Supervision.Simulation.Scenarios;

/// <summary>Decoding of string and number tokens that <see cref="JsonParser"/>'s first pass has already checked.</summary>
internal static class JsonStrings
{
    /// <summary>
    /// The value of a string token from its raw bytes (without the quotes). Unescaped by hand rather than by
    /// <c>Utf8JsonReader.GetString</c>, which throws on a lone surrogate such as <c>"\ud800"</c>: JSON allows
    /// one, so the reader keeps it, as the format always has.
    /// </summary>
    public static string Decode(ReadOnlySpan<byte> raw, bool escaped)
    {
        if (!escaped)
        {
            return Encoding.UTF8.GetString(raw);
        }
        var text = new StringBuilder(raw.Length);
        while (!raw.IsEmpty)
        {
            var backslash = raw.IndexOf((byte)'\\');
            var run = backslash < 0 ? raw : raw[..backslash];
            text.Append(Encoding.UTF8.GetString(run));
            if (backslash < 0)
            {
                break;
            }
            var kind = raw[backslash + 1];
            if (kind == (byte)'u')
            {
                text.Append((char)int.Parse(raw.Slice(backslash + 2, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture));
                raw = raw[(backslash + 6)..];
                continue;
            }
            text.Append(kind switch
            {
                (byte)'b' => '\b',
                (byte)'f' => '\f',
                (byte)'n' => '\n',
                (byte)'r' => '\r',
                (byte)'t' => '\t',
                _ => (char)kind, // '"', '\\' and '/' stand for themselves
            });
            raw = raw[(backslash + 2)..];
        }
        return text.ToString();
    }

    /// <summary>The names of the format's fields, by their length in bytes, so that reading them in every step allocates nothing.</summary>
    private static readonly (byte[] Utf8, string Name)[][] KnownNames = ByLength(
    [
        "at", "exit", "reason", "fail_start", "times", "ignore_start", "stop_delay", "ms", "call", "sup", "child", "spec", "args",
        "id", "type", "restart", "shutdown", "significant", "strategy", "intensity", "period", "auto_shutdown", "children",
        "name", "tree", "steps",
    ]);

    private static (byte[] Utf8, string Name)[][] ByLength(string[] names)
    {
        var table = new (byte[] Utf8, string Name)[names.Max(name => name.Length) + 1][];
        for (var length = 0; length < table.Length; length++)
        {
            table[length] = [.. names.Where(name => name.Length == length).Select(name => (Encoding.UTF8.GetBytes(name), name))];
        }
        return table;
    }

    /// <summary>The format's words (strategies, restart types, shutdowns, calls, ...), by their length in bytes, for <see cref="DecodeValue"/>.</summary>
    private static readonly (byte[] Utf8, string Name)[][] KnownValues = ByLength(
    [
        .. ScenarioTokens.Strategies.Keys, .. ScenarioTokens.RestartTypes.Keys, .. ScenarioTokens.AutoShutdowns.Keys,
        .. ScenarioTokens.ChildTypes.Keys, .. ScenarioTokens.Calls.Keys, "brutal_kill", "infinity",
    ]);

    /// <summary>A member name: <see cref="Decode"/>, sharing the strings of the format's own field names.</summary>
    public static string DecodeName(ReadOnlySpan<byte> raw, bool escaped) => Known(KnownNames, raw, escaped) ?? Decode(raw, escaped);

    /// <summary>A string value: <see cref="Decode"/>, sharing the strings of the format's own words.</summary>
    public static string DecodeValue(ReadOnlySpan<byte> raw, bool escaped) => Known(KnownValues, raw, escaped) ?? Decode(raw, escaped);

    private static string? Known((byte[] Utf8, string Name)[][] table, ReadOnlySpan<byte> raw, bool escaped)
    {
        if (!escaped && raw.Length < table.Length)
        {
            foreach (var (utf8, name) in table[raw.Length])
            {
                if (raw.SequenceEqual(utf8))
                {
                    return name;
                }
            }
        }
        return null;
    }

    /// <summary>
    /// Reads a number token: an integer when it has no fraction or exponent (false when it does not fit in
    /// 64 bits), otherwise a decimal (false when it is not finite, such as <c>1e999</c>).
    /// </summary>
    public static bool TryReadNumber(ReadOnlySpan<byte> raw, out long? integer, out double number)
    {
        number = 0;
        integer = null;
        if (raw.IndexOfAny((byte)'.', (byte)'e', (byte)'E') < 0)
        {
            // A checked integer token is an optional '-' and digits, which Utf8Parser reads as long.TryParse would.
            var fits = Utf8Parser.TryParse(raw, out long value, out var consumed) && consumed == raw.Length;
            integer = value;
            return fits;
        }
        return double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out number) && double.IsFinite(number);
    }

    /// <summary>The offset of the first byte that is not valid UTF-8, or -1.</summary>
    public static int FirstInvalidUtf8(ReadOnlySpan<byte> utf8)
    {
        Span<char> chars = stackalloc char[512];
        var offset = 0;
        while (offset < utf8.Length)
        {
            var status = Utf8.ToUtf16(utf8[offset..], chars, out var read, out _, replaceInvalidSequences: false);
            offset += read;
            if (status == OperationStatus.InvalidData || status == OperationStatus.NeedMoreData)
            {
                return offset;
            }
        }
        return -1;
    }
}
