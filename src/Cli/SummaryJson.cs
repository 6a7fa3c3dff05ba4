using System.Text;
using System.Text.Json;

namespace Supervision.Cli;

/// <summary>A campaign summary file could not be read; the message names the file and the problem.</summary>
internal sealed class SummaryFormatException(string message) : Exception(message);

/// <summary>
/// The JSON form of a <see cref="CampaignSummary"/> (format <c>supervise-campaign/1</c>): what <c>--json</c>
/// writes and <c>supervise merge</c> reads. Field names are camelCase; seeds are JSON numbers (64-bit).
/// </summary>
internal static class SummaryJson
{
    public const string Format = "supervise-campaign/1";

    public static string Write(CampaignSummary summary)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("format", Format);
            json.WriteString("command", summary.Command);
            json.WriteNumber("seed", summary.Seed);
            json.WriteNumber("lastSeed", summary.LastSeed);
            json.WriteNumber("runs", summary.Runs);
            json.WriteNumber("shardCount", summary.ShardCount);
            json.WriteStartArray("shards");
            foreach (var shard in summary.Shards)
            {
                json.WriteNumberValue(shard);
            }
            json.WriteEndArray();
            WriteMap(json, "settings", summary.Settings, (w, v) => w.WriteStringValue(v));
            json.WriteNumber("scenarios", summary.Scenarios);
            json.WriteNumber("planned", summary.Planned);
            WriteMap(json, "counters", summary.Counters, (w, v) => w.WriteNumberValue(v));
            WriteMap(json, "coverage", summary.Coverage, (w, v) => w.WriteNumberValue(v));
            json.WriteStartArray("failures");
            foreach (var failure in summary.Failures)
            {
                json.WriteStartObject();
                json.WriteNumber("seed", failure.Seed);
                json.WriteString("check", failure.Check);
                json.WriteString("message", failure.Message);
                if (failure.Note is not null)
                {
                    json.WriteString("note", failure.Note);
                }
                WriteMap(json, "files", failure.Files, (w, v) => w.WriteStringValue(v));
                json.WriteStartArray("commands");
                foreach (var command in failure.Commands)
                {
                    json.WriteStringValue(command);
                }
                json.WriteEndArray();
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteNumber("elapsedSeconds", Math.Round(summary.ElapsedSeconds, 3));
            json.WriteNumber("busySeconds", Math.Round(summary.BusySeconds, 3));
            json.WriteNumber("rate", Math.Round(summary.Rate, 3));
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    /// <exception cref="SummaryFormatException">Not a summary this tool wrote.</exception>
    public static CampaignSummary Read(string text, string file)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("format", out var format) || format.ValueKind != JsonValueKind.String || format.GetString() != Format)
            {
                throw new SummaryFormatException($"{file}: not a campaign summary (expected \"format\": \"{Format}\"; write one with --json)");
            }
            return new CampaignSummary
            {
                Command = Text(Get(root, "command", file), "command", file),
                Seed = Get(root, "seed", file).GetUInt64(),
                Runs = Get(root, "runs", file).GetInt32(),
                ShardCount = Get(root, "shardCount", file).GetInt32(),
                Shards = [.. Get(root, "shards", file).EnumerateArray().Select(e => e.GetInt32())],
                Settings = ReadMap(Get(root, "settings", file), e => e.GetString()!),
                Scenarios = Get(root, "scenarios", file).GetInt32(),
                Planned = Get(root, "planned", file).GetInt32(),
                Counters = ReadMap(Get(root, "counters", file), e => e.GetInt64()),
                Coverage = ReadMap(Get(root, "coverage", file), e => e.GetInt64()),
                Failures = [.. Get(root, "failures", file).EnumerateArray().Select(f => new SummaryFailure(
                    Get(f, "seed", file).GetUInt64(), Text(Get(f, "check", file), "check", file), Text(Get(f, "message", file), "message", file),
                    ReadMap(Get(f, "files", file), e => e.GetString()!), [.. Get(f, "commands", file).EnumerateArray().Select(c => c.GetString()!)])
                {
                    Note = f.TryGetProperty("note", out var note) ? note.GetString() : null,
                })],
                ElapsedSeconds = Get(root, "elapsedSeconds", file).GetDouble(),
                BusySeconds = Get(root, "busySeconds", file).GetDouble(),
            };
        }
        catch (JsonException error)
        {
            throw new SummaryFormatException($"{file}:{error.LineNumber + 1}:{error.BytePositionInLine + 1}: not valid JSON");
        }
        catch (Exception error) when (error is InvalidOperationException or FormatException)
        {
            // A field of the wrong kind (GetInt32 on a string, a number out of range...).
            throw new SummaryFormatException($"{file}: a field has the wrong type or range ({error.Message})");
        }
    }

    private static JsonElement Get(JsonElement element, string name, string file) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value)
            ? value
            : throw new SummaryFormatException($"{file}: missing \"{name}\"");

    private static string Text(JsonElement element, string name, string file) =>
        element.ValueKind == JsonValueKind.String ? element.GetString()! : throw new SummaryFormatException($"{file}: \"{name}\" must be a string");

    private static SortedDictionary<string, T> ReadMap<T>(JsonElement element, Func<JsonElement, T> read)
    {
        var map = new SortedDictionary<string, T>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            map[property.Name] = read(property.Value);
        }
        return map;
    }

    private static void WriteMap<T>(Utf8JsonWriter json, string name, IReadOnlyDictionary<string, T> map, Action<Utf8JsonWriter, T> write)
    {
        json.WriteStartObject(name);
        foreach (var (key, value) in map.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            json.WritePropertyName(key);
            write(json, value);
        }
        json.WriteEndObject();
    }
}
