using Twist.Coordinator.Storage;
using Twist.Transactions;

namespace Twist.Coordinator.Engine;

/// <summary>
/// The protocol's decision rule: a confirm stands only if the transaction is within its deadline and every
/// participant's reservation is still valid; otherwise the decision is cancel (presumed abort).
/// </summary>
internal static class DecisionRules
{
    public const string Requested = "requested";
    public const string Timeout = "timeout";
    public const string LinkExpired = "link-expired";
    public const string Operator = "operator";
    public const string TaskCancelled = "task-cancelled";

    public static Decision ForConfirm(StoredTransaction transaction, DateTimeOffset now)
    {
        if (now > transaction.ExpiresAt)
        {
            return new Decision(TransactionStatus.Cancelling, Timeout);
        }

        return transaction.Participants.Any(p => p.Expires < now)
            ? new Decision(TransactionStatus.Cancelling, LinkExpired)
            : new Decision(TransactionStatus.Confirming, null);
    }

    public static Decision ForCancel(string reason) => new(TransactionStatus.Cancelling, reason);
}
