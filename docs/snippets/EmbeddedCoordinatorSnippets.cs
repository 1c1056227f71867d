using Twist;
using Twist.Client;
using Twist.Transactions;

namespace Twist.Docs.Snippets;

public static class EmbeddedCoordinatorSnippets
{
    public static void Register(WebApplicationBuilder builder, string participantToken)
    {
        #region snippet: embedded-coordinator
        builder.Services.AddTwistCoordinator(o =>
        {
            o.UseSqlite("data/twist-coordinator.db");
            o.AllowedParticipantHosts.Add("bank.internal");   // links may only point to listed hosts
            o.AllowedParticipantHosts.Add("*.svc.cluster.local");
            o.ParticipantCredential.BearerToken = participantToken; // sent with every Confirm/Cancel
        });
        #endregion
    }

    public static async Task<TransactionInfo> TransferAsync(ITwistCoordinator coordinator, HttpClient http, CancellationToken cancellationToken)
    {
        #region snippet: coordinator-api
        var tx = await coordinator.BeginAsync(TimeSpan.FromSeconds(30), cancellationToken);

        // Each participant's Try answers {"tid", "participantLink": {"uri", "expires"}}.
        var debit = await TryAsync(http, "http://bank.internal/api/bank/debits", tx.Tid, cancellationToken);
        var credit = await TryAsync(http, "http://game.internal/api/game/points", tx.Tid, cancellationToken);

        // The decision is durable before any participant hears of it; the call waits (bounded) for the participants.
        var result = await coordinator.ConfirmAsync(tx.Tid, [debit, credit], cancellationToken);
        // result.Status is Confirmed, or Confirming while a participant is still being retried.
        #endregion
        return result;
    }

    private static Task<ParticipantLink> TryAsync(HttpClient http, string uri, string tid, CancellationToken cancellationToken) =>
        throw new NotImplementedException("Illustration only: the sample's participants show a real Try.");
}
