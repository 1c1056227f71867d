using Twist.Client;

namespace Twist.Docs.Snippets;

public static class ReadmeSnippets
{
    public static async Task EmbeddedCoordinatorAsync(WebApplicationBuilder builder, string secretFromYourStore, ITwistClient twist, HttpClient http)
    {
        #region snippet: readme-embedded-coordinator
        builder.Services.AddTwistCoordinator(o =>
        {
            o.UseSqlite("data/twist-coordinator.db");
            o.AllowedParticipantHosts.Add("bank.internal");           // links may only point to listed hosts
            o.AllowedParticipantHosts.Add("game.internal");
            o.ParticipantCredential.BearerToken = secretFromYourStore; // sent to participants on Confirm/Cancel
        });
        builder.Services.AddTwistClient();                             // Twist:Client:Coordinator defaults to Embedded
        builder.Services.AddHttpClient("participants").AddTwistTransactionPropagation();

        // In the caller:
        await using var tx = await twist.BeginAsync(TimeSpan.FromSeconds(30));
        await http.PostAsJsonAsync("http://bank.internal/api/bank/debits", new { account = "USER1", amount = 100 }); // Try
        await http.PostAsJsonAsync("http://game.internal/api/game/points", new { user = "USER1", points = 100 });    // Try
        await tx.ConfirmAsync();   // leaving the block without ConfirmAsync cancels instead
        #endregion
    }
}
