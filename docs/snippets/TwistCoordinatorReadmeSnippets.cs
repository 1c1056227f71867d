using Twist.Client;

namespace Twist.Docs.Snippets;

/// <summary>The code of src/Twist.Coordinator/README.md.</summary>
public static class TwistCoordinatorReadmeSnippets
{
    public static void Register(WebApplicationBuilder builder, string secretFromYourStore)
    {
        #region snippet: twist-coordinator-readme-register
        builder.Services.AddTwistCoordinator(o =>
        {
            o.UseSqlite("data/twist-coordinator.db");                 // the default store: WAL, synchronous=FULL, group commit
            o.AllowedParticipantHosts.Add("bank.internal");           // links may only point to listed hosts
            o.ParticipantCredential.BearerToken = secretFromYourStore; // sent to participants on Confirm/Cancel
        });
        #endregion
    }

    public static async Task CallAsync(WebApplicationBuilder builder, ITwistClient twist)
    {
        #region snippet: twist-coordinator-readme-call
        builder.Services.AddTwistClient();   // Twist:Client:Coordinator defaults to Embedded: the coordinator above

        // In the caller, with ITwistClient twist injected:
        await using var tx = await twist.BeginAsync(TimeSpan.FromSeconds(30));
        // ... each participant's Try answer registers its link with tx ...
        await tx.ConfirmAsync();   // leaving the block without ConfirmAsync cancels instead
        #endregion
    }
}
