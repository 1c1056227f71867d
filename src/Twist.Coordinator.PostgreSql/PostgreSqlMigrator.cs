using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;

namespace Twist.Coordinator.PostgreSql;

/// <summary>Creates or upgrades the store's schema. Safe when several coordinators start against one database at once.</summary>
/// <remarks>
/// The version lives in <c>schema_version</c> inside the store's schema, so it commits or rolls back with the
/// migration. An up-to-date schema is recognised with one read and no DDL, so the runtime role needs no CREATE
/// privilege once a first start (or a DBA) has created it.
/// </remarks>
internal static class PostgreSqlMigrator
{
    // First key of the two-key advisory lock ('TWST'); the second is the schema name's hash, so coordinators using
    // different schemas of one database do not wait for each other.
    private const int LockClass = 0x54575354;

    private static readonly TimeSpan SlowMigration = TimeSpan.FromSeconds(5);

    /// <summary>Brings the schema to <see cref="PostgreSqlSchema.CurrentVersion"/> and logs that the store is ready.</summary>
    /// <exception cref="InvalidOperationException">The schema was written by a newer coordinator.</exception>
    public static async Task MigrateAsync(
        NpgsqlDataSource dataSource, PostgreSqlStatements sql, string schema, PostgreSqlEndpoint endpoint, ILogger logger, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var found = await ReadVersionAsync(connection, null, sql, cancellationToken).ConfigureAwait(false);
        EnsureSupported(found, schema, endpoint);
        if (found == PostgreSqlSchema.CurrentVersion)
        {
            logger.StoreReady(endpoint.ToString(), schema, found);
            return;
        }

        var started = Stopwatch.GetTimestamp();
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

        // Held until COMMIT: a second coordinator starting now waits here, then finds the schema current.
        await using (var command = new NpgsqlCommand("SELECT pg_advisory_xact_lock($1, hashtext($2))", connection, transaction))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = LockClass, NpgsqlDbType = NpgsqlDbType.Integer });
            command.Parameters.Add(new NpgsqlParameter { Value = schema, NpgsqlDbType = NpgsqlDbType.Text });
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await ExecuteAsync(
            connection,
            transaction,
            $"""
            CREATE SCHEMA IF NOT EXISTS {sql.Schema};
            CREATE TABLE IF NOT EXISTS {sql.Schema}.schema_version (
                id          integer     NOT NULL PRIMARY KEY CHECK (id = 1),
                version     integer     NOT NULL,
                upgraded_at timestamptz NOT NULL
            );
            """,
            cancellationToken).ConfigureAwait(false);
        var from = await ReadVersionAsync(connection, transaction, sql, cancellationToken).ConfigureAwait(false);
        EnsureSupported(from, schema, endpoint);
        for (var v = from; v < PostgreSqlSchema.CurrentVersion; v++)
        {
            await ExecuteAsync(connection, transaction, PostgreSqlSchema.Migration(v, sql.Schema), cancellationToken).ConfigureAwait(false);
        }

        if (from != PostgreSqlSchema.CurrentVersion)
        {
            // The version is a compile-time count, not input.
            await ExecuteAsync(
                connection,
                transaction,
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"INSERT INTO {sql.Schema}.schema_version (id, version, upgraded_at) VALUES (1, {PostgreSqlSchema.CurrentVersion}, now()) ON CONFLICT (id) DO UPDATE SET version = excluded.version, upgraded_at = excluded.upgraded_at"),
                cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        var elapsed = Stopwatch.GetElapsedTime(started);
        if (elapsed > SlowMigration)
        {
            logger.SlowMigration(endpoint.ToString(), schema, elapsed);
        }

        if (from != PostgreSqlSchema.CurrentVersion)
        {
            logger.SchemaUpgraded(endpoint.ToString(), schema, from, PostgreSqlSchema.CurrentVersion);
        }

        logger.StoreReady(endpoint.ToString(), schema, PostgreSqlSchema.CurrentVersion);
    }

    /// <summary>Reads the schema version; 0 when the schema or its version table does not exist yet.</summary>
    private static async Task<int> ReadVersionAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, PostgreSqlStatements sql, CancellationToken cancellationToken)
    {
        // Outside a transaction a missing table is just an answer; inside one the table was created just before.
        await using var command = new NpgsqlCommand($"SELECT version FROM {sql.Schema}.schema_version WHERE id = 1", connection, transaction);
        try
        {
            return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is int version ? version : 0;
        }
        catch (PostgresException ex) when (transaction is null && ex.SqlState is PostgresErrorCodes.UndefinedTable or PostgresErrorCodes.InvalidSchemaName)
        {
            return 0;
        }
    }

    private static void EnsureSupported(int version, string schema, PostgreSqlEndpoint endpoint)
    {
        if (version > PostgreSqlSchema.CurrentVersion)
        {
            throw new InvalidOperationException(string.Create(
                CultureInfo.InvariantCulture,
                $"The PostgreSQL transaction store schema '{schema}' on {endpoint} has schema version {version}, but this coordinator supports up to {PostgreSqlSchema.CurrentVersion}. Upgrade the coordinator or configure another schema with UsePostgreSql(..., o => o.Schema = ...)."));
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellationToken)
    {
#pragma warning disable CA2100 // Built from constants and the validated, quoted schema name; no input.
        await using var command = new NpgsqlCommand(sql, connection, transaction);
#pragma warning restore CA2100
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
