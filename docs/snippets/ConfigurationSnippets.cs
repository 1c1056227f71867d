using Twist.Coordinator.Hosting;

namespace Twist.Docs.Snippets;

public static class ConfigurationSnippets
{
    public static void ClusterOptions(WebApplicationBuilder builder)
    {
        #region snippet: coordinator-cluster-options
        builder.Services
            .AddTwistCoordinator(o => o.UsePostgreSql(builder.Configuration.GetConnectionString("twist")!, pg => pg.Schema = "twist"))
            .ConfigureTransactionEvents(events => events.QueueCapacity = 50_000)
            .AddNatsEventOutput(nats =>
            {
                nats.Url = "nats://nats.internal:4222";
                nats.UseJetStream = true;
            });
        #endregion
    }

    public static void FromConfiguration(WebApplicationBuilder builder, string hmacKeyFromYourSecretStore)
    {
        #region snippet: coordinator-from-configuration
        builder.Services.AddTwistCoordinator(o =>
        {
            builder.Configuration.GetSection(TwistCoordinatorOptions.SectionName).Bind(o, binder => binder.ErrorOnUnknownConfiguration = true);
            o.ParticipantCredential.HmacKey = hmacKeyFromYourSecretStore; // code wins: it runs after the binding
        });
        #endregion
    }
}
