namespace Twist.Transactions;

/// <summary>Answers common questions about a <see cref="TransactionStatus"/>.</summary>
public static class TransactionStatusExtensions
{
    /// <summary>Returns whether the decision (confirm or cancel) has been made and is durable.</summary>
    /// <param name="status">The status to test.</param>
    /// <returns><see langword="true"/> for every status except <see cref="TransactionStatus.Active"/>.</returns>
    public static bool IsDecided(this TransactionStatus status) => status != TransactionStatus.Active;

    /// <summary>Returns whether no further participant call will be made.</summary>
    /// <param name="status">The status to test.</param>
    /// <returns><see langword="true"/> for <see cref="TransactionStatus.Confirmed"/> and <see cref="TransactionStatus.Cancelled"/>.</returns>
    public static bool IsFinished(this TransactionStatus status) =>
        status is TransactionStatus.Confirmed or TransactionStatus.Cancelled;

    /// <summary>Returns whether the decision was to confirm.</summary>
    /// <param name="status">The status to test.</param>
    /// <returns><see langword="true"/> for <see cref="TransactionStatus.Confirming"/> and <see cref="TransactionStatus.Confirmed"/>.</returns>
    public static bool IsConfirmDecision(this TransactionStatus status) =>
        status is TransactionStatus.Confirming or TransactionStatus.Confirmed;
}
