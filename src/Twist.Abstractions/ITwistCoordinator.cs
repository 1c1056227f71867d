using Twist.Transactions;

namespace Twist;

/// <summary>
/// Begins, registers, confirms and cancels TCC transactions. The embedded coordinator implements it in-process (no
/// network hop); the remote client implements it over gRPC or REST. Callers never need to know which one they have.
/// </summary>
public interface ITwistCoordinator
{
    /// <summary>Begins a transaction.</summary>
    /// <param name="timeout">How long the transaction may stay undecided; <see langword="null"/> for the coordinator's default.</param>
    /// <param name="cancellationToken">The token to cancel the call (the transaction itself is not cancelled by it).</param>
    /// <returns>The new transaction, <see cref="TransactionStatus.Active"/>.</returns>
    /// <exception cref="Errors.TwistValidationException">The timeout is outside the coordinator's limits.</exception>
    Task<TransactionInfo> BeginAsync(TimeSpan? timeout = null, CancellationToken cancellationToken = default);

    /// <summary>Registers participant links with an active transaction; registering a link URI again is a no-op.</summary>
    /// <param name="tid">The transaction id.</param>
    /// <param name="links">The links that the participants' Try answers returned.</param>
    /// <param name="cancellationToken">The token to cancel the call.</param>
    /// <returns>The transaction with its participants.</returns>
    /// <exception cref="Errors.TransactionNotFoundException">No transaction has that id.</exception>
    /// <exception cref="Errors.TransactionConflictException">The transaction is already decided.</exception>
    /// <exception cref="Errors.TwistValidationException">A link is malformed or points to a host that is not allowed.</exception>
    Task<TransactionInfo> RegisterAsync(string tid, IReadOnlyList<ParticipantLink> links, CancellationToken cancellationToken = default);

    /// <summary>
    /// Decides to confirm (durably) and delivers Confirm to every participant, waiting a bounded time for them to answer.
    /// </summary>
    /// <param name="tid">The transaction id.</param>
    /// <param name="links">Links to register first (the seed's confirm shape); may be empty when registered before.</param>
    /// <param name="cancellationToken">The token to stop waiting; the decision, once made, stands.</param>
    /// <returns>
    /// The transaction, <see cref="TransactionStatus.Confirmed"/> or, when participants are still being retried,
    /// <see cref="TransactionStatus.Confirming"/>.
    /// </returns>
    /// <exception cref="Errors.TransactionConflictException">
    /// The transaction was cancelled, timed out, or a link had expired (the decision became Cancel).
    /// </exception>
    Task<TransactionInfo> ConfirmAsync(string tid, IReadOnlyList<ParticipantLink>? links = null, CancellationToken cancellationToken = default);

    /// <summary>Decides to cancel (durably) and delivers Cancel to every participant, waiting a bounded time.</summary>
    /// <param name="tid">The transaction id.</param>
    /// <param name="cancellationToken">The token to stop waiting; the decision, once made, stands.</param>
    /// <returns>The transaction, <see cref="TransactionStatus.Cancelled"/> or <see cref="TransactionStatus.Cancelling"/>.</returns>
    /// <exception cref="Errors.TransactionConflictException">The transaction was already confirmed.</exception>
    Task<TransactionInfo> CancelAsync(string tid, CancellationToken cancellationToken = default);

    /// <summary>Gets a transaction.</summary>
    /// <param name="tid">The transaction id.</param>
    /// <param name="cancellationToken">The token to cancel the call.</param>
    /// <returns>The transaction.</returns>
    /// <exception cref="Errors.TransactionNotFoundException">No transaction has that id.</exception>
    Task<TransactionInfo> GetAsync(string tid, CancellationToken cancellationToken = default);
}
