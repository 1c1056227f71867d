using Twist.Coordinator.Storage;
using Twist.Transactions;

namespace Twist.Coordinator.Operations;

/// <summary>
/// The operator API: find transactions that need a human, inspect their participants and attempts, retry a parked
/// participant now, resolve one settled by hand, force-cancel an undecided transaction. Every manual action is
/// written to the audit log.
/// </summary>
public interface ITwistOperator
{
    /// <summary>Lists transactions, newest first.</summary>
    /// <param name="query">The filters.</param>
    /// <param name="cancellationToken">The token to cancel the call.</param>
    /// <returns>A page of transactions.</returns>
    Task<TransactionPage> ListAsync(TransactionQuery query, CancellationToken cancellationToken = default);

    /// <summary>Gets a transaction with its participants, attempt history and audit entries.</summary>
    /// <param name="tid">The transaction id.</param>
    /// <param name="cancellationToken">The token to cancel the call.</param>
    /// <returns>The details.</returns>
    /// <exception cref="Twist.Errors.TransactionNotFoundException">No transaction has that id.</exception>
    Task<TransactionDetails> GetDetailsAsync(string tid, CancellationToken cancellationToken = default);

    /// <summary>Gives a parked, heuristic or failing participant a fresh retry budget and delivers the decision now.</summary>
    /// <param name="tid">The transaction id.</param>
    /// <param name="participantId">The participant number.</param>
    /// <param name="context">Who asks and why (audited).</param>
    /// <param name="cancellationToken">The token to stop waiting for the delivery.</param>
    /// <returns>The transaction after the retry.</returns>
    /// <exception cref="Twist.Errors.TransactionNotFoundException">No transaction has that id.</exception>
    /// <exception cref="Twist.Errors.TwistException">The participant does not exist (<c>participant-not-found</c>).</exception>
    /// <exception cref="Twist.Errors.TransactionConflictException">The transaction is not decided, or the participant already finished.</exception>
    Task<TransactionInfo> RetryParticipantAsync(string tid, int participantId, OperatorContext context, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records that a parked or heuristic participant was settled by hand (the operator reconciled it with the
    /// participant's owners): it takes the transaction's decided outcome without another delivery, and the transaction
    /// finishes when it was the last one open. Use it when retrying cannot help, e.g. a participant that answers 409
    /// because its reservation expired and whose side was compensated manually.
    /// </summary>
    /// <param name="tid">The transaction id.</param>
    /// <param name="participantId">The participant number.</param>
    /// <param name="context">Who asks and why (audited); a reason is required.</param>
    /// <param name="cancellationToken">The token to stop waiting.</param>
    /// <returns>The transaction after the resolution.</returns>
    /// <exception cref="Twist.Errors.TransactionNotFoundException">No transaction has that id.</exception>
    /// <exception cref="Twist.Errors.TwistException">The participant does not exist (<c>participant-not-found</c>).</exception>
    /// <exception cref="Twist.Errors.TwistValidationException">No reason was given.</exception>
    /// <exception cref="Twist.Errors.TransactionConflictException">The transaction is not decided or already finished, or the participant is neither parked nor heuristic.</exception>
    Task<TransactionInfo> ResolveParticipantAsync(string tid, int participantId, OperatorContext context, CancellationToken cancellationToken = default);

    /// <summary>Cancels an undecided (Active) transaction now, without waiting for its deadline.</summary>
    /// <param name="tid">The transaction id.</param>
    /// <param name="context">Who asks and why (audited).</param>
    /// <param name="cancellationToken">The token to stop waiting for the deliveries.</param>
    /// <returns>The transaction after the decision.</returns>
    /// <exception cref="Twist.Errors.TransactionNotFoundException">No transaction has that id.</exception>
    /// <exception cref="Twist.Errors.TransactionConflictException">The transaction is already decided.</exception>
    Task<TransactionInfo> ForceCancelAsync(string tid, OperatorContext context, CancellationToken cancellationToken = default);

    /// <summary>Lists audit entries, newest first.</summary>
    /// <param name="tid">Only entries about this transaction, or null for all.</param>
    /// <param name="limit">The most entries to return (1..500).</param>
    /// <param name="cancellationToken">The token to cancel the call.</param>
    /// <returns>The entries.</returns>
    Task<IReadOnlyList<AuditEntry>> ListAuditAsync(string? tid, int limit = 100, CancellationToken cancellationToken = default);
}

/// <summary>Who performs an operator action, and why; both are written to the audit log.</summary>
/// <param name="Actor">The authenticated principal's name.</param>
/// <param name="Reason">The reason the operator gave, if any.</param>
public sealed record OperatorContext(string Actor, string? Reason);

/// <summary>A transaction with its attempt history and audit entries.</summary>
/// <param name="Transaction">The transaction and its participants.</param>
/// <param name="Attempts">Every delivery attempt, oldest first.</param>
/// <param name="Audit">The operator actions taken on it, newest first.</param>
public sealed record TransactionDetails(TransactionInfo Transaction, IReadOnlyList<ParticipantAttempt> Attempts, IReadOnlyList<AuditEntry> Audit);
