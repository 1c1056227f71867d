namespace Gravity.Sync.Rules;

/// <summary>A view database (an entry of databases.json).</summary>
public sealed class DatabaseDefinition
{
    /// <summary>The type name of PostgreSQL databases.</summary>
    public const string Postgres = "postgres";

    /// <summary>The type name of MySQL and MariaDB databases.</summary>
    public const string MySql = "mysql";

    /// <summary>The type name of SQLite databases (the embedded default).</summary>
    public const string Sqlite = "sqlite";

    /// <summary>Gets the name rules refer to.</summary>
    public required string Name { get; init; }

    /// <summary>Gets the type: <c>postgres</c>, <c>mysql</c> or <c>sqlite</c>.</summary>
    public required string Type { get; init; }

    /// <summary>Gets the host name.</summary>
    public string? Host { get; init; }

    /// <summary>Gets the port, or <see langword="null"/> for the type's default.</summary>
    public int? Port { get; init; }

    /// <summary>Gets a value indicating whether the connection must use TLS.</summary>
    public bool Secure { get; init; }

    /// <summary>Gets the user name.</summary>
    public string? Username { get; init; }

    /// <summary>Gets the password (configuration can supply it instead of the file).</summary>
    public string? Password { get; init; }

    /// <summary>Gets the database name; for SQLite, the file path (relative paths resolve against the data directory).</summary>
    public string? DbName { get; init; }

    /// <summary>Gets a full ADO.NET connection string that replaces the fields above.</summary>
    public string? ConnectionString { get; init; }

    /// <summary>
    /// Gets the database (or registered snapshot source) this database is filled from while it has never been
    /// synchronized, instead of replaying the source from its beginning (databases.json <c>snapshotFrom</c>).
    /// <c>Gravity:Sync:Databases:&lt;name&gt;:SnapshotFrom</c> in configuration replaces it.
    /// </summary>
    public string? SnapshotFrom { get; init; }

    /// <summary>Gets the file the database was declared in.</summary>
    public string? File { get; init; }
}
