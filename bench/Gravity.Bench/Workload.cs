using System.Buffers;
using System.Text.Json;
using Gravity.Sync.EventLog;
using Gravity.Sync.Events;

namespace Gravity.Bench;

/// <summary>One row of the seed's UserProfile view, as the user-profile sample's rule maps a UserAdded event.</summary>
internal sealed record ProfileRow(string UserId, string Name, string Gender, string City, string BirthOfDay, string Address);

/// <summary>
/// A deterministic stream of the seed's UserAdded events (samples/Gravity.Samples.UserProfile). "new": every event
/// adds a new user (all inserts). "hot": the same number of events over one key in twenty, 80 % of them on the
/// hottest fifth of those keys, so most events update a row that exists (and often one already in the same batch).
/// </summary>
internal sealed class Workload
{
    private Workload(string distribution, ProfileRow[] rows)
    {
        Distribution = distribution;
        Rows = rows;
    }

    public string Distribution { get; }

    /// <summary>Gets the row each event writes, in log order: event i has position i + 1.</summary>
    public ProfileRow[] Rows { get; }

    public int DistinctKeys => Rows.Select(r => r.UserId).Distinct(StringComparer.Ordinal).Count();

    public static string Describe(string distribution) => distribution switch
    {
        "new" => "mostly new keys: every event adds a user (insert-heavy)",
        "hot" => "hot keys: events over 1/20 as many users, 80 % of them on the hottest fifth (update-heavy)",
        _ => throw new ArgumentException($"Unknown distribution \"{distribution}\"; use new or hot."),
    };

    public static Workload Create(string distribution, int events)
    {
        var random = new Random(20261124);
        var keys = distribution == "hot" ? Math.Max(1, events / 20) : events;
        var hot = Math.Max(1, keys / 5);
        string[] cities = ["Taipei", "Kaohsiung", "Taichung", "Tainan", "Hsinchu", "Keelung"];
        var rows = new ProfileRow[events];
        for (var i = 0; i < events; i++)
        {
            var key = distribution == "hot"
                ? (random.NextDouble() < 0.8 ? random.Next(hot) : hot + random.Next(Math.Max(1, keys - hot)))
                : i;
            rows[i] = new ProfileRow(
                $"user-{key:D8}",
                $"Name {key} v{i}",
                (key & 1) == 0 ? "female" : "male",
                cities[random.Next(cities.Length)],
                $"19{50 + (key % 50):D2}-{1 + (key % 12):D2}-{1 + (key % 28):D2}",
                $"{random.Next(1, 999)} Example Road, Section {random.Next(1, 9)}");
        }

        return new Workload(distribution, rows);
    }

    /// <summary>The final content of the view: the last row of each key, with the position of the event that wrote it.</summary>
    public Dictionary<string, (ProfileRow Row, long Position)> FinalRows()
    {
        var result = new Dictionary<string, (ProfileRow, long)>(StringComparer.Ordinal);
        for (var i = 0; i < Rows.Length; i++)
        {
            result[Rows[i].UserId] = (Rows[i], i + 1);
        }

        return result;
    }

    /// <summary>Appends every event to a new embedded event log file, as a user service's outbox relay would have.</summary>
    public async Task SeedAsync(string path)
    {
        using var log = new SqliteEventLog(path);
        var buffer = new ArrayBufferWriter<byte>(512);
        for (var offset = 0; offset < Rows.Length; offset += 10_000)
        {
            var chunk = new List<GravityEventData>(10_000);
            for (var i = offset; i < Math.Min(Rows.Length, offset + 10_000); i++)
            {
                chunk.Add(new GravityEventData { Name = "UserAdded", Key = Rows[i].UserId, Payload = Serialize(Rows[i], i, buffer), TraceParent = null, TraceState = null });
            }

            var positions = await log.AppendAsync(chunk);
            if (positions[0] != offset + 1)
            {
                throw new InvalidOperationException($"{path} is not a fresh log: event {offset} got position {positions[0]}.");
            }
        }
    }

    /// <summary>The whole UserAdded event, including the finance fields the profile rule does not map.</summary>
    private static byte[] Serialize(ProfileRow row, int i, ArrayBufferWriter<byte> buffer)
    {
        buffer.ResetWrittenCount();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("userId", row.UserId);
            json.WriteString("name", row.Name);
            json.WriteString("gender", row.Gender);
            json.WriteString("city", row.City);
            json.WriteString("nationalUniqueId", $"A{100000000 + i}");
            json.WriteString("accountNumber", $"{i:D12}");
            json.WriteString("bankName", "Example Bank");
            json.WriteString("accountType", "savings");
            json.WriteString("employer", "Example Corp");
            json.WriteNumber("income", 50000 + (i % 1000));
            json.WriteNumber("expenditure", 20000 + (i % 700));
            json.WriteString("birthOfDay", row.BirthOfDay);
            json.WriteString("address", row.Address);
            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
