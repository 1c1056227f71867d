using System.Net.Http.Json;
using Twist.Testing;

namespace Twist.Docs.Snippets;

/// <summary>The code of src/Twist.Client.Testing/README.md.</summary>
public static class TwistClientTestingReadmeSnippets
{
    public static async Task CheckAsync(string token, CancellationToken cancellationToken)
    {
        #region snippet: twist-client-testing-readme-use
        using var kit = new ParticipantConformanceKit(new ParticipantConformanceOptions
        {
            BaseAddress = new Uri("http://127.0.0.1:5081"),          // or pass an HttpClient, e.g. WebApplicationFactory.CreateClient()
            TryPath = "/api/bank/debits",                              // or ParticipantName = "bank-debit" for /twist/participants/bank-debit
            CreateTryContent = _ => JsonContent.Create(new { account = "USER1", amount = 1 }),
            CreateFailingTryContent = _ => JsonContent.Create(new { account = "USER1", amount = 1_000_000 }),
            CoordinatorBearerToken = token,                            // what Twist:Participant:CoordinatorCredential expects
            Measures =
            {
                // What the handlers really did: a confirmed transaction moves each by confirmedChange, a cancelled one by 0.
                new ConformanceMeasure("available", ct => ReadBalanceAsync("USER1", ct), confirmedChange: -1),
                new ConformanceMeasure("spent", ct => ReadSpentAsync("USER1", ct), confirmedChange: 1),
            },
        });

        await kit.AssertConformsAsync(cancellationToken);              // throws ParticipantConformanceException with the report
        #endregion
    }

    // Stand-ins for the reads of the participant's own database the README's measures call.
    private static Task<decimal> ReadBalanceAsync(string account, CancellationToken cancellationToken) => Task.FromResult(0m);

    private static Task<decimal> ReadSpentAsync(string account, CancellationToken cancellationToken) => Task.FromResult(0m);
}
