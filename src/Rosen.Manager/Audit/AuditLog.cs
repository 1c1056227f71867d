using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Rosen.Manager.Configuration;
using Rosen.Manager.Diagnostics;

namespace Rosen.Manager.Audit;

/// <summary>The manager's audit log: every login and operator action, kept in SQLite and logged (EventId 6106).</summary>
public sealed class AuditLog : IDisposable
{
    public const string Allowed = "ok";
    public const string Failed = "failed";
    public const string Denied = "denied";

    private readonly string connectionString;
    private readonly TimeProvider timeProvider;
    private readonly ManagerTelemetry telemetry;
    private readonly ILogger<AuditLog> logger;
    private readonly SemaphoreSlim writeLock = new(1, 1);
    private bool initialized;

    public AuditLog(IOptions<RosenManagerOptions> options, TimeProvider timeProvider, ManagerTelemetry telemetry, ILogger<AuditLog> logger)
    {
        var directory = Path.GetFullPath(options.Value.DataDirectory);
        Directory.CreateDirectory(directory);
        connectionString = new SqliteConnectionStringBuilder { DataSource = Path.Combine(directory, "rosen-audit.db"), DefaultTimeout = 10 }.ToString();
        this.timeProvider = timeProvider;
        this.telemetry = telemetry;
        this.logger = logger;
    }

    public async Task RecordAsync(string actor, string role, string action, string target, string? reason, string outcome, string? detail, CancellationToken cancellationToken = default)
    {
        ManagerLog.OperatorAction(logger, actor, role, action, target, detail is null ? outcome : $"{outcome} ({detail})");
        telemetry.OperatorActions.Add(1, new KeyValuePair<string, object?>("rosen.action", action), new KeyValuePair<string, object?>("rosen.outcome", outcome));
        await writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var command = connection.CreateCommand();
            command.CommandText = "INSERT INTO audit (at, actor, role, action, target, reason, outcome, detail) VALUES ($at, $actor, $role, $action, $target, $reason, $outcome, $detail)";
            command.Parameters.AddWithValue("$at", timeProvider.GetUtcNow().ToString("O", CultureInfo.InvariantCulture));
            command.Parameters.AddWithValue("$actor", actor);
            command.Parameters.AddWithValue("$role", role);
            command.Parameters.AddWithValue("$action", action);
            command.Parameters.AddWithValue("$target", target);
            command.Parameters.AddWithValue("$reason", (object?)reason ?? DBNull.Value);
            command.Parameters.AddWithValue("$outcome", outcome);
            command.Parameters.AddWithValue("$detail", (object?)Cut(detail) ?? DBNull.Value);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            writeLock.Release();
        }
    }

    public async Task<IReadOnlyList<AuditEntry>> ListAsync(int limit = 200, string? action = null, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, at, actor, role, action, target, reason, outcome, detail FROM audit WHERE ($action IS NULL OR action = $action) ORDER BY id DESC LIMIT $limit";
        command.Parameters.AddWithValue("$action", (object?)action ?? DBNull.Value);
        command.Parameters.AddWithValue("$limit", Math.Clamp(limit, 1, 1000));
        var entries = new List<AuditEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            entries.Add(new AuditEntry(
                reader.GetInt64(0),
                DateTimeOffset.Parse(reader.GetString(1), CultureInfo.InvariantCulture),
                reader.GetString(2),
                reader.GetString(3),
                reader.GetString(4),
                reader.GetString(5),
                reader.IsDBNull(6) ? null : reader.GetString(6),
                reader.GetString(7),
                reader.IsDBNull(8) ? null : reader.GetString(8)));
        }

        return entries;
    }

    public void Dispose() => writeLock.Dispose();

    private static string? Cut(string? value) => value is { Length: > 2000 } ? value[..2000] + "…" : value;

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        if (!initialized)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = """
                PRAGMA journal_mode=WAL;
                CREATE TABLE IF NOT EXISTS audit (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    at TEXT NOT NULL, actor TEXT NOT NULL, role TEXT NOT NULL, action TEXT NOT NULL, target TEXT NOT NULL,
                    reason TEXT, outcome TEXT NOT NULL, detail TEXT);
                """;
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            initialized = true;
        }

        return connection;
    }
}
