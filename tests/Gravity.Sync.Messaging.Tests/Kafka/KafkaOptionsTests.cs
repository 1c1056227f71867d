using Gravity.Sync.Kafka;
using Gravity.Sync.Messaging.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Twist.Testing.Kafka;

namespace Gravity.Sync.Messaging.Tests.Kafka;

/// <summary>Kafka options are validated at start-up with every problem named; configuration binds strictly; a missing topic fails the start.</summary>
public sealed class KafkaOptionsTests
{
    private const string Rules = """{"rules":[{"event":"e","table":"t","method":"update","database":"views","mapping":[{"source":"id","target":"id","primary":true}]}]}""";

    [Fact]
    public async Task Invalid_options_stop_the_start_and_name_each_key()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => FileRulesHost.StartAsync(Rules, b => b.AddKafkaSource(o =>
        {
            o.BootstrapServers = "kafka://broker";
            o.Topic = "bad topic";
            o.Password = "secret";
        }).AddKafkaExporter("synced", o => o.Topic = "")));

        Assert.Contains("Gravity:Kafka:BootstrapServers is 'kafka://broker'", error.Message, StringComparison.Ordinal);
        Assert.Contains("Gravity:Kafka:Topic is 'bad topic'", error.Message, StringComparison.Ordinal);
        Assert.Contains("Username and Password go together", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", error.Message, StringComparison.Ordinal);
        Assert.Contains("Gravity:Kafka:Exporters:synced:Topic is ''", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Consumer_group_settings_out_of_range_stop_the_start_and_name_each_key()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => FileRulesHost.StartAsync(Rules, b => b.AddKafkaSource(o =>
        {
            o.GroupId = "group\u0001";
            o.SessionTimeout = TimeSpan.FromMilliseconds(200);
            o.PartitionAssignmentStrategy = (Confluent.Kafka.PartitionAssignmentStrategy)42;
        })));

        Assert.Contains("Gravity:Kafka:GroupId", error.Message, StringComparison.Ordinal);
        Assert.Contains("Gravity:Kafka:SessionTimeout is 00:00:00.2000000", error.Message, StringComparison.Ordinal);
        Assert.Contains("Gravity:Kafka:PartitionAssignmentStrategy is '42'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_topic_that_does_not_exist_fails_the_start_with_its_name()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => FileRulesHost.StartAsync(Rules, b => b.AddKafkaSource(o =>
        {
            o.BootstrapServers = KafkaMockCluster.BootstrapServers;
            o.Topic = "gravity-missing-" + Guid.NewGuid().ToString("N")[..8];
            o.MetadataTimeout = TimeSpan.FromSeconds(3);
        })));

        Assert.Contains("gravity-missing-", error.Message, StringComparison.Ordinal);
        Assert.Contains("Gravity:Kafka:Topic", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_configuration_section_binds_and_rejects_unknown_keys()
    {
        static ServiceProvider Bind(Dictionary<string, string?> values)
        {
            var services = new ServiceCollection();
            services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(values).Build());
            services.AddGravityKafkaPublisher();
            return services.BuildServiceProvider();
        }

        using var bound = Bind(new() { ["Gravity:Kafka:Topic"] = "orders", ["Gravity:Kafka:Exporters:synced:Topic"] = "orders.synced", ["Gravity:Kafka:SaslMechanism"] = "ScramSha512", ["Gravity:Kafka:KeyField"] = "orderId" });
        var options = bound.GetRequiredService<IOptions<GravityKafkaOptions>>().Value;
        Assert.Equal(("orders", "orders.synced", Confluent.Kafka.SaslMechanism.ScramSha512, "orderId"), (options.Topic, options.Exporters["synced"].Topic, options.SaslMechanism, options.KeyField));

        using var unknown = Bind(new() { ["Gravity:Kafka:Topics"] = "orders" });
        Assert.Throws<InvalidOperationException>(() => unknown.GetRequiredService<IOptions<GravityKafkaOptions>>().Value);
    }

    [Theory]
    [InlineData("""{"id":42,"name":"x"}""", "id", "42")]
    [InlineData("""{"id":"u-1"}""", "id", "u-1")]
    [InlineData("""{"name":"x"}""", "id", null)]
    [InlineData("{not json", "id", null)]
    [InlineData("""{"id":42}""", null, null)]
    public void The_publisher_keys_a_message_by_the_payloads_key_field(string payload, string? field, string? expected) =>
        Assert.Equal(expected, Gravity.Sync.Kafka.Internal.KafkaGravityEventPublisher.KeyOf(new Gravity.Sync.Events.GravityEventData { Name = "OrderPlaced", Payload = System.Text.Encoding.UTF8.GetBytes(payload) }, field));
}
