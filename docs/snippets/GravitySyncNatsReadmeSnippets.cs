using Gravity.Sync.Events;

namespace Twist.Docs.Snippets;

/// <summary>The code of src/Gravity.Sync.Nats/README.md.</summary>
public static class GravitySyncNatsReadmeSnippets
{
    public static async Task UseAsync(WebApplicationBuilder builder, IGravityEventPublisher publisher)
    {
        #region snippet: gravity-sync-nats-readme-usage
        builder.Services.AddGravitySync(o => o.RulesFiles.Add("rules/rules.json"))
            .AddNatsJetStreamSource(o =>
            {
                o.Url = "nats://nats.internal:4222";
                o.StreamName = "GRAVITY_EVENTS";     // created with subjects gravity.events.> when missing
            })
            .AddNatsExporter("synced", o => o.Subject = "app.synced");   // rules: "exporter":["synced"]

        // In a publishing application (no synchronizer):
        builder.Services.AddGravityNatsPublisher(o => o.Url = "nats://nats.internal:4222");
        // ... then, anywhere:
        await publisher.PublishAsync(GravityEventData.FromJson("userCreated", """{"id":1,"name":"Fred"}"""));
        #endregion
    }
}
