namespace Twist.Docs.Snippets;

/// <summary>The code of src/Twist.Coordinator.Kafka/README.md.</summary>
public static class TwistCoordinatorKafkaReadmeSnippets
{
    public static void Register(WebApplicationBuilder builder)
    {
        #region snippet: twist-coordinator-kafka-readme-usage
        builder.Services
            .AddTwistCoordinator(o => o.UseSqlite("twist.db"))
            .AddKafkaEventOutput(o =>
            {
                o.BootstrapServers = "kafka1:9092,kafka2:9092";
                o.Topic = "twist.transactions";   // must exist unless the cluster creates topics on first use
            })
            .ConfigureTransactionEvents(o => o.MaxAttempts = 5); // optional: queue size, retries, timeouts
        #endregion
    }
}
