using Twist.Transactions;

namespace Twist.Errors;

/// <summary>
/// Thrown when a request contradicts the transaction's state: confirming a cancelled or timed-out transaction,
/// cancelling a confirmed one, or registering participants after the decision.
/// </summary>
public sealed class TransactionConflictException : TwistException
{
    /// <summary>Initializes a new instance of the <see cref="TransactionConflictException"/> class.</summary>
    /// <param name="transaction">The transaction as it stands.</param>
    /// <param name="message">What was asked and why it cannot be done.</param>
    public TransactionConflictException(TransactionInfo transaction, string message)
        : base(TwistErrorCodes.TransactionConflict, message)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        Transaction = transaction;
        Tid = transaction.Tid;
    }

    /// <summary>Gets the transaction as it stands, including its outcome.</summary>
    public TransactionInfo Transaction { get; }
}
