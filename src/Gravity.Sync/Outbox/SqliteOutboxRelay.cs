using Gravity.Sync.Events;
using Microsoft.Data.Sqlite;

namespace Gravity.Sync.Outbox;

/// <summary>
/// Moves committed outbox rows from an application's SQLite database to the event publisher (the embedded log, or a
/// JetStream stream / Kafka topic when those packages are registered), oldest first. The log and JetStream store an
/// event id once, so a crash between the publish and the delete only repeats a publish they ignore.
/// </summary>
internal sealed class SqliteOutboxRelay(string connectionString, IGravityEventPublisher publisher)
{
    private const string ReadSql = $"""
        SELECT seq, id, name, event_key, payload, trace_parent, trace_state, occurred_at
        FROM {GravityOutbox.TableName} ORDER BY seq LIMIT @limit
        """;

    private const string DeleteSql = $"DELETE FROM {GravityOutbox.TableName} WHERE seq <= @seq";

    public string ConnectionString { get; } = connectionString;

    /// <summary>Relays one batch.</summary>
    /// <returns>How many events were relayed.</returns>
    public async Task<int> RelayOnceAsync(int maxCount, CancellationToken cancellationToken)
    {
        await using var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await GravityOutbox.EnsureTableAsync(connection, cancellationToken).ConfigureAwait(false);
        var events = new List<GravityEventData>();
        long lastSeq = 0;
        await using (var read = connection.CreateCommand())
        {
            read.CommandText = ReadSql;
            read.Parameters.AddWithValue("@limit", maxCount);
            await using var reader = await read.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                lastSeq = reader.GetInt64(0);
                events.Add(new GravityEventData
                {
                    Id = reader.GetString(1),
                    Name = reader.GetString(2),
                    Key = reader.IsDBNull(3) ? null : reader.GetString(3),
                    Payload = (byte[])reader.GetValue(4),
                    TraceParent = reader.IsDBNull(5) ? null : reader.GetString(5),
                    TraceState = reader.IsDBNull(6) ? null : reader.GetString(6),
                    Timestamp = reader.IsDBNull(7) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(7)),
                });
            }
        }

        if (events.Count == 0)
        {
            return 0;
        }

        await publisher.PublishAsync(events, cancellationToken).ConfigureAwait(false);
        await using var delete = connection.CreateCommand();
        delete.CommandText = DeleteSql;
        delete.Parameters.AddWithValue("@seq", lastSeq);
        await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return events.Count;
    }
}
