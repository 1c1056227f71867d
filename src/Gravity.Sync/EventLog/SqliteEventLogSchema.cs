using Microsoft.Data.Sqlite;

namespace Gravity.Sync.EventLog;

/// <summary>The embedded log's table and statements.</summary>
internal static class SqliteEventLogSchema
{
    // WAL lets readers (one per target) run beside the writer; synchronous=FULL makes a commit survive power loss,
    // which is what "durable log" promises.
    private const string Create = """
        PRAGMA journal_mode = WAL;
        PRAGMA synchronous = FULL;
        CREATE TABLE IF NOT EXISTS gravity_events (
            position INTEGER PRIMARY KEY AUTOINCREMENT,
            id TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL,
            key TEXT NULL,
            payload BLOB NOT NULL,
            trace_parent TEXT NULL,
            trace_state TEXT NULL,
            created_at INTEGER NOT NULL
        );
        """;

    // An id seen before keeps its position: relays and publishers may retry an append without duplicating the event.
    public const string Insert = """
        INSERT INTO gravity_events (id, name, key, payload, trace_parent, trace_state, created_at)
        VALUES (@id, @name, @key, @payload, @traceParent, @traceState, @createdAt)
        ON CONFLICT (id) DO NOTHING;
        SELECT position FROM gravity_events WHERE id = @id;
        """;

    public const string Read = """
        SELECT position, id, name, key, payload, trace_parent, trace_state, created_at
        FROM gravity_events WHERE position > @after ORDER BY position LIMIT @limit
        """;

    public const string Head = "SELECT COALESCE(MAX(position), 0) FROM gravity_events";

    public static async Task CreateAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = Create;
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
