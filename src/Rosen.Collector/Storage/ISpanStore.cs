namespace Rosen.Collector.Storage;

/// <summary>
/// Where collected spans and log records live. The collector writes to it; the manager's pages read from it. SQLite is the default
/// (<see cref="SqliteSpanStore"/>); another database implements this interface and is registered before
/// <c>AddRosenCollector()</c>.
/// </summary>
public interface ISpanStore
{
    /// <summary>Creates the schema when it does not exist yet.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the store is ready.</returns>
    Task InitializeAsync(CancellationToken cancellationToken = default);

    /// <summary>Stores spans; a span already stored (same trace and span id) is kept as it is.</summary>
    /// <param name="spans">The spans.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>How many spans were new.</returns>
    Task<int> WriteAsync(IReadOnlyList<CollectedSpan> spans, CancellationToken cancellationToken = default);

    /// <summary>Stores log records; a record already stored (the same in every field) is kept once.</summary>
    /// <param name="records">The log records.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>How many records were new.</returns>
    Task<int> WriteLogsAsync(IReadOnlyList<CollectedLogRecord> records, CancellationToken cancellationToken = default);

    /// <summary>
    /// Gets the log records of one business transaction, oldest first: those about it (attribute
    /// <c>twist.transaction.id</c> or <c>Tid</c>) and those written inside one of its spans (for example the
    /// coordinator's delivery span, whose logs name no transaction) or inside a span that links to one of them.
    /// </summary>
    /// <param name="transactionId">The Twist transaction id.</param>
    /// <param name="limit">The most records to return; when there are more, the newest are kept.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The records; empty when none is stored.</returns>
    Task<IReadOnlyList<CollectedLogRecord>> GetTransactionLogsAsync(string transactionId, int limit = 500, CancellationToken cancellationToken = default);

    /// <summary>Gets every stored span of a trace, in start order.</summary>
    /// <param name="traceId">The trace id (32 hex digits).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The spans; empty when none is stored.</returns>
    Task<IReadOnlyList<CollectedSpan>> GetTraceAsync(string traceId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Gets the spans of one business transaction, in start order: those carrying its id, their direct children (for
    /// example the participant's server span under the coordinator's call), and the spans that link to any of them
    /// (for example the read-model updates that applied events it published).
    /// </summary>
    /// <param name="transactionId">The Twist transaction id.</param>
    /// <param name="limit">The most spans to return.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The spans; empty when none is stored.</returns>
    Task<IReadOnlyList<CollectedSpan>> GetTransactionSpansAsync(string transactionId, int limit = 2000, CancellationToken cancellationToken = default);

    /// <summary>Gets the spans that carry a Gravity event id, in start order.</summary>
    /// <param name="eventId">The event id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The spans; empty when none is stored.</returns>
    Task<IReadOnlyList<CollectedSpan>> GetEventSpansAsync(string eventId, CancellationToken cancellationToken = default);

    /// <summary>Lists business transactions, newest first.</summary>
    /// <param name="search">The filters.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>One page of summaries.</returns>
    Task<IReadOnlyList<TransactionSummary>> ListTransactionsAsync(TransactionSearch search, CancellationToken cancellationToken = default);

    /// <summary>Lists the services that emitted spans since a time.</summary>
    /// <param name="since">The start of the window.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The services, by name.</returns>
    Task<IReadOnlyList<ServiceSummary>> ListServicesAsync(DateTimeOffset since, CancellationToken cancellationToken = default);

    /// <summary>Derives the dependencies between services from the spans since a time.</summary>
    /// <param name="since">The start of the window.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The edges.</returns>
    Task<IReadOnlyList<ServiceEdge>> GetServiceEdgesAsync(DateTimeOffset since, CancellationToken cancellationToken = default);

    /// <summary>Summarises Gravity.Sync's apply spans per target database since a time.</summary>
    /// <param name="since">The start of the window.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>One entry per database.</returns>
    Task<IReadOnlyList<SyncActivity>> GetSyncActivityAsync(DateTimeOffset since, CancellationToken cancellationToken = default);

    /// <summary>Deletes the spans that started before a time.</summary>
    /// <param name="cutoff">Spans that started before it are deleted.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>How many spans were deleted.</returns>
    Task<int> DeleteOlderThanAsync(DateTimeOffset cutoff, CancellationToken cancellationToken = default);

    /// <summary>Deletes the log records written before a time.</summary>
    /// <param name="cutoff">Records written before it are deleted.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>How many records were deleted.</returns>
    Task<int> DeleteLogsOlderThanAsync(DateTimeOffset cutoff, CancellationToken cancellationToken = default);
}
