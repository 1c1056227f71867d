using Microsoft.Extensions.Logging;

namespace Twist.Coordinator.PostgreSql;

/// <summary>The PostgreSQL store's structured logs. Event ids 1200-1299 are stable: alerts may key on them.</summary>
/// <remarks>Only the host, port and database are logged, never the connection string: it may carry the password.</remarks>
internal static partial class PostgreSqlStoreLog
{
    [LoggerMessage(1200, LogLevel.Information, "PostgreSQL transaction store ready on {Endpoint}, schema {Schema} (version {Version})", EventName = "PostgreSqlStoreReady")]
    public static partial void StoreReady(this ILogger logger, string endpoint, string schema, int version);

    [LoggerMessage(1201, LogLevel.Information, "PostgreSQL transaction store on {Endpoint} upgraded schema {Schema} from version {FromVersion} to {ToVersion}", EventName = "PostgreSqlSchemaUpgraded")]
    public static partial void SchemaUpgraded(this ILogger logger, string endpoint, string schema, int fromVersion, int toVersion);

    [LoggerMessage(1202, LogLevel.Warning, "PostgreSQL transaction store on {Endpoint} took {Elapsed} to migrate schema {Schema}; another coordinator may have held the migration lock", EventName = "PostgreSqlSlowMigration")]
    public static partial void SlowMigration(this ILogger logger, string endpoint, string schema, TimeSpan elapsed);
}
