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

    public static async Task ResolveAsync(ITwistOperator operations, string tid, int participantId, CancellationToken cancellationToken)
    {
        #region snippet: operator-resolve
        // The participant answered 409 (its reservation was gone) and finance booked the transfer by hand:
        // record it as settled, without another delivery. The reason is required and audited.
        var after = await operations.ResolveParticipantAsync(
            tid, participantId, new OperatorContext("alice@ops", "booked by hand, ticket FIN-1234"), cancellationToken);
        Console.WriteLine($"{after.Tid} is {after.Status}"); // Confirmed when it was the last open participant
        #endregion
    }
}
