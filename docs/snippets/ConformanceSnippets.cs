using System.Net.Http.Json;
using Twist.Testing;

namespace Twist.Docs.Snippets;

public static class ConformanceSnippets
{
    public static async Task CheckWalletAsync(Uri walletAddress, string coordinatorToken, Func<CancellationToken, Task<decimal>> readSpentAsync, CancellationToken cancellationToken)
    {
        #region snippet: participant-conformance
        using var kit = new ParticipantConformanceKit(new ParticipantConformanceOptions
        {
            BaseAddress = walletAddress,                 // or pass an HttpClient, e.g. WebApplicationFactory.CreateClient()
            ParticipantName = "wallet-debit",            // POST /twist/participants/wallet-debit
            CreateTryContent = _ => JsonContent.Create(new DebitRequest("USER1", 1)),
            CreateFailingTryContent = _ => JsonContent.Create(new DebitRequest("USER1", 1_000_000)),
            CoordinatorBearerToken = coordinatorToken,
            Measures = { new ConformanceMeasure("spent", readSpentAsync, confirmedChange: 1) },
        });
        await kit.AssertConformsAsync(cancellationToken); // throws with a readable report of what the handlers got wrong
        #endregion
    }
}
