using System.Globalization;

namespace Gravity.Sync.Tests.Infrastructure;

/// <summary>
/// The users view most sync tests use, and its fold: what the view must hold after a sequence of events, computed
/// independently of Gravity.
/// </summary>
public static class UserModel
{
    public static string Rules(string database) => $$"""
        {"rules":[
          {"event":"userCreated","table":"users","method":"update","database":"{{database}}",
           "mapping":[{"source":"id","target":"id","primary":true,"type":"integer"},{"source":"name","target":"name"},{"source":"version","target":"version","type":"integer"}]},
          {"event":"userRenamed","table":"users","method":"update","database":"{{database}}",
           "mapping":[{"source":"id","target":"id","primary":true,"type":"integer"},{"source":"name","target":"name"},{"source":"version","target":"version","type":"integer"}]},
          {"event":"userDeleted","table":"users","method":"delete","database":"{{database}}","mapping":[{"source":"id","target":"id","primary":true,"type":"integer"}]}
        ]}
        """;

    public const string Select = "SELECT id, name, version FROM users";

    public static (string Name, string Json) Created(int id, string name, int version = 1) =>
        ("userCreated", $"{{\"id\":{id},\"name\":\"{name}\",\"version\":{version}}}");

    public static (string Name, string Json) Renamed(int id, string name, int version) =>
        ("userRenamed", $"{{\"id\":{id},\"name\":\"{name}\",\"version\":{version}}}");

    public static (string Name, string Json) Deleted(int id) => ("userDeleted", $"{{\"id\":{id}}}");

    /// <summary>Folds events (in log order) into the rows the view must hold, formatted like <see cref="Views"/>.</summary>
    public static List<string> Fold(IEnumerable<(string Name, string Json)> events)
    {
        var rows = new SortedDictionary<long, (string Name, long Version)>();
        foreach (var (name, json) in events)
        {
            using var document = System.Text.Json.JsonDocument.Parse(json);
            var root = document.RootElement;
            var id = root.GetProperty("id").GetInt64();
            if (name == "userDeleted")
            {
                rows.Remove(id);
            }
            else
            {
                rows[id] = (root.GetProperty("name").GetString()!, root.GetProperty("version").GetInt64());
            }
        }

        var result = rows.Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.Key}|{r.Value.Name}|{r.Value.Version}")).ToList();
        result.Sort(StringComparer.Ordinal);
        return result;
    }

    /// <summary>A random but reproducible history: creates, renames and deletes over a set of keys.</summary>
    public static List<(string Name, string Json)> History(int keys, int events, int seed)
    {
        var random = new Random(seed);
        var version = new int[keys];
        var result = new List<(string, string)>();
        for (var i = 0; i < events; i++)
        {
            var id = random.Next(keys);
            var roll = random.Next(10);
            version[id]++;
            result.Add(roll switch
            {
                0 => Deleted(id),
                1 or 2 => Created(id, $"user{id}-v{version[id]}", version[id]),
                _ => Renamed(id, $"user{id}-v{version[id]}", version[id]),
            });
        }

        return result;
    }
}
