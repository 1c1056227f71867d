using Gravity.Sync.Events;

namespace Twist.Docs.Snippets;

/// <summary>The code of src/Gravity.Sync.Kafka/README.md.</summary>
public static class GravitySyncKafkaReadmeSnippets
{
    public static async Task UseAsync(WebApplicationBuilder builder, IGravityEventPublisher publisher)
    {
        #region snippet: gravity-sync-kafka-readme-usage
        builder.Services.AddGravitySync(o => o.RulesFiles.Add("rules/rules.json"))
            .AddKafkaSource(o =>
            {
                o.BootstrapServers = "kafka1:9092,kafka2:9092";
                o.Topic = "gravity.events";              // must exist; its partitions are read in parallel
                o.GroupId = "gravity-sync";              // instances of one group share the partitions
            })
            .AddKafkaExporter("exporter1", o => o.Topic = "app.synced");   // rules: "exporter":["exporter1"]

        // In a publishing application (no synchronizer):
        builder.Services.AddGravityKafkaPublisher(o => o.BootstrapServers = "kafka1:9092");
        // ... then: the message key is Key, or the payload's "id" (KeyField), so a row's events share a partition.
        await publisher.PublishAsync(GravityEventData.FromJson("userCreated", """{"id":1,"name":"Fred"}"""));
        #endregion
    }
}
