using System.Text.Json;

namespace Gravity.Sync.Rules.Json;

/// <summary>
/// Reads databases.json in the seed's format:
/// <c>{"databases":{"db1":{"type","host","port","secure","username","password","dbName"}}}</c>, plus an optional
/// <c>connectionString</c> and <c>snapshotFrom</c>.
/// </summary>
internal static class DatabasesFileReader
{
    private const string Fields = "type, host, port, secure, username, password, dbName, connectionString, snapshotFrom";

    public static List<DatabaseDefinition> Read(string file, ReadOnlySpan<byte> utf8Json, List<string> errors)
    {
        var result = new List<DatabaseDefinition>();
        using var document = JsonFileReader.Parse(file, utf8Json, errors);
        if (document is null)
        {
            return result;
        }

        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("databases", out var databases) || databases.ValueKind != JsonValueKind.Object)
        {
            errors.Add($"{file}: expected an object with a \"databases\" object, like {{\"databases\":{{\"db1\":{{\"type\":\"postgres\",...}}}}}}.");
            return result;
        }

        foreach (var entry in databases.EnumerateObject())
        {
            var where = $"{file}: databases.{entry.Name}";
            if (entry.Value.ValueKind != JsonValueKind.Object)
            {
                errors.Add($"{where}: must be an object, but it is {JsonFileReader.Kind(entry.Value)}.");
                continue;
            }

            string? type = null, host = null, username = null, password = null, dbName = null, connectionString = null, snapshotFrom = null;
            int? port = null;
            var secure = false;
            foreach (var property in entry.Value.EnumerateObject())
            {
                var value = property.Value;
                switch (property.Name)
                {
                    case "type": type = JsonFileReader.String(value, where, "type", errors)?.ToLowerInvariant(); break;
                    case "host": host = JsonFileReader.String(value, where, "host", errors); break;
                    case "port": port = JsonFileReader.Integer(value, where, "port", errors); break;
                    case "secure": secure = JsonFileReader.Boolean(value, where, "secure", errors); break;
                    case "username": username = JsonFileReader.String(value, where, "username", errors); break;
                    case "password": password = JsonFileReader.String(value, where, "password", errors); break;
                    case "dbName": dbName = JsonFileReader.String(value, where, "dbName", errors); break;
                    case "connectionString": connectionString = JsonFileReader.String(value, where, "connectionString", errors); break;
                    case "snapshotFrom": snapshotFrom = JsonFileReader.String(value, where, "snapshotFrom", errors); break;
                    default: JsonFileReader.Unknown(where, property.Name, Fields, errors); break;
                }
            }

            if (type is null)
            {
                errors.Add($"{where}: field \"type\" is missing (postgres, mysql or sqlite).");
                continue;
            }

            result.Add(new DatabaseDefinition
            {
                Name = entry.Name,
                Type = type == "mariadb" ? DatabaseDefinition.MySql : type,
                Host = host,
                Port = port,
                Secure = secure,
                Username = username,
                Password = password,
                DbName = dbName,
                ConnectionString = connectionString,
                SnapshotFrom = snapshotFrom,
                File = file,
            });
        }

        return result;
    }
}
