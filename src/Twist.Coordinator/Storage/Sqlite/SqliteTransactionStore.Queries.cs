using System.Globalization;
using System.Text;
using Twist.Transactions;
using static Twist.Coordinator.Storage.Sqlite.SqliteRowReaders;
using static Twist.Coordinator.Storage.Sqlite.SqliteValues;

namespace Twist.Coordinator.Storage.Sqlite;

/// <content>Transaction reads, each on a pooled read-only connection inside one snapshot.</content>
internal sealed partial class SqliteTransactionStore
{
    private const int MaxPageSize = 500;

    private const string SelectAttempts =
        "SELECT " + AttemptColumns + " FROM attempts WHERE tid = $tid ORDER BY id";

    // status = 0 (Active) as spelled in ix_transactions_active_expires.
    private const string SelectExpiredActive =
        "SELECT tid FROM transactions WHERE status = 0 AND expires_at < $now ORDER BY expires_at, tid LIMIT $limit";

    // status IN (1, 3) = Confirming or Cancelling, as spelled in ix_transactions_in_flight.
    private const string SelectInFlightPage =
        "SELECT tid FROM transactions WHERE status IN (1, 3) AND tid > $after ORDER BY tid LIMIT $limit";

    private const string SelectInFlight =
        "SELECT " + TransactionColumns + " FROM transactions WHERE tid IN (" + SelectInFlightPage + ") ORDER BY tid";

    // Loads the whole page's participants in one statement instead of one query per transaction.
    private const string SelectInFlightParticipants =
        "SELECT " + ParticipantColumns + " FROM participants WHERE tid IN (" + SelectInFlightPage + ") ORDER BY tid, id";

    /// <inheritdoc />
    public Task<StoredTransaction?> GetAsync(string tid, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tid);
        return Read(session => LoadTransaction(session, tid), cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<ParticipantAttempt>> GetAttemptsAsync(string tid, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tid);
        return Read<IReadOnlyList<ParticipantAttempt>>(
            session =>
            {
                var attempts = new List<ParticipantAttempt>();
                using var reader = session.Command(SelectAttempts).With("$tid", tid).ExecuteReader();
                while (reader.Read())
                {
                    attempts.Add(ReadAttempt(reader));
                }

                return attempts;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> ListExpiredActiveAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        return Read<IReadOnlyList<string>>(
            session =>
            {
                var tids = new List<string>();
                using var reader = session.Command(SelectExpiredActive).With("$now", ToUnixMs(now)).With("$limit", limit).ExecuteReader();
                while (reader.Read())
                {
                    tids.Add(reader.GetString(0));
                }

                return tids;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<StoredTransaction>> ListInFlightAsync(string? afterTid, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);

        // Every tid sorts after the empty string, so the first page needs no special statement.
        var after = afterTid ?? string.Empty;
        return Read<IReadOnlyList<StoredTransaction>>(
            session =>
            {
                var transactions = new List<StoredTransaction>();
                var participants = new Dictionary<string, List<StoredParticipant>>(StringComparer.Ordinal);
                using (var reader = session.Command(SelectInFlight).With("$after", after).With("$limit", limit).ExecuteReader())
                {
                    while (reader.Read())
                    {
                        var transaction = ReadTransaction(reader);
                        var list = new List<StoredParticipant>();
                        participants.Add(transaction.Tid, list);
                        transactions.Add(transaction with { Participants = list });
                    }
                }

                if (transactions.Count > 0)
                {
                    using var reader = session.Command(SelectInFlightParticipants).With("$after", after).With("$limit", limit).ExecuteReader();
                    while (reader.Read())
                    {
                        participants[reader.GetString(0)].Add(ReadParticipant(reader));
                    }
                }

                return transactions;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<TransactionPage> QueryAsync(TransactionQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var limit = Math.Clamp(query.Limit, 1, MaxPageSize);
        var after = query.ContinuationToken is { } token ? SqliteContinuationToken.Decode(token) : (SqliteContinuationToken?)null;
        return Read(
            session =>
            {
                var command = session.Command(BuildQuery(query, after is not null));
                for (var i = 0; i < query.Statuses.Count; i++)
                {
                    command.With(StatusParameter(i), (int)query.Statuses[i]);
                }

                command
                    .With("$attention", query.Attention is { } attention ? (int)attention : null)
                    .With("$created_before", ToUnixMs(query.CreatedBefore))
                    .With("$created_after", ToUnixMs(query.CreatedAfter))
                    .With("$after_created_at", after?.CreatedAtMs)
                    .With("$after_tid", after?.Tid)
                    .With("$limit", limit + 1);

                // One row more than the page tells whether there is a next page without a COUNT.
                var items = new List<StoredTransaction>(limit + 1);
                using (var reader = command.ExecuteReader())
                {
                    while (reader.Read())
                    {
                        items.Add(ReadTransaction(reader));
                    }
                }

                if (items.Count <= limit)
                {
                    return new TransactionPage(items, null);
                }

                items.RemoveAt(limit);
                var last = items[^1];
                return new TransactionPage(items, new SqliteContinuationToken(ToUnixMs(last.CreatedAt), last.Tid).Encode());
            },
            cancellationToken);
    }

    private static string BuildQuery(TransactionQuery query, bool hasToken)
    {
        var sql = new StringBuilder("SELECT " + TransactionColumns + " FROM transactions WHERE 1 = 1");
        if (query.Statuses.Count > 0)
        {
            sql.Append(" AND status IN (");
            for (var i = 0; i < query.Statuses.Count; i++)
            {
                sql.Append(i == 0 ? string.Empty : ", ").Append(StatusParameter(i));
            }

            sql.Append(')');
        }

        sql.Append(query.Attention is null ? string.Empty : " AND attention = $attention")
            .Append(query.CreatedBefore is null ? string.Empty : " AND created_at < $created_before")
            .Append(query.CreatedAfter is null ? string.Empty : " AND created_at > $created_after")
            .Append(hasToken ? " AND (created_at, tid) < ($after_created_at, $after_tid)" : string.Empty)
            .Append(" ORDER BY created_at DESC, tid DESC LIMIT $limit");
        return sql.ToString();
    }

    private static string StatusParameter(int index) => string.Create(CultureInfo.InvariantCulture, $"$status{index}");
}
