namespace Twist.Docs.Snippets;

/// <summary>The code of src/Twist.Coordinator.Nats/README.md.</summary>
public static class TwistCoordinatorNatsReadmeSnippets
{
    public static void Register(WebApplicationBuilder builder)
    {
        #region snippet: twist-coordinator-nats-readme-usage
        builder.Services
            .AddTwistCoordinator(o => o.UseSqlite("twist.db"))
            .AddNatsEventOutput(o =>
            {
                o.Url = "nats://127.0.0.1:4222";
                o.UseJetStream = true;          // optional: stream TWIST_TRANSACTIONS, subjects twist.transaction.>
            })
            .ConfigureTransactionEvents(o => o.MaxAttempts = 5); // optional: queue size, retries, timeouts
        #endregion
    }
}
