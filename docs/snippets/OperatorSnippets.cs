using Twist.Coordinator.Operations;
using Twist.Coordinator.Storage;
using Twist.Transactions;

namespace Twist.Docs.Snippets;

public static class OperatorSnippets
{
    public static async Task RetryParkedAsync(ITwistOperator operations, CancellationToken cancellationToken)
    {
        #region snippet: operator-retry
        var parked = await operations.ListAsync(new TransactionQuery { Attention = TransactionAttention.Parked }, cancellationToken);
        foreach (var transaction in parked.Items)
        {
            var details = await operations.GetDetailsAsync(transaction.Tid, cancellationToken);
            foreach (var participant in details.Transaction.Participants.Where(p => p.Status == ParticipantStatus.Parked))
            {
                // Gives the participant a fresh retry budget and delivers the decision now; audited with actor and reason.
                await operations.RetryParticipantAsync(
                    transaction.Tid, participant.Id, new OperatorContext("alice@ops", "bank back after maintenance"), cancellationToken);
            }
        }
        #endregion
    }
}
