using Microsoft.Data.Sqlite;

namespace Rosen.Collector.Storage;

/// <summary>
/// Stores collected spans in one SQLite file (WAL mode), indexed by trace, Twist transaction id, Gravity event id,
/// service and start time; links in a side table so consumers can be joined back to their producers; log records in a
/// table of their own, indexed by transaction id, span and time.
/// </summary>
/// <remarks>
/// Writes are serialized inside the process; reads run concurrently with them (WAL). The schema is created with
/// <c>IF NOT EXISTS</c> at every start, so a database from an earlier version gains the tables and indexes it lacks.
/// </remarks>
public sealed class SqliteSpanStore : ISpanStore, IDisposable
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS spans (
            trace_id TEXT NOT NULL,
            span_id TEXT NOT NULL,
            parent_span_id TEXT,
            name TEXT NOT NULL,
            kind INTEGER NOT NULL,
            service_name TEXT NOT NULL,
            service_instance TEXT,
            scope_name TEXT,
            start_ns INTEGER NOT NULL,
            end_ns INTEGER NOT NULL,
            status_code INTEGER NOT NULL,
            status_message TEXT,
            transaction_id TEXT,
            event_id TEXT,
            participant TEXT,
            tx_status TEXT,
            attributes TEXT NOT NULL,
            events TEXT,
            links TEXT,
            PRIMARY KEY (trace_id, span_id));
        CREATE INDEX IF NOT EXISTS ix_spans_transaction ON spans (transaction_id, start_ns) WHERE transaction_id IS NOT NULL;
        CREATE INDEX IF NOT EXISTS ix_spans_event ON spans (event_id) WHERE event_id IS NOT NULL;
        CREATE INDEX IF NOT EXISTS ix_spans_parent ON spans (trace_id, parent_span_id);
        CREATE INDEX IF NOT EXISTS ix_spans_start ON spans (start_ns);
        CREATE INDEX IF NOT EXISTS ix_spans_name ON spans (name, start_ns);
        CREATE TABLE IF NOT EXISTS span_links (
            trace_id TEXT NOT NULL,
            span_id TEXT NOT NULL,
            linked_trace_id TEXT NOT NULL,
            linked_span_id TEXT NOT NULL,
            start_ns INTEGER NOT NULL,
            PRIMARY KEY (trace_id, span_id, linked_trace_id, linked_span_id));
        CREATE INDEX IF NOT EXISTS ix_links_linked ON span_links (linked_trace_id, linked_span_id);
        CREATE INDEX IF NOT EXISTS ix_links_start ON span_links (start_ns);
        CREATE TABLE IF NOT EXISTS log_records (
            record_key TEXT NOT NULL PRIMARY KEY,
            time_ns INTEGER NOT NULL,
            severity_number INTEGER NOT NULL,
            severity_text TEXT,
            body TEXT,
            service_name TEXT NOT NULL,
            service_instance TEXT,
            scope_name TEXT,
            trace_id TEXT,
            span_id TEXT,
            event_name TEXT,
            event_id INTEGER,
            attributes TEXT NOT NULL,
            transaction_id TEXT,
            gravity_event_id TEXT);
        CREATE INDEX IF NOT EXISTS ix_logs_transaction ON log_records (transaction_id, time_ns) WHERE transaction_id IS NOT NULL;
        CREATE INDEX IF NOT EXISTS ix_logs_span ON log_records (trace_id, span_id) WHERE span_id IS NOT NULL;
        CREATE INDEX IF NOT EXISTS ix_logs_gravity_event ON log_records (gravity_event_id) WHERE gravity_event_id IS NOT NULL;
        CREATE INDEX IF NOT EXISTS ix_logs_time ON log_records (time_ns);
        """;

    private static readonly string[] SpanParameterNames =
    [
        "$trace", "$span", "$parent", "$name", "$kind", "$service", "$instance", "$scope", "$start", "$end", "$status",
        "$message", "$attributes", "$events", "$links", "$tid", "$eid", "$participant", "$txstatus",
    ];

    private static readonly string[] LinkParameterNames = ["$t", "$s", "$lt", "$ls", "$start"];

    private static readonly string[] LogParameterNames = [.. LogRowFormat.Columns.Split(", ").Select(c => "$" + c)];

    private readonly string connectionString;
    private readonly SemaphoreSlim writeLock = new(1, 1);

    /// <summary>Initializes a new instance of the <see cref="SqliteSpanStore"/> class.</summary>
    /// <param name="connectionString">A Microsoft.Data.Sqlite connection string, e.g. <c>Data Source=rosen-spans.db</c>.</param>
    /// <exception cref="ArgumentException"><paramref name="connectionString"/> is empty or names no data source.</exception>
    public SqliteSpanStore(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var builder = new SqliteConnectionStringBuilder(connectionString);
        if (string.IsNullOrWhiteSpace(builder.DataSource))
        {
            throw new ArgumentException("The SQLite connection string names no Data Source; use e.g. \"Data Source=rosen-spans.db\".", nameof(connectionString));
        }

        builder.Pooling = true;
        if (builder.DefaultTimeout < 10)
        {
            builder.DefaultTimeout = 10;
        }

        this.connectionString = builder.ToString();
    }

    /// <inheritdoc />
    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        if (Path.GetDirectoryName(Path.GetFullPath(builder.DataSource)) is { Length: > 0 } folder && builder.Mode != SqliteOpenMode.Memory)
        {
            Directory.CreateDirectory(folder);
        }

        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, "PRAGMA journal_mode=WAL;", cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, Schema, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<int> WriteAsync(IReadOnlyList<CollectedSpan> spans, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spans);
        return spans.Count == 0 ? 0 : await WriteInTransactionAsync(
            async (connection, transaction) =>
            {
                await using var insert = connection.CreateCommand();
                insert.Transaction = transaction;
                insert.CommandText = $"""
                    INSERT OR IGNORE INTO spans ({SpanRowFormat.Columns}, event_id, participant, tx_status)
                    VALUES ($trace, $span, $parent, $name, $kind, $service, $instance, $scope, $start, $end, $status, $message,
                            $attributes, $events, $links, $tid, $eid, $participant, $txstatus)
                    """;
                var parameters = SpanParameterNames.Select(name => insert.Parameters.Add(new SqliteParameter { ParameterName = name })).ToArray();
                await using var link = connection.CreateCommand();
                link.Transaction = transaction;
                link.CommandText = "INSERT OR IGNORE INTO span_links (trace_id, span_id, linked_trace_id, linked_span_id, start_ns) VALUES ($t, $s, $lt, $ls, $start)";
                var linkParameters = LinkParameterNames.Select(name => link.Parameters.Add(new SqliteParameter { ParameterName = name })).ToArray();

                var written = 0;
                foreach (var span in spans)
                {
                    object?[] values =
                    [
                        span.TraceId, span.SpanId, span.ParentSpanId, span.Name, (int)span.Kind, span.ServiceName, span.ServiceInstanceId,
                        span.ScopeName, span.StartUnixNano, span.EndUnixNano, (int)span.Status, span.StatusMessage,
                        SpanRowFormat.AttributesJson(span),
                        SpanRowFormat.EventsJson(span),
                        SpanRowFormat.LinksJson(span),
                        span.TransactionId, span.EventId, SpanRowFormat.ParticipantOf(span), SpanRowFormat.TransactionStatusOf(span),
                    ];
                    for (var i = 0; i < values.Length; i++)
                    {
                        parameters[i].Value = values[i] ?? DBNull.Value;
                    }

                    var added = await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                    written += added;
                    if (added == 0)
                    {
                        continue;
                    }

                    foreach (var l in span.Links)
                    {
                        object[] linkValues = [span.TraceId, span.SpanId, l.TraceId, l.SpanId, span.StartUnixNano];
                        for (var i = 0; i < linkValues.Length; i++)
                        {
                            linkParameters[i].Value = linkValues[i];
                        }

                        await link.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                    }
                }

                await InheritTransactionIdsAsync(connection, transaction, spans, cancellationToken).ConfigureAwait(false);
                return written;
            },
            cancellationToken).ConfigureAwait(false);
    }

    // A span without a transaction id takes the one of its nearest ancestor that has one, whichever of them arrived
    // first: a participant's server span under the coordinator's call belongs to the transaction although the
    // participant never saw its id. Only descendants inherit, so a trace that runs many transactions keeps them apart.
    private static async Task InheritTransactionIdsAsync(SqliteConnection connection, SqliteTransaction transaction, IReadOnlyList<CollectedSpan> spans, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            WITH RECURSIVE d(span_id, tid) AS (
                SELECT span_id, transaction_id FROM spans WHERE trace_id = $trace AND transaction_id IS NOT NULL
                UNION
                SELECT c.span_id, d.tid FROM spans c JOIN d ON c.trace_id = $trace AND c.parent_span_id = d.span_id
                WHERE c.transaction_id IS NULL)
            UPDATE spans SET transaction_id = (SELECT tid FROM d WHERE d.span_id = spans.span_id LIMIT 1)
            WHERE trace_id = $trace AND transaction_id IS NULL AND span_id IN (SELECT span_id FROM d)
            """;
        var trace = command.Parameters.Add(new SqliteParameter { ParameterName = "$trace" });
        foreach (var traceId in spans.Select(s => s.TraceId).Distinct(StringComparer.Ordinal))
        {
            trace.Value = traceId;
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async Task<int> WriteLogsAsync(IReadOnlyList<CollectedLogRecord> records, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        return records.Count == 0 ? 0 : await WriteInTransactionAsync(
            async (connection, transaction) =>
            {
                await using var insert = connection.CreateCommand();
                insert.Transaction = transaction;
                insert.CommandText = $"INSERT OR IGNORE INTO log_records (record_key, {LogRowFormat.Columns}) VALUES ($key, {string.Join(", ", LogParameterNames)})";
                var key = insert.Parameters.Add(new SqliteParameter { ParameterName = "$key" });
                var parameters = LogParameterNames.Select(name => insert.Parameters.Add(new SqliteParameter { ParameterName = name })).ToArray();
                var written = 0;
                foreach (var record in records)
                {
                    key.Value = LogRowFormat.Key(record);
                    var values = LogRowFormat.Values(record);
                    for (var i = 0; i < values.Length; i++)
                    {
                        parameters[i].Value = values[i] ?? DBNull.Value;
                    }

                    written += await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                return written;
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs <paramref name="write"/> in one write transaction, one writer at a time, and commits it.</summary>
    private async Task<int> WriteInTransactionAsync(Func<SqliteConnection, SqliteTransaction, Task<int>> write, CancellationToken cancellationToken)
    {
        await writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            var written = await write(connection, transaction).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return written;
        }
        finally
        {
            writeLock.Release();
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<CollectedLogRecord>> GetTransactionLogsAsync(string transactionId, int limit = 500, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(transactionId);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);

        // CROSS JOIN keeps SQLite reading the few found keys first instead of walking every record by time.
        var sql = $"""
            WITH tx AS (SELECT trace_id, span_id FROM spans WHERE transaction_id = $id LIMIT 2000),
            linked AS (SELECT l.trace_id, l.span_id FROM span_links l JOIN tx ON l.linked_trace_id = tx.trace_id AND l.linked_span_id = tx.span_id),
            found AS (
                SELECT record_key FROM log_records WHERE transaction_id = $id
                UNION
                SELECT g.record_key FROM log_records g JOIN tx ON g.trace_id = tx.trace_id AND g.span_id = tx.span_id
                UNION
                SELECT g.record_key FROM log_records g JOIN linked ON g.trace_id = linked.trace_id AND g.span_id = linked.span_id)
            SELECT {LogRowFormat.Columns} FROM (
                SELECT {LogRowFormat.Prefixed("g")}, g.rowid AS seq FROM found f CROSS JOIN log_records g ON g.record_key = f.record_key
                ORDER BY g.time_ns DESC, g.rowid DESC LIMIT $limit)
            ORDER BY time_ns, seq
            """;
        return QueryAsync(sql, LogRowFormat.Read, cancellationToken, ("$id", transactionId), ("$limit", limit));
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<CollectedSpan>> GetTraceAsync(string traceId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(traceId);
        return QuerySpansAsync($"SELECT {SpanRowFormat.Columns} FROM spans WHERE trace_id = $id ORDER BY start_ns LIMIT 10000", cancellationToken, ("$id", traceId.ToLowerInvariant()));
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<CollectedSpan>> GetTransactionSpansAsync(string transactionId, int limit = 2000, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(transactionId);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var sql = $"""
            WITH tx AS (SELECT trace_id, span_id FROM spans WHERE transaction_id = $id LIMIT $limit)
            SELECT {SpanRowFormat.Columns} FROM spans WHERE transaction_id = $id
            UNION
            SELECT {SpanRowFormat.Prefixed("c")} FROM spans c JOIN tx ON c.trace_id = tx.trace_id AND c.parent_span_id = tx.span_id
            UNION
            SELECT {SpanRowFormat.Prefixed("s")} FROM span_links l
                JOIN tx ON l.linked_trace_id = tx.trace_id AND l.linked_span_id = tx.span_id
                JOIN spans s ON s.trace_id = l.trace_id AND s.span_id = l.span_id
            ORDER BY start_ns LIMIT $limit
            """;
        return QuerySpansAsync(sql, cancellationToken, ("$id", transactionId), ("$limit", limit));
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<CollectedSpan>> GetEventSpansAsync(string eventId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(eventId);
        return QuerySpansAsync($"SELECT {SpanRowFormat.Columns} FROM spans WHERE event_id = $id ORDER BY start_ns LIMIT 2000", cancellationToken, ("$id", eventId));
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<TransactionSummary>> ListTransactionsAsync(TransactionSearch search, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(search);
        var where = new List<string> { "transaction_id IS NOT NULL" };
        var having = new List<string>();
        var args = new List<(string, object)> { ("$limit", Math.Clamp(search.Limit, 1, 500)), ("$offset", Math.Max(0, search.Offset)) };
        if (!string.IsNullOrWhiteSpace(search.TransactionId))
        {
            where.Add("transaction_id >= $tid AND transaction_id < $tid || char(1114111)");
            args.Add(("$tid", search.TransactionId.Trim()));
        }

        if (search.StartedAfter is { } after)
        {
            having.Add("MIN(start_ns) >= $after");
            args.Add(("$after", SpanRowFormat.ToUnixNano(after)));
        }

        if (search.StartedBefore is { } before)
        {
            having.Add("MIN(start_ns) <= $before");
            args.Add(("$before", SpanRowFormat.ToUnixNano(before)));
        }

        if (!string.IsNullOrWhiteSpace(search.Status))
        {
            having.Add("status = $status COLLATE NOCASE");
            args.Add(("$status", search.Status.Trim()));
        }

        if (search.ErrorsOnly)
        {
            having.Add("SUM(status_code = 2) > 0");
        }

        if (!string.IsNullOrWhiteSpace(search.Participant))
        {
            having.Add("SUM(participant LIKE $p ESCAPE '\\' OR service_name LIKE $p ESCAPE '\\') > 0");
            args.Add(("$p", "%" + SpanRowFormat.EscapeLike(search.Participant.Trim()) + "%"));
        }

        var sql = $"""
            SELECT transaction_id, MIN(start_ns), MAX(end_ns), COUNT(*), SUM(status_code = 2),
                   (SELECT s2.tx_status FROM spans s2 WHERE s2.transaction_id = s.transaction_id AND s2.tx_status IS NOT NULL
                    ORDER BY s2.end_ns DESC LIMIT 1) AS status,
                   GROUP_CONCAT(DISTINCT service_name)
            FROM spans s
            WHERE {string.Join(" AND ", where)}
            GROUP BY transaction_id
            {(having.Count == 0 ? string.Empty : "HAVING " + string.Join(" AND ", having))}
            ORDER BY MIN(start_ns) DESC
            LIMIT $limit OFFSET $offset
            """;
        return await QueryAsync(sql, r => new TransactionSummary(
            r.GetString(0),
            SpanRowFormat.FromUnixNano(r.GetInt64(1)),
            SpanRowFormat.FromUnixNano(r.GetInt64(2)),
            r.GetInt32(3),
            r.GetInt32(4),
            r.IsDBNull(5) ? null : r.GetString(5),
            r.IsDBNull(6) ? [] : r.GetString(6).Split(',').Order(StringComparer.Ordinal).ToArray()), cancellationToken, [.. args]).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<ServiceSummary>> ListServicesAsync(DateTimeOffset since, CancellationToken cancellationToken = default) =>
        QueryAsync(
            """
            SELECT service_name, COUNT(*), SUM(status_code = 2), COUNT(DISTINCT service_instance), MAX(start_ns)
            FROM spans WHERE start_ns >= $since GROUP BY service_name ORDER BY service_name
            """,
            r => new ServiceSummary(r.GetString(0), r.GetInt32(1), r.GetInt32(2), r.GetInt32(3), SpanRowFormat.FromUnixNano(r.GetInt64(4))),
            cancellationToken,
            ("$since", SpanRowFormat.ToUnixNano(since)));

    /// <inheritdoc />
    public Task<IReadOnlyList<ServiceEdge>> GetServiceEdgesAsync(DateTimeOffset since, CancellationToken cancellationToken = default) =>
        QueryAsync(
            """
            SELECT p.service_name, c.service_name, p.kind = 4 AS messaging, COUNT(*), SUM(c.status_code = 2)
            FROM spans c JOIN spans p ON p.trace_id = c.trace_id AND p.span_id = c.parent_span_id
            WHERE c.start_ns >= $since AND p.kind IN (3, 4) AND p.service_name <> c.service_name
            GROUP BY 1, 2, 3
            UNION ALL
            SELECT p.service_name, c.service_name, 1, COUNT(*), SUM(c.status_code = 2)
            FROM span_links l
                JOIN spans c ON c.trace_id = l.trace_id AND c.span_id = l.span_id
                JOIN spans p ON p.trace_id = l.linked_trace_id AND p.span_id = l.linked_span_id
            WHERE l.start_ns >= $since AND p.service_name <> c.service_name
            GROUP BY 1, 2
            """,
            r => new ServiceEdge(r.GetString(0), r.GetString(1), r.GetInt64(2) != 0, r.GetInt32(3), r.GetInt32(4)),
            cancellationToken,
            ("$since", SpanRowFormat.ToUnixNano(since)));

    /// <inheritdoc />
    public Task<IReadOnlyList<SyncActivity>> GetSyncActivityAsync(DateTimeOffset since, CancellationToken cancellationToken = default) =>
        QueryAsync(
            """
            SELECT json_extract(attributes, '$."gravity.database"') AS db, COUNT(*),
                   SUM(COALESCE(CAST(json_extract(attributes, '$."messaging.batch.message_count"') AS INTEGER), 0)),
                   SUM(status_code = 2), MAX(end_ns)
            FROM spans WHERE name = 'gravity.sync.apply' AND start_ns >= $since AND db IS NOT NULL
            GROUP BY db ORDER BY db
            """,
            r => new SyncActivity(r.GetString(0), r.GetInt32(1), r.GetInt64(2), r.GetInt32(3), SpanRowFormat.FromUnixNano(r.GetInt64(4))),
            cancellationToken,
            ("$since", SpanRowFormat.ToUnixNano(since)));

    /// <inheritdoc />
    public async Task<int> DeleteOlderThanAsync(DateTimeOffset cutoff, CancellationToken cancellationToken = default)
    {
        var total = 0;
        var cutoffNano = SpanRowFormat.ToUnixNano(cutoff);
        while (true)
        {
            // Small batches keep each write short, so ingestion never waits long behind a large sweep.
            var spans = await DeleteBatchAsync("spans", "start_ns", cutoffNano, cancellationToken).ConfigureAwait(false);
            var links = await DeleteBatchAsync("span_links", "start_ns", cutoffNano, cancellationToken).ConfigureAwait(false);
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
        var cutoffNano = SpanRowFormat.ToUnixNano(cutoff);
        int deleted;
        do
        {
            deleted = await DeleteBatchAsync("log_records", "time_ns", cutoffNano, cancellationToken).ConfigureAwait(false);
            total += deleted;
        }
        while (deleted > 0);

        return total;
    }

    /// <inheritdoc />
    public void Dispose() => writeLock.Dispose();

    private Task<IReadOnlyList<CollectedSpan>> QuerySpansAsync(string sql, CancellationToken cancellationToken, params (string Name, object Value)[] args) =>
        QueryAsync(sql, SpanRowFormat.Read, cancellationToken, args);

    private async Task<IReadOnlyList<T>> QueryAsync<T>(string sql, Func<SqliteDataReader, T> read, CancellationToken cancellationToken, params (string Name, object Value)[] args)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in args)
        {
            command.Parameters.AddWithValue(name, value);
        }

        var results = new List<T>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            results.Add(read(reader));
        }

        return results;
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<int> DeleteBatchAsync(string table, string timeColumn, long cutoffNano, CancellationToken cancellationToken)
    {
        await writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var command = connection.CreateCommand();
            command.CommandText = $"DELETE FROM {table} WHERE rowid IN (SELECT rowid FROM {table} WHERE {timeColumn} < $cutoff LIMIT 5000)";
            command.Parameters.AddWithValue("$cutoff", cutoffNano);
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            writeLock.Release();
        }
    }
}
