namespace Twist.Coordinator.Host;

/// <summary>
/// Which store the host's coordinator keeps its log in: <c>Twist:Coordinator:Store</c> and
/// <c>Twist:Coordinator:PostgreSql:*</c>. Host-only keys, taken out of the section before the strict binding of
/// <see cref="Hosting.TwistCoordinatorOptions"/>.
/// </summary>
internal sealed class CoordinatorStoreOptions
{
    /// <summary>The store kind that keeps the log in a local SQLite file (one instance).</summary>
    public const string SqliteKind = "Sqlite";

    /// <summary>The store kind that keeps the log in PostgreSQL (several instances may share it).</summary>
    public const string PostgreSqlKind = "PostgreSql";

    /// <summary>The connection string name read when <c>Twist:Coordinator:PostgreSql:ConnectionString</c> is not set.</summary>
    public const string ConnectionStringName = "TwistCoordinator";

    /// <summary>Gets or sets the store: <see cref="SqliteKind"/> (the default) or <see cref="PostgreSqlKind"/>.</summary>
    public string Store { get; set; } = SqliteKind;

    /// <summary>Gets or sets the PostgreSQL settings, used when <see cref="Store"/> is <see cref="PostgreSqlKind"/>.</summary>
    public PostgreSqlStoreSettings PostgreSql { get; set; } = new();

    /// <summary>Gets whether the PostgreSQL store is chosen (the kind is matched ignoring case).</summary>
    public bool IsPostgreSql => string.Equals(Store, PostgreSqlKind, StringComparison.OrdinalIgnoreCase);

    /// <summary>The <c>Twist:Coordinator:PostgreSql</c> keys.</summary>
    internal sealed class PostgreSqlStoreSettings
    {
        /// <summary>Gets or sets the Npgsql connection string; <c>ConnectionStrings:TwistCoordinator</c> when not set.</summary>
        public string? ConnectionString { get; set; }

        /// <summary>Gets or sets the schema of the coordinator's tables; instances that share it form one cluster.</summary>
        public string Schema { get; set; } = "twist";
    }
}
