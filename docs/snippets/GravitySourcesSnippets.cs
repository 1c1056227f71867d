using Gravity.Sync.Events;

namespace Twist.Docs.Snippets;

public static class GravitySourcesSnippets
{
    public static void NatsSource(WebApplicationBuilder builder)
    {
        #region snippet: gravity-nats-source
        builder.Services.AddGravitySync(o =>
            {
                o.RulesFiles.Add("rules/rules.json");
                o.DatabasesFile = "rules/databases.json";
            })
            .AddPostgreSql()
            .AddNatsJetStreamSource(nats =>
            {
                nats.Url = "nats://nats.internal:4222";
                nats.StreamName = "GRAVITY_EVENTS";      // created with subjects gravity.events.> when missing
                nats.ConsumerName = "gravity-sync";      // acknowledged after every database committed
            })
            .AddNatsExporter("synced", exporter => exporter.Subject = "app.synced")   // rules: "exporter":["synced"]
            .AddSqliteOutboxRelay("Data Source=app.db");                              // the outbox now relays into the stream
        #endregion
    }

    public static void KafkaSource(WebApplicationBuilder builder)
    {
        #region snippet: gravity-kafka-source
        builder.Services.AddGravitySync(o => o.RulesFiles.Add("rules/rules.json"))
            .AddKafkaSource(kafka =>
            {
                kafka.BootstrapServers = "kafka1:9092,kafka2:9092";
                kafka.Topic = "gravity.events";          // must exist; each partition is an ordered source
                kafka.GroupId = "gravity-sync";          // instances of one group share the partitions
            })
            .AddKafkaExporter();                         // serves exporter.json entries of "type": "kafka"
        #endregion
    }

    public static async Task PublishAsync(WebApplicationBuilder builder, IGravityEventPublisher publisher, User user)
    {
        #region snippet: gravity-publishers
        // A service that only publishes: pick the broker the synchronizer reads.
        builder.Services.AddGravityNatsPublisher(nats => nats.Url = "nats://nats.internal:4222");
        // or: builder.Services.AddGravityKafkaPublisher(kafka => kafka.BootstrapServers = "kafka1:9092");

        // Anywhere in that service (IGravityEventPublisher from DI); the caller's trace context travels along.
        await publisher.PublishAsync(GravityEventData.FromJson("userCreated", $$"""{"id":{{user.Id}},"name":"{{user.Name}}"}""", key: user.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        #endregion
    }

    public sealed record User(int Id, string Name);
}
