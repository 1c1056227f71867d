using System.Net.Http.Json;
using Twist.Client;
using Twist.Participants;

namespace Twist.Docs.Snippets;

/// <summary>The code of src/Twist.Client/README.md.</summary>
public static class TwistClientReadmeSnippets
{
    public static async Task CallerAsync(IServiceCollection services, string apiKey, ITwistClient twist, HttpClient http, Uri bankTryUri, DebitRequest debit)
    {
        #region snippet: twist-client-readme-caller
        services.AddTwistClient(o =>                       // or the "Twist:Client" configuration section
        {
            o.Coordinator = TwistCoordinatorKind.Grpc;     // Embedded (default) uses AddTwistCoordinator's ITwistCoordinator
            o.Address = new Uri("http://127.0.0.1:5080");
            o.ApiKey = apiKey;                             // sent as X-Api-Key; redacted from logs
        });
        services.AddHttpClient("participants").AddTwistTransactionPropagation();

        await using var tx = await twist.BeginAsync(TimeSpan.FromSeconds(30));
        await http.PostAsJsonAsync(bankTryUri, debit);     // Twist-Transaction-ID / Twist-Deadline added, link registered
        await tx.ConfirmAsync();                           // disposing without ConfirmAsync/CancelAsync cancels
        #endregion
    }

    public static void Participants(WebApplicationBuilder builder, string token, string hmacKey)
    {
        #region snippet: twist-client-readme-participants
        builder.Services.AddTwistParticipants();                 // generated from your [TccParticipant] classes
        builder.Services.AddTwistParticipantOptions(o =>          // or the "Twist:Participant" configuration section
        {
            o.CoordinatorCredential.BearerToken = token;          // what the coordinator's ParticipantCredential sends
            o.CoordinatorCredential.HmacKey = hmacKey;
        }).UseSqliteGuard("Data Source=wallet.db");               // or .UseGuard(npgsqlDataSource)
        var app = builder.Build();
        app.MapTwistParticipants();
        #endregion
    }

    public static void ByHand(IServiceCollection services)
    {
        #region snippet: twist-client-readme-participant-by-hand
        services.AddTwistParticipant(new TccParticipantRegistration<WalletDebit, DebitRequest, Reservation>(
            "wallet-debit",
            static (p, r, c, t) => p.ReserveAsync(r, c, t),
            static (p, c, t) => p.CommitAsync(c, t),
            static (p, c, t) => p.ReleaseAsync(c, t)));
        #endregion
    }
}
