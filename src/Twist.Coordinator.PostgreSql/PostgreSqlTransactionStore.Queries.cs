using System.Globalization;
using System.Text;
using Npgsql;
using NpgsqlTypes;
using Twist.Coordinator.Storage;
using static Twist.Coordinator.PostgreSql.PostgreSqlRowReaders;
using static Twist.Coordinator.PostgreSql.PostgreSqlValues;

namespace Twist.Coordinator.PostgreSql;

/// <content>Transaction reads. Each is one statement, so it sees one snapshot without an explicit transaction.</content>
internal sealed partial class PostgreSqlTransactionStore
{
    private const int MaxPageSize = 500;

    /// <inheritdoc />
    public Task<StoredTransaction?> GetAsync(string tid, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tid);
        return GetCoreAsync(tid, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<ParticipantAttempt>> GetAttemptsAsync(string tid, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tid);
        return GetAttemptsCoreAsync(tid, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> ListExpiredActiveAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        return ListExpiredActiveCoreAsync(now, limit, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<StoredTransaction>> ListInFlightAsync(string? afterTid, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        return ListInFlightCoreAsync(afterTid, limit, cancellationToken);
    }

    /// <inheritdoc />
    public Task<TransactionPage> QueryAsync(TransactionQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        return QueryCoreAsync(query, cancellationToken);
    }

    private async Task<StoredTransaction?> GetCoreAsync(string tid, CancellationToken cancellationToken)
    {
        using var call = Enter();
        await using var command = _dataSource.CreateCommand(_sql.SelectTransactionWithParticipants).Text(tid);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var found = await ReadTransactionsWithParticipantsAsync(reader, cancellationToken).ConfigureAwait(false);
        return found.Count == 0 ? null : found[0];
    }

    private async Task<IReadOnlyList<ParticipantAttempt>> GetAttemptsCoreAsync(string tid, CancellationToken cancellationToken)
    {
        using var call = Enter();
        await using var command = _dataSource.CreateCommand(_sql.SelectAttempts).Text(tid);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var attempts = new List<ParticipantAttempt>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            attempts.Add(ReadAttempt(reader));
        }

        return attempts;
    }

    private async Task<IReadOnlyList<string>> ListExpiredActiveCoreAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken)
    {
        using var call = Enter();
        await using var command = _dataSource.CreateCommand(_sql.SelectExpiredActive).Time(now).Int(limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var tids = new List<string>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            tids.Add(reader.GetString(0));
        }

        return tids;
    }

    private async Task<IReadOnlyList<StoredTransaction>> ListInFlightCoreAsync(string? afterTid, int limit, CancellationToken cancellationToken)
    {
        using var call = Enter();

        // Every tid sorts after the empty string (COLLATE "C"), so the first page needs no special statement.
        await using var command = _dataSource.CreateCommand(_sql.SelectInFlight).Text(afterTid ?? string.Empty).Int(limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await ReadTransactionsWithParticipantsAsync(reader, cancellationToken).ConfigureAwait(false);
    }

    private async Task<TransactionPage> QueryCoreAsync(TransactionQuery query, CancellationToken cancellationToken)
    {
        var limit = Math.Clamp(query.Limit, 1, MaxPageSize);
        var after = query.ContinuationToken is { } token ? PostgreSqlContinuationToken.Decode(token) : (PostgreSqlContinuationToken?)null;
        using var call = Enter();
#pragma warning disable CA2100 // Built from constants and parameter placeholders only; every value travels as a parameter.
        await using var command = _dataSource.CreateCommand();
#pragma warning restore CA2100
        var sql = new StringBuilder(_sql.SelectTransactionsForQuery);
        if (query.Statuses.Count > 0)
        {
            var statuses = new int[query.Statuses.Count];
            for (var i = 0; i < statuses.Length; i++)
            {
                statuses[i] = (int)query.Statuses[i];
            }

            command.Parameters.Add(new NpgsqlParameter { Value = statuses, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer });
            sql.Append(Placeholder(" AND t.status = ANY(${0})", command));
        }

        if (query.Attention is { } attention)
        {
            command.Int((int)attention);
            sql.Append(Placeholder(" AND t.attention = ${0}", command));
        }

        if (query.CreatedBefore is { } before)
        {
            command.Time(before);
            sql.Append(Placeholder(" AND t.created_at < ${0}", command));
        }

        if (query.CreatedAfter is { } createdAfter)
        {
            command.Time(createdAfter);
            sql.Append(Placeholder(" AND t.created_at > ${0}", command));
        }

        if (after is { } cursor)
        {
            // A row comparison matches the (created_at DESC, tid DESC) index, so each page is an index range scan.
            command.Time(cursor.CreatedAt).Text(cursor.Tid);
            sql.Append(string.Create(
                CultureInfo.InvariantCulture,
                $" AND (t.created_at, t.tid) < (${command.Parameters.Count - 1}, ${command.Parameters.Count})"));
        }

        // One row more than the page tells whether there is a next page without a COUNT.
        command.Int(limit + 1);
        sql.Append(Placeholder(" ORDER BY t.created_at DESC, t.tid DESC LIMIT ${0}", command));
        command.CommandText = sql.ToString();

        var items = new List<StoredTransaction>(limit + 1);
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                items.Add(ReadTransaction(reader));
            }
        }

        if (items.Count <= limit)
        {
            return new TransactionPage(items, null);
        }

        items.RemoveAt(limit);
        return new TransactionPage(items, PostgreSqlContinuationToken.After(items[^1]).Encode());
    }

    /// <summary>Formats a clause with the number of the parameter just added.</summary>
    private static string Placeholder([System.Diagnostics.CodeAnalysis.StringSyntax("CompositeFormat")] string clause, NpgsqlCommand command) =>
        string.Format(CultureInfo.InvariantCulture, clause, command.Parameters.Count);
}
