using Twist.Transactions;

namespace Twist.Coordinator.Storage;

/// <summary>
/// The coordinator's durable log. Every write method is atomic and durable when its task completes; the engine never
/// sends a Confirm or Cancel before <see cref="DecideAsync"/> has completed. Implementations: SQLite (default, group
/// commit through one writer) and, for clusters, PostgreSQL.
/// </summary>
public interface ITransactionStore : IAsyncDisposable
{
    /// <summary>Creates or upgrades the schema. Called once before any other method; safe to call again.</summary>
    /// <param name="cancellationToken">The token to cancel the call.</param>
    /// <returns>A task that completes when the store is ready.</returns>
    Task InitializeAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Gets whether this store is written by one coordinator instance only, through one ordered queue: a write
    /// accepted before another is never durable after it. The engine then acknowledges a begin before its row is
    /// durable (a later register or decision for the id cannot overtake it). Stores shared by several instances
    /// return <see langword="false"/>.
    /// </summary>
    /// <value>The default value is <see langword="false"/>.</value>
    bool IsSingleWriter => false;

    /// <summary>Persists a new <see cref="TransactionStatus.Active"/> transaction with no participants.</summary>
    /// <param name="transaction">The transaction.</param>
    /// <param name="cancellationToken">The token to cancel the call.</param>
    /// <returns>A task that completes when the row is durable.</returns>
    Task CreateAsync(StoredTransaction transaction, CancellationToken cancellationToken);

    /// <summary>
    /// Adds participants whose URI is not yet registered, but only while the transaction is
    /// <see cref="TransactionStatus.Active"/>; otherwise changes nothing.
    /// </summary>
    /// <param name="tid">The transaction id.</param>
    /// <param name="participants">The participants to add.</param>
    /// <param name="maxParticipants">The most participants a transaction may have.</param>
    /// <param name="cancellationToken">The token to cancel the call.</param>
    /// <returns>The transaction afterwards, or <see langword="null"/> when it does not exist.</returns>
    /// <exception cref="Twist.Errors.TwistValidationException">Adding them would exceed <paramref name="maxParticipants"/>; nothing was added.</exception>
    Task<StoredTransaction?> RegisterAsync(string tid, IReadOnlyList<NewParticipant> participants, int maxParticipants, CancellationToken cancellationToken);

    /// <summary>
    /// Atomically decides an <see cref="TransactionStatus.Active"/> transaction: adds <paramref name="additional"/>
    /// participants (as <see cref="RegisterAsync"/> would), calls <paramref name="decide"/> with the result and stores
    /// the decision with <paramref name="now"/> as its time. A transaction that is already decided is returned unchanged
    /// with <see cref="DecisionResult.Applied"/> false.
    /// </summary>
    /// <param name="tid">The transaction id.</param>
    /// <param name="additional">Participants to register first.</param>
    /// <param name="maxParticipants">The most participants a transaction may have.</param>
    /// <param name="decide">Chooses the decision from the transaction with all its participants.</param>
    /// <param name="now">The decision time.</param>
    /// <param name="cancellationToken">The token to cancel the call.</param>
    /// <returns>The result, or <see langword="null"/> when the transaction does not exist.</returns>
    Task<DecisionResult?> DecideAsync(
        string tid, IReadOnlyList<NewParticipant> additional, int maxParticipants, Func<StoredTransaction, Decision> decide,
        DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Records delivery attempts (each updates its participant's status, attempt count, last error and next attempt
    /// time, and is appended to the attempt history), recomputes the transaction's attention flag, and, when
    /// <paramref name="completeAs"/> is given, finishes the transaction in the same atomic write.
    /// </summary>
    /// <remarks>
    /// A store shared by several instances (<see cref="ITransactionLeaseStore"/>) makes the write conditional on the
    /// transaction still having <paramref name="epoch"/>: an instance that lost the transaction to another cannot
    /// overwrite what the new owner records. Single-writer stores have no epochs and ignore it.
    /// </remarks>
    /// <param name="tid">The transaction id.</param>
    /// <param name="epoch">The <see cref="StoredTransaction.Epoch"/> the caller drives the transaction under.</param>
    /// <param name="attempts">The attempts, possibly empty.</param>
    /// <param name="completeAs"><see cref="TransactionStatus.Confirmed"/> or <see cref="TransactionStatus.Cancelled"/> to finish the transaction; null to leave it in flight.</param>
    /// <param name="now">The time of the write.</param>
    /// <param name="cancellationToken">The token to cancel the call.</param>
    /// <returns>A task that completes when the write is durable.</returns>
    /// <exception cref="TransactionLeaseLostException">The transaction's epoch is no longer <paramref name="epoch"/>; nothing was written.</exception>
    Task RecordAttemptsAsync(
        string tid, long epoch, IReadOnlyList<ParticipantAttempt> attempts, TransactionStatus? completeAs, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Gets a transaction with its participants.</summary>
    /// <param name="tid">The transaction id.</param>
    /// <param name="cancellationToken">The token to cancel the call.</param>
    /// <returns>The transaction, or <see langword="null"/>.</returns>
    Task<StoredTransaction?> GetAsync(string tid, CancellationToken cancellationToken);

    /// <summary>Gets a transaction's attempt history, oldest first.</summary>
    /// <param name="tid">The transaction id.</param>
    /// <param name="cancellationToken">The token to cancel the call.</param>
    /// <returns>The attempts.</returns>
    Task<IReadOnlyList<ParticipantAttempt>> GetAttemptsAsync(string tid, CancellationToken cancellationToken);

    /// <summary>Lists ids of <see cref="TransactionStatus.Active"/> transactions whose deadline is before <paramref name="now"/>, oldest deadline first.</summary>
    /// <param name="now">The current time.</param>
    /// <param name="limit">The most ids to return.</param>
    /// <param name="cancellationToken">The token to cancel the call.</param>
    /// <returns>The ids.</returns>
    Task<IReadOnlyList<string>> ListExpiredActiveAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken);

    /// <summary>Lists decided but unfinished transactions (Confirming or Cancelling) with participants, ordered by id, after <paramref name="afterTid"/>.</summary>
    /// <param name="afterTid">The last id of the previous page, or null.</param>
    /// <param name="limit">The page size.</param>
    /// <param name="cancellationToken">The token to cancel the call.</param>
    /// <returns>The transactions.</returns>
    Task<IReadOnlyList<StoredTransaction>> ListInFlightAsync(string? afterTid, int limit, CancellationToken cancellationToken);

    /// <summary>Lists transactions for operators (without participants).</summary>
    /// <param name="query">The filters.</param>
    /// <param name="cancellationToken">The token to cancel the call.</param>
    /// <returns>A page.</returns>
    Task<TransactionPage> QueryAsync(TransactionQuery query, CancellationToken cancellationToken);

    /// <summary>
    /// Gives a participant a fresh retry budget: status <see cref="ParticipantStatus.Failed"/>, zero attempts, next
    /// attempt now; recomputes the attention flag. Only for participants that are not Confirmed or Cancelled.
    /// </summary>
    /// <param name="tid">The transaction id.</param>
    /// <param name="participantId">The participant number.</param>
    /// <param name="now">The current time.</param>
    /// <param name="cancellationToken">The token to cancel the call.</param>
    /// <returns>The participant before the reset, or <see langword="null"/> when it does not exist.</returns>
    Task<StoredParticipant?> ResetParticipantAsync(string tid, int participantId, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Appends an operator action to the audit log.</summary>
    /// <param name="entry">The entry; its id is assigned by the store.</param>
    /// <param name="cancellationToken">The token to cancel the call.</param>
    /// <returns>A task that completes when the entry is durable.</returns>
    Task AppendAuditAsync(AuditEntry entry, CancellationToken cancellationToken);

    /// <summary>Lists audit entries, newest first.</summary>
    /// <param name="tid">Only entries about this transaction, or null for all.</param>
    /// <param name="limit">The most entries to return.</param>
    /// <param name="cancellationToken">The token to cancel the call.</param>
    /// <returns>The entries.</returns>
    Task<IReadOnlyList<AuditEntry>> ListAuditAsync(string? tid, int limit, CancellationToken cancellationToken);

    /// <summary>Deletes finished transactions (with participants and attempts) completed before <paramref name="completedBefore"/>.</summary>
    /// <param name="completedBefore">The cut-off.</param>
    /// <param name="batchSize">The most transactions to delete in one call.</param>
    /// <param name="cancellationToken">The token to cancel the call.</param>
    /// <returns>How many transactions were deleted.</returns>
    Task<int> PurgeFinishedAsync(DateTimeOffset completedBefore, int batchSize, CancellationToken cancellationToken);

    /// <summary>Deletes operator audit entries recorded before <paramref name="recordedBefore"/>, oldest first.</summary>
    /// <param name="recordedBefore">The cut-off.</param>
    /// <param name="batchSize">The most entries to delete in one call.</param>
    /// <param name="cancellationToken">The token to cancel the call.</param>
    /// <returns>How many entries were deleted.</returns>
    Task<int> PurgeAuditAsync(DateTimeOffset recordedBefore, int batchSize, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes Brobridge v1 tasks that were never bound to a transaction and expired before <paramref name="expiredBefore"/>
    /// (bound tasks go with their transaction in <see cref="PurgeFinishedAsync"/>).
    /// </summary>
    /// <param name="expiredBefore">The cut-off.</param>
    /// <param name="batchSize">The most tasks to delete in one call.</param>
    /// <param name="cancellationToken">The token to cancel the call.</param>
    /// <returns>How many tasks were deleted.</returns>
    Task<int> PurgeUnboundTasksAsync(DateTimeOffset expiredBefore, int batchSize, CancellationToken cancellationToken);

    /// <summary>Persists a new Brobridge v1 task.</summary>
    /// <param name="task">The task.</param>
    /// <param name="cancellationToken">The token to cancel the call.</param>
    /// <returns>A task that completes when the row is durable.</returns>
    Task CreateTaskAsync(StoredTask task, CancellationToken cancellationToken);

    /// <summary>Gets a Brobridge v1 task.</summary>
    /// <param name="id">The task id.</param>
    /// <param name="cancellationToken">The token to cancel the call.</param>
    /// <returns>The task, or <see langword="null"/>.</returns>
    Task<StoredTask?> GetTaskAsync(string id, CancellationToken cancellationToken);

    /// <summary>Updates a Brobridge v1 task's status and, when given, the transaction it belongs to.</summary>
    /// <param name="id">The task id.</param>
    /// <param name="status">The v1 status string.</param>
    /// <param name="tid">The transaction, or null to leave it unchanged.</param>
    /// <param name="cancellationToken">The token to cancel the call.</param>
    /// <returns>Whether the task exists.</returns>
    Task<bool> UpdateTaskAsync(string id, string status, string? tid, CancellationToken cancellationToken);
}
