using System.Text.RegularExpressions;
using Npgsql;
using NpgsqlTypes;
using Rosen.Collector.Storage;

namespace Rosen.Collector.PostgreSql;

/// <summary>
/// Stores collected spans and log records in PostgreSQL (one schema), with the same indexes and queries as
/// <see cref="SqliteSpanStore"/>: several manager instances may share it.
/// </summary>
/// <remarks>
/// The schema is created with <c>IF NOT EXISTS</c> at every start, so a schema from an earlier version gains the tables
/// and indexes it lacks.
/// </remarks>
public sealed partial class PostgreSqlSpanStore : ISpanStore, IAsyncDisposable
{
    private readonly NpgsqlDataSource dataSource;
    private readonly string schema;

    /// <summary>Initializes a new instance of the <see cref="PostgreSqlSpanStore"/> class.</summary>
    /// <param name="connectionString">An Npgsql connection string.</param>
    /// <param name="schema">The schema the tables live in; created when missing.</param>
    /// <exception cref="ArgumentException">The connection string is empty or the schema name is not a plain identifier.</exception>
    public PostgreSqlSpanStore(string connectionString, string schema = "rosen")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        if (!Identifier().IsMatch(schema ?? string.Empty))
        {
            throw new ArgumentException($"The schema name '{schema}' must be a plain identifier (letters, digits, underscore; at most 63).", nameof(schema));
        }

        this.schema = schema!;
        dataSource = NpgsqlDataSource.Create(connectionString);
    }

    /// <inheritdoc />
    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        await ExecuteAsync($"""
            CREATE SCHEMA IF NOT EXISTS {schema};
            CREATE TABLE IF NOT EXISTS {schema}.spans (
                trace_id text NOT NULL,
                span_id text NOT NULL,
                parent_span_id text,
                name text NOT NULL,
                kind integer NOT NULL,
                service_name text NOT NULL,
                service_instance text,
                scope_name text,
                start_ns bigint NOT NULL,
                end_ns bigint NOT NULL,
                status_code integer NOT NULL,
                status_message text,
                transaction_id text,
                event_id text,
                participant text,
                tx_status text,
                attributes jsonb NOT NULL,
                events jsonb,
                links jsonb,
                PRIMARY KEY (trace_id, span_id));
            CREATE INDEX IF NOT EXISTS ix_spans_transaction ON {schema}.spans (transaction_id, start_ns) WHERE transaction_id IS NOT NULL;
            CREATE INDEX IF NOT EXISTS ix_spans_event ON {schema}.spans (event_id) WHERE event_id IS NOT NULL;
            CREATE INDEX IF NOT EXISTS ix_spans_parent ON {schema}.spans (trace_id, parent_span_id);
            CREATE INDEX IF NOT EXISTS ix_spans_start ON {schema}.spans (start_ns);
            CREATE INDEX IF NOT EXISTS ix_spans_name ON {schema}.spans (name, start_ns);
            CREATE TABLE IF NOT EXISTS {schema}.span_links (
                trace_id text NOT NULL,
                span_id text NOT NULL,
                linked_trace_id text NOT NULL,
                linked_span_id text NOT NULL,
                start_ns bigint NOT NULL,
                PRIMARY KEY (trace_id, span_id, linked_trace_id, linked_span_id));
            CREATE INDEX IF NOT EXISTS ix_links_linked ON {schema}.span_links (linked_trace_id, linked_span_id);
            CREATE INDEX IF NOT EXISTS ix_links_start ON {schema}.span_links (start_ns);
            CREATE TABLE IF NOT EXISTS {schema}.log_records (
                record_key text NOT NULL PRIMARY KEY,
                seq bigint GENERATED ALWAYS AS IDENTITY,
                time_ns bigint NOT NULL,
                severity_number integer NOT NULL,
                severity_text text,
                body text,
                service_name text NOT NULL,
                service_instance text,
                scope_name text,
                trace_id text,
                span_id text,
                event_name text,
                event_id integer,
                attributes jsonb NOT NULL,
                transaction_id text,
                gravity_event_id text);
            CREATE INDEX IF NOT EXISTS ix_logs_transaction ON {schema}.log_records (transaction_id, time_ns) WHERE transaction_id IS NOT NULL;
            CREATE INDEX IF NOT EXISTS ix_logs_span ON {schema}.log_records (trace_id, span_id) WHERE span_id IS NOT NULL;
            CREATE INDEX IF NOT EXISTS ix_logs_gravity_event ON {schema}.log_records (gravity_event_id) WHERE gravity_event_id IS NOT NULL;
            CREATE INDEX IF NOT EXISTS ix_logs_time ON {schema}.log_records (time_ns);
            """, [], cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<int> WriteAsync(IReadOnlyList<CollectedSpan> spans, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spans);
        if (spans.Count == 0)
        {
            return 0;
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var written = 0;
        foreach (var span in spans)
        {
            await using var insert = new NpgsqlCommand(
                $"""
                INSERT INTO {schema}.spans ({SpanRowFormat.Columns}, event_id, participant, tx_status)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)
                ON CONFLICT DO NOTHING
                """,
                connection,
                transaction);
            object?[] values =
            [
                span.TraceId, span.SpanId, span.ParentSpanId, span.Name, (int)span.Kind, span.ServiceName, span.ServiceInstanceId,
                span.ScopeName, span.StartUnixNano, span.EndUnixNano, (int)span.Status, span.StatusMessage,
                SpanRowFormat.AttributesJson(span),
                SpanRowFormat.EventsJson(span),
                SpanRowFormat.LinksJson(span),
                span.TransactionId, span.EventId, SpanRowFormat.ParticipantOf(span),
                SpanRowFormat.TransactionStatusOf(span),
            ];
            for (var i = 0; i < values.Length; i++)
            {
                insert.Parameters.Add(i is 12 or 13 or 14
                    ? new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Jsonb, Value = values[i] ?? DBNull.Value }
                    : new NpgsqlParameter { Value = values[i] ?? DBNull.Value });
            }

            var added = await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            written += added;
            foreach (var link in added == 0 ? [] : span.Links)
            {
                await using var command = new NpgsqlCommand(
                    $"INSERT INTO {schema}.span_links (trace_id, span_id, linked_trace_id, linked_span_id, start_ns) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
                    connection,
                    transaction);
                command.Parameters.Add(new() { Value = span.TraceId });
                command.Parameters.Add(new() { Value = span.SpanId });
                command.Parameters.Add(new() { Value = link.TraceId });
                command.Parameters.Add(new() { Value = link.SpanId });
                command.Parameters.Add(new() { Value = span.StartUnixNano });
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        // Descendants inherit the transaction id of their nearest ancestor that has one (see SqliteSpanStore).
        foreach (var traceId in spans.Select(s => s.TraceId).Distinct(StringComparer.Ordinal))
        {
            await using var inherit = new NpgsqlCommand(
                $"""
                WITH RECURSIVE d(span_id, tid) AS (
                    SELECT span_id, transaction_id FROM {schema}.spans WHERE trace_id = $1 AND transaction_id IS NOT NULL
                    UNION
                    SELECT c.span_id, d.tid FROM {schema}.spans c JOIN d ON c.trace_id = $1 AND c.parent_span_id = d.span_id
                    WHERE c.transaction_id IS NULL)
                UPDATE {schema}.spans s SET transaction_id = d.tid FROM d
                WHERE s.trace_id = $1 AND s.span_id = d.span_id AND s.transaction_id IS NULL
                """,
                connection,
                transaction);
            inherit.Parameters.Add(new() { Value = traceId });
            await inherit.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return written;
    }

    /// <inheritdoc />
    public async Task<int> WriteLogsAsync(IReadOnlyList<CollectedLogRecord> records, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        if (records.Count == 0)
        {
            return 0;
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var placeholders = string.Join(", ", Enumerable.Range(2, LogRowFormat.Columns.Split(", ").Length).Select(i => "$" + i));
        var written = 0;
        foreach (var record in records)
        {
            await using var insert = new NpgsqlCommand(
                $"INSERT INTO {schema}.log_records (record_key, {LogRowFormat.Columns}) VALUES ($1, {placeholders}) ON CONFLICT DO NOTHING",
                connection,
                transaction);
            insert.Parameters.Add(new NpgsqlParameter { Value = LogRowFormat.Key(record) });
            var values = LogRowFormat.Values(record);
            for (var i = 0; i < values.Length; i++)
            {
                // Column 11 is the attributes' JSON; the others are plain values.
                insert.Parameters.Add(i == 11
                    ? new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Jsonb, Value = values[i] ?? DBNull.Value }
                    : new NpgsqlParameter { Value = values[i] ?? DBNull.Value });
            }

            written += await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return written;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<CollectedLogRecord>> GetTransactionLogsAsync(string transactionId, int limit = 500, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(transactionId);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        return QueryAsync(
            $"""
            WITH tx AS (SELECT trace_id, span_id FROM {schema}.spans WHERE transaction_id = $1 LIMIT 2000),
            linked AS (SELECT l.trace_id, l.span_id FROM {schema}.span_links l JOIN tx ON l.linked_trace_id = tx.trace_id AND l.linked_span_id = tx.span_id),
            found AS (
                SELECT record_key FROM {schema}.log_records WHERE transaction_id = $1
                UNION
                SELECT g.record_key FROM {schema}.log_records g JOIN tx ON g.trace_id = tx.trace_id AND g.span_id = tx.span_id
                UNION
                SELECT g.record_key FROM {schema}.log_records g JOIN linked ON g.trace_id = linked.trace_id AND g.span_id = linked.span_id)
            SELECT {LogRowFormat.Columns} FROM (
                SELECT {LogRowFormat.Prefixed("g")}, g.seq FROM {schema}.log_records g JOIN found f ON g.record_key = f.record_key
                ORDER BY g.time_ns DESC, g.seq DESC LIMIT $2) newest
            ORDER BY time_ns, seq
            """,
            LogRowFormat.Read,
            cancellationToken,
            transactionId,
            limit);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<CollectedSpan>> GetTraceAsync(string traceId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(traceId);
        return QueryAsync($"SELECT {SpanRowFormat.Columns} FROM {schema}.spans WHERE trace_id = $1 ORDER BY start_ns LIMIT 10000", SpanRowFormat.Read, cancellationToken, traceId.ToLowerInvariant());
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<CollectedSpan>> GetTransactionSpansAsync(string transactionId, int limit = 2000, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(transactionId);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        return QueryAsync(
            $"""
            WITH tx AS (SELECT trace_id, span_id FROM {schema}.spans WHERE transaction_id = $1 LIMIT $2),
            found AS (
                SELECT s.trace_id, s.span_id FROM {schema}.spans s WHERE s.transaction_id = $1
                UNION
                SELECT c.trace_id, c.span_id FROM {schema}.spans c JOIN tx ON c.trace_id = tx.trace_id AND c.parent_span_id = tx.span_id
                UNION
                SELECT l.trace_id, l.span_id FROM {schema}.span_links l JOIN tx ON l.linked_trace_id = tx.trace_id AND l.linked_span_id = tx.span_id)
            SELECT {SpanRowFormat.Prefixed("s")} FROM {schema}.spans s JOIN found f ON s.trace_id = f.trace_id AND s.span_id = f.span_id
            ORDER BY s.start_ns LIMIT $2
            """,
            SpanRowFormat.Read,
            cancellationToken,
            transactionId,
            limit);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<CollectedSpan>> GetEventSpansAsync(string eventId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(eventId);
        return QueryAsync($"SELECT {SpanRowFormat.Columns} FROM {schema}.spans WHERE event_id = $1 ORDER BY start_ns LIMIT 2000", SpanRowFormat.Read, cancellationToken, eventId);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<TransactionSummary>> ListTransactionsAsync(TransactionSearch search, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(search);
        var args = new List<object> { Math.Clamp(search.Limit, 1, 500), Math.Max(0, search.Offset) };
        string Arg(object value)
        {
            args.Add(value);
            return "$" + args.Count;
        }

        var where = new List<string> { "transaction_id IS NOT NULL" };
        var filters = new List<string>();
        if (!string.IsNullOrWhiteSpace(search.TransactionId))
        {
            where.Add($"starts_with(transaction_id, {Arg(search.TransactionId.Trim())})");
        }

        if (search.StartedAfter is { } after)
        {
            filters.Add($"first_ns >= {Arg(SpanRowFormat.ToUnixNano(after))}");
        }

        if (search.StartedBefore is { } before)
        {
            filters.Add($"first_ns <= {Arg(SpanRowFormat.ToUnixNano(before))}");
        }

        if (!string.IsNullOrWhiteSpace(search.Status))
        {
            filters.Add($"lower(status) = lower({Arg(search.Status.Trim())})");
        }

        if (search.ErrorsOnly)
        {
            filters.Add("errors > 0");
        }

        if (!string.IsNullOrWhiteSpace(search.Participant))
        {
            filters.Add($"matches > 0");
        }

        var participant = string.IsNullOrWhiteSpace(search.Participant) ? "NULL" : Arg("%" + SpanRowFormat.EscapeLike(search.Participant.Trim()) + "%");
        return QueryAsync(
            $"""
            SELECT * FROM (
                SELECT transaction_id, MIN(start_ns) AS first_ns, MAX(end_ns) AS last_ns, COUNT(*)::int AS spans,
                       COUNT(*) FILTER (WHERE status_code = 2)::int AS errors,
                       (SELECT s2.tx_status FROM {schema}.spans s2 WHERE s2.transaction_id = s.transaction_id AND s2.tx_status IS NOT NULL
                        ORDER BY s2.end_ns DESC LIMIT 1) AS status,
                       string_agg(DISTINCT service_name, ',') AS services,
                       COUNT(*) FILTER (WHERE participant ILIKE {participant} OR service_name ILIKE {participant})::int AS matches
                FROM {schema}.spans s
                WHERE {string.Join(" AND ", where)}
                GROUP BY transaction_id) t
            {(filters.Count == 0 ? string.Empty : "WHERE " + string.Join(" AND ", filters))}
            ORDER BY first_ns DESC
            LIMIT $1 OFFSET $2
            """,
            r => new TransactionSummary(
                r.GetString(0),
                SpanRowFormat.FromUnixNano(r.GetInt64(1)),
                SpanRowFormat.FromUnixNano(r.GetInt64(2)),
                r.GetInt32(3),
                r.GetInt32(4),
                r.IsDBNull(5) ? null : r.GetString(5),
                r.IsDBNull(6) ? [] : r.GetString(6).Split(',').Order(StringComparer.Ordinal).ToArray()),
            cancellationToken,
            [.. args]);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<ServiceSummary>> ListServicesAsync(DateTimeOffset since, CancellationToken cancellationToken = default) =>
        QueryAsync(
            $"""
            SELECT service_name, COUNT(*)::int, COUNT(*) FILTER (WHERE status_code = 2)::int, COUNT(DISTINCT service_instance)::int, MAX(start_ns)
            FROM {schema}.spans WHERE start_ns >= $1 GROUP BY service_name ORDER BY service_name COLLATE "C"
            """,
            r => new ServiceSummary(r.GetString(0), r.GetInt32(1), r.GetInt32(2), r.GetInt32(3), SpanRowFormat.FromUnixNano(r.GetInt64(4))),
            cancellationToken,
            SpanRowFormat.ToUnixNano(since));

    /// <inheritdoc />
    public Task<IReadOnlyList<ServiceEdge>> GetServiceEdgesAsync(DateTimeOffset since, CancellationToken cancellationToken = default) =>
        QueryAsync(
            $"""
            SELECT p.service_name, c.service_name, p.kind = 4, COUNT(*)::int, COUNT(*) FILTER (WHERE c.status_code = 2)::int
            FROM {schema}.spans c JOIN {schema}.spans p ON p.trace_id = c.trace_id AND p.span_id = c.parent_span_id
            WHERE c.start_ns >= $1 AND p.kind IN (3, 4) AND p.service_name <> c.service_name
            GROUP BY 1, 2, 3
            UNION ALL
            SELECT p.service_name, c.service_name, true, COUNT(*)::int, COUNT(*) FILTER (WHERE c.status_code = 2)::int
            FROM {schema}.span_links l
                JOIN {schema}.spans c ON c.trace_id = l.trace_id AND c.span_id = l.span_id
                JOIN {schema}.spans p ON p.trace_id = l.linked_trace_id AND p.span_id = l.linked_span_id
            WHERE l.start_ns >= $1 AND p.service_name <> c.service_name
            GROUP BY 1, 2
            """,
            r => new ServiceEdge(r.GetString(0), r.GetString(1), r.GetBoolean(2), r.GetInt32(3), r.GetInt32(4)),
            cancellationToken,
            SpanRowFormat.ToUnixNano(since));

    /// <inheritdoc />
    public Task<IReadOnlyList<SyncActivity>> GetSyncActivityAsync(DateTimeOffset since, CancellationToken cancellationToken = default) =>
        QueryAsync(
            $"""
            SELECT attributes ->> 'gravity.database' AS db, COUNT(*)::int,
                   COALESCE(SUM(CASE WHEN attributes ->> 'messaging.batch.message_count' ~ '^[0-9]+$' AND length(attributes ->> 'messaging.batch.message_count') <= 18
                                     THEN (attributes ->> 'messaging.batch.message_count')::bigint ELSE 0 END), 0)::bigint,
                   COUNT(*) FILTER (WHERE status_code = 2)::int, MAX(end_ns)
            FROM {schema}.spans WHERE name = 'gravity.sync.apply' AND start_ns >= $1 AND attributes ? 'gravity.database'
            GROUP BY 1 ORDER BY 1
            """,
            r => new SyncActivity(r.GetString(0), r.GetInt32(1), r.GetInt64(2), r.GetInt32(3), SpanRowFormat.FromUnixNano(r.GetInt64(4))),
            cancellationToken,
            SpanRowFormat.ToUnixNano(since));

    /// <inheritdoc />
    public async Task<int> DeleteOlderThanAsync(DateTimeOffset cutoff, CancellationToken cancellationToken = default)
    {
        var total = 0;
        var nanos = SpanRowFormat.ToUnixNano(cutoff);
        while (true)
        {
            var spans = await ExecuteAsync($"DELETE FROM {schema}.spans WHERE ctid IN (SELECT ctid FROM {schema}.spans WHERE start_ns < $1 LIMIT 5000)", [nanos], cancellationToken).ConfigureAwait(false);
            var links = await ExecuteAsync($"DELETE FROM {schema}.span_links WHERE ctid IN (SELECT ctid FROM {schema}.span_links WHERE start_ns < $1 LIMIT 5000)", [nanos], cancellationToken).ConfigureAwait(false);
            total += spans;
            if (spans == 0 && links == 0)
            {
                return total;
            }
        }
    }

    /// <inheritdoc />
    public async Task<int> DeleteLogsOlderThanAsync(DateTimeOffset cutoff, CancellationToken cancellationToken = default)
    {
        var total = 0;
        var nanos = SpanRowFormat.ToUnixNano(cutoff);
        int deleted;
        do
        {
            deleted = await ExecuteAsync($"DELETE FROM {schema}.log_records WHERE ctid IN (SELECT ctid FROM {schema}.log_records WHERE time_ns < $1 LIMIT 5000)", [nanos], cancellationToken).ConfigureAwait(false);
            total += deleted;
        }
        while (deleted > 0);

        return total;
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => dataSource.DisposeAsync();

    private async Task<IReadOnlyList<T>> QueryAsync<T>(string sql, Func<NpgsqlDataReader, T> read, CancellationToken cancellationToken, params object[] args)
    {
        await using var command = dataSource.CreateCommand(sql);
        foreach (var arg in args)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = arg });
        }

        var results = new List<T>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            results.Add(read(reader));
        }

        return results;
    }

    private async Task<int> ExecuteAsync(string sql, object[] args, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(sql);
        foreach (var arg in args)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = arg });
        }

        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]{0,62}$")]
    private static partial Regex Identifier();
}
