using System.Globalization;
using Gravity.Sync.Messaging.Tests.Infrastructure;
using Gravity.Sync.Rules;
using Npgsql;

namespace Gravity.Sync.Messaging.Tests.ScaleOut;

/// <summary>
/// The PostgreSQL database several synchronizer instances write, instrumented to see who wrote what and when: each
/// instance connects with its own application name; an audit trigger records every applied user version, and a
/// trigger on Gravity's checkpoint table records every checkpoint a batch proposes (before the upsert's guard), so
/// two instances writing one partition at the same time show as a checkpoint going backwards.
/// </summary>
public sealed class ScaleOutDatabase : IAsyncDisposable
{
    private const string Schema = """
        CREATE TABLE users (id bigint PRIMARY KEY, name text, version bigint, _gravity_position bigint NOT NULL);
        CREATE TABLE audit (seq bigserial PRIMARY KEY, id bigint, version bigint, instance text);
        CREATE FUNCTION audit_users() RETURNS trigger AS $$ BEGIN
          INSERT INTO audit (id, version, instance) VALUES (NEW.id, NEW.version, current_setting('application_name')); RETURN NEW; END $$ LANGUAGE plpgsql;
        CREATE TRIGGER users_audit AFTER INSERT OR UPDATE ON users FOR EACH ROW EXECUTE FUNCTION audit_users();
        CREATE TABLE gravity_checkpoints (source text NOT NULL, partition_no integer NOT NULL, partitions integer NOT NULL, position bigint NOT NULL, updated_at bigint NOT NULL, PRIMARY KEY (source, partition_no));
        CREATE TABLE checkpoint_audit (seq bigserial PRIMARY KEY, source text, partition_no integer, position bigint, instance text, at timestamptz NOT NULL DEFAULT clock_timestamp());
        CREATE FUNCTION audit_checkpoints() RETURNS trigger AS $$ BEGIN
          INSERT INTO checkpoint_audit (source, partition_no, position, instance) VALUES (NEW.source, NEW.partition_no, NEW.position, current_setting('application_name')); RETURN NEW; END $$ LANGUAGE plpgsql;
        CREATE TRIGGER checkpoints_audit BEFORE INSERT ON gravity_checkpoints FOR EACH ROW EXECUTE FUNCTION audit_checkpoints();
        """;

    private readonly PostgresTestDatabase _database;

    private ScaleOutDatabase(PostgresTestDatabase database) => _database = database;

    public static async Task<ScaleOutDatabase> CreateAsync()
    {
        var database = await PostgresTestDatabase.CreateAsync("views");
        try
        {
            await using var connection = new NpgsqlConnection(database.Definition.ConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(Schema, connection);
            await command.ExecuteNonQueryAsync();
        }
        catch
        {
            await database.DisposeAsync();
            throw;
        }

        return new ScaleOutDatabase(database);
    }

    /// <summary>The connection string an instance uses: its name becomes the application name the triggers record.</summary>
    public string ConnectionStringFor(string instance) =>
        new NpgsqlConnectionStringBuilder(_database.Definition.ConnectionString) { ApplicationName = instance }.ToString();

    public DatabaseDefinition DefinitionFor(string instance) =>
        new() { Name = "views", Type = DatabaseDefinition.Postgres, ConnectionString = ConnectionStringFor(instance) };

    /// <summary>How many keys have reached <paramref name="version"/>.</summary>
    public async Task<long> KeysAtAsync(int version)
    {
        await using var connection = new NpgsqlConnection(_database.Definition.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM users WHERE version >= @v", connection);
        command.Parameters.AddWithValue("v", (long)version);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    public Task<List<string>> UsersAsync() => _database.ReadAsync("SELECT id, version FROM users");

    /// <summary>Each key's applied versions in the order they were applied.</summary>
    public Task<List<string>> AppliedVersionsAsync() =>
        _database.ReadAsync("SELECT id, string_agg(version::text, ',' ORDER BY seq) FROM audit GROUP BY id");

    /// <summary>Checkpoint proposals lower than the one before them for the same partition: a second writer overlapping the first.</summary>
    public Task<List<string>> OverlappingWritersAsync() => _database.ReadAsync("""
        SELECT source, partition_no, seq, instance, position, previous_instance, previous_position FROM (
          SELECT *, lag(instance) OVER w AS previous_instance, lag(position) OVER w AS previous_position
          FROM checkpoint_audit WINDOW w AS (PARTITION BY source, partition_no ORDER BY seq)) x
        WHERE position < previous_position
        """);

    /// <summary>Which instances wrote checkpoints, with how many partitions each wrote.</summary>
    public Task<List<string>> WritersAsync() =>
        _database.ReadAsync("SELECT instance, count(DISTINCT source) FROM checkpoint_audit GROUP BY instance");

    /// <summary>The partitions (sources) any instance wrote.</summary>
    public Task<List<string>> PartitionsWrittenAsync() => _database.ReadAsync("SELECT DISTINCT source FROM checkpoint_audit");

    /// <summary>How often a partition changed writer, summed over partitions.</summary>
    public async Task<long> OwnerChangesAsync()
    {
        var rows = await _database.ReadAsync("""
            SELECT count(*) FROM (
              SELECT instance, lag(instance) OVER (PARTITION BY source ORDER BY seq) AS previous FROM checkpoint_audit) x
            WHERE previous IS NOT NULL AND previous <> instance
            """);
        return long.Parse(rows.Single(), CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// For each partition <paramref name="victim"/> wrote last before <paramref name="killedAt"/>: how long after it
    /// another instance first wrote that partition (the take-over time), in seconds.
    /// </summary>
    public async Task<List<double>> TakeOverSecondsAsync(string victim, DateTimeOffset killedAt)
    {
        var rows = await _database.ReadAsync($"""
            WITH last_before AS (
              SELECT DISTINCT ON (source) source, instance FROM checkpoint_audit WHERE at < '{Timestamp(killedAt)}'::timestamptz ORDER BY source, seq DESC)
            SELECT l.source, extract(epoch FROM min(c.at) - '{Timestamp(killedAt)}'::timestamptz)
            FROM last_before l JOIN checkpoint_audit c ON c.source = l.source AND c.at >= '{Timestamp(killedAt)}'::timestamptz AND c.instance <> '{victim}'
            WHERE l.instance = '{victim}' GROUP BY l.source
            """);
        return [.. rows.Select(r => double.Parse(r.Split('|')[1], CultureInfo.InvariantCulture))];
    }

    private static string Timestamp(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture) + "+00";

    public async ValueTask DisposeAsync() => await _database.DisposeAsync();
}
