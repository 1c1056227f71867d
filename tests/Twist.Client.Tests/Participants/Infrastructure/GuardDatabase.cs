using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Twist.Participants;

namespace Twist.Client.Tests.Participants.Infrastructure;

/// <summary>
/// The participant's own database for one test: a SQLite file, or a private schema in the PostgreSQL that
/// TWIST_TEST_POSTGRES points at (CI sets it; locally the PostgreSQL cases are skipped without it).
/// </summary>
internal abstract class GuardDatabase : IAsyncDisposable
{
    public const string Sqlite = "sqlite";
    public const string Postgres = "postgres";
    public const string PostgresVariable = "TWIST_TEST_POSTGRES";

    private const string BusinessTable =
        "CREATE TABLE IF NOT EXISTS wallet_holds (tid TEXT PRIMARY KEY, amount BIGINT NOT NULL, state TEXT NOT NULL)";

    public static async Task<GuardDatabase> CreateAsync(string kind)
    {
        GuardDatabase database = kind switch
        {
            Sqlite => new SqliteDatabase(),
            Postgres => await PostgresDatabase.CreateAsync(),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Use sqlite or postgres."),
        };
        await using var connection = await database.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = BusinessTable;
        await command.ExecuteNonQueryAsync();
        return database;
    }

    /// <summary>Points the participant runtime's guard at this database.</summary>
    public abstract void Configure(ITwistParticipantBuilder builder);

    /// <summary>A data source over this database, for tests that use <see cref="TccGuard"/> directly.</summary>
    public abstract DbDataSource DataSource { get; }

    public async Task<DbConnection> OpenAsync() => await DataSource.OpenConnectionAsync();

    public async Task<string?> ScalarAsync(string sql, string tid)
    {
        await using var connection = await OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        var parameter = command.CreateParameter();
        parameter.ParameterName = "@t";
        parameter.Value = tid;
        command.Parameters.Add(parameter);
        return (await command.ExecuteScalarAsync())?.ToString();
    }

    public Task<string?> GuardStateAsync(string participant, string tid) =>
        ScalarAsync($"SELECT state FROM twist_guard WHERE participant = '{participant}' AND tid = @t", tid);

    public Task<string?> HoldStateAsync(string tid) => ScalarAsync("SELECT state FROM wallet_holds WHERE tid = @t", tid);

    public async Task<long> CountGuardRowsAsync()
    {
        await using var connection = await OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM twist_guard";
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }

    public abstract ValueTask DisposeAsync();

    private sealed class SqliteDatabase : GuardDatabase
    {
        private readonly string path = Path.Combine(Path.GetTempPath(), $"twist-participant-{Guid.NewGuid():N}.db");
        private readonly DbDataSource dataSource;

        public SqliteDatabase()
        {
            ConnectionString = $"Data Source={path}";
            dataSource = SqliteFactory.Instance.CreateDataSource(ConnectionString);
        }

        public string ConnectionString { get; }

        public override DbDataSource DataSource => dataSource;

        public override void Configure(ITwistParticipantBuilder builder) => builder.UseSqliteGuard(ConnectionString);

        public override async ValueTask DisposeAsync()
        {
            await dataSource.DisposeAsync();
            SqliteConnection.ClearAllPools();
            foreach (var suffix in new[] { string.Empty, "-wal", "-shm" })
            {
                File.Delete(path + suffix);
            }
        }
    }

    private sealed class PostgresDatabase(NpgsqlDataSource admin, NpgsqlDataSource dataSource, string schema) : GuardDatabase
    {
        public override DbDataSource DataSource => dataSource;

        public static async Task<GuardDatabase> CreateAsync()
        {
            var connectionString = Environment.GetEnvironmentVariable(PostgresVariable);
            if (string.IsNullOrWhiteSpace(connectionString))
            {
                Assert.Skip($"PostgreSQL guard tests need {PostgresVariable} (e.g. Host=127.0.0.1;Port=55432;Username=postgres;Database=postgres); CI sets it.");
            }

            // A schema per test: the retention and expiry sweeps work table-wide, so tests must not share a table.
            var schema = "twist_test_" + Guid.NewGuid().ToString("N")[..16];
            var admin = NpgsqlDataSource.Create(connectionString);
            await using (var create = admin.CreateCommand($"CREATE SCHEMA {schema}"))
            {
                await create.ExecuteNonQueryAsync();
            }

            var builder = new NpgsqlConnectionStringBuilder(connectionString) { SearchPath = schema };
            return new PostgresDatabase(admin, NpgsqlDataSource.Create(builder.ConnectionString), schema);
        }

        public override void Configure(ITwistParticipantBuilder builder) => builder.UseGuard(dataSource);

        public override async ValueTask DisposeAsync()
        {
            await dataSource.DisposeAsync();
            await using (var drop = admin.CreateCommand($"DROP SCHEMA IF EXISTS {schema} CASCADE"))
            {
                await drop.ExecuteNonQueryAsync();
            }

            await admin.DisposeAsync();
        }
    }
}
