using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NATS.Client.Core;
using Twist.Coordinator.Api.Tests.Infrastructure;
using Twist.Coordinator.Events;
using Twist.Testing.Kafka;
using Twist.Transactions;

namespace Twist.Coordinator.Api.Tests;

/// <summary>
/// The host's event outputs from configuration: <c>Twist:Coordinator:EventOutput</c> picks NATS and/or Kafka, each
/// configured in its own section, as an operator would set them (environment variables or appsettings).
/// </summary>
public sealed class HostEventOutputTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task EventOutput_Kafka_publishes_the_lifecycle_to_the_configured_topic()
    {
        var topic = KafkaMockCluster.CreateTopic(1, "twist-host");
        await using var participant = await ParticipantApp.StartAsync();
        await using var host = await CoordinatorHost.StartAsync(new Dictionary<string, string?>
        {
            ["Twist:Coordinator:EventOutput"] = "Kafka",
            ["Twist:Coordinator:Kafka:BootstrapServers"] = KafkaMockCluster.BootstrapServers,
            ["Twist:Coordinator:Kafka:Topic"] = topic,
            ["Twist:Coordinator:Kafka:DeliveryTimeout"] = "00:00:20",
            ["Twist:Coordinator:Events:QueueCapacity"] = "100",
        });

        var tid = await ConfirmOneAsync(host, participant);

        var kinds = KafkaTopicReader.Read(topic, 1, r => r.Any(m => m.Message.Key == tid && m.Header("Twist-Event") == "Completed"), Ct)
            .Where(m => m.Message.Key == tid).Select(m => TransactionEventJson.Deserialize(m.Message.Value).Kind);
        Assert.Equal([TransactionEventKind.Begun, TransactionEventKind.ParticipantRegistered, TransactionEventKind.Decided, TransactionEventKind.ParticipantConfirmed, TransactionEventKind.Completed], kinds);
        Assert.Equal(100, host.App.Services.GetRequiredService<IOptions<TransactionEventOptions>>().Value.QueueCapacity);
    }

    [Fact]
    public async Task EventOutput_Nats_and_Kafka_publishes_to_both()
    {
        var url = NatsUrl();
        var topic = KafkaMockCluster.CreateTopic(1, "twist-host");
        var prefix = $"twisthost.{Guid.NewGuid():N}";
        await using var nats = new NatsConnection(NatsOpts.Default with { Url = url });
        await using var subscription = await nats.SubscribeCoreAsync<byte[]>(prefix + ".>", cancellationToken: Ct);
        await nats.PingAsync(Ct);
        await using var participant = await ParticipantApp.StartAsync();
        await using var host = await CoordinatorHost.StartAsync(new Dictionary<string, string?>
        {
            ["Twist:Coordinator:EventOutput"] = "nats, kafka",
            ["Twist:Coordinator:Nats:Url"] = url,
            ["Twist:Coordinator:Nats:SubjectPrefix"] = prefix,
            ["Twist:Coordinator:Kafka:BootstrapServers"] = KafkaMockCluster.BootstrapServers,
            ["Twist:Coordinator:Kafka:Topic"] = topic,
        });

        var tid = await ConfirmOneAsync(host, participant);

        var overNats = new List<TransactionEventKind>();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        deadline.CancelAfter(TimeSpan.FromSeconds(20));
        await foreach (var message in subscription.Msgs.ReadAllAsync(deadline.Token))
        {
            overNats.Add(TransactionEventJson.Deserialize(message.Data).Kind);
            if (overNats[^1] == TransactionEventKind.Completed)
            {
                break;
            }
        }

        var overKafka = KafkaTopicReader.Read(topic, 1, r => r.Any(m => m.Header("Twist-Event") == "Completed"), Ct).Select(m => TransactionEventJson.Deserialize(m.Message.Value).Kind);
        Assert.Equal(5, overNats.Count);
        Assert.Equal(overNats, overKafka);
        Assert.Equal(2, host.App.Services.GetServices<ITransactionEventSink>().Count());
        Assert.NotNull(tid);
    }

    [Fact]
    public async Task No_EventOutput_registers_no_sink_and_the_output_sections_do_not_reach_the_engine_options()
    {
        await using var host = await CoordinatorHost.StartAsync(new Dictionary<string, string?>
        {
            ["Twist:Coordinator:Nats:Url"] = "nats://ignored:4222",
            ["Twist:Coordinator:Kafka:Topic"] = "ignored",
        });

        Assert.Empty(host.App.Services.GetServices<ITransactionEventSink>());
    }

    [Fact]
    public async Task An_unknown_event_output_fails_at_start_listing_the_choices()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(
            () => CoordinatorHost.StartAsync(new Dictionary<string, string?> { ["Twist:Coordinator:EventOutput"] = "Nats,Rabbit" }));

        Assert.Contains("Twist:Coordinator:EventOutput is 'Nats,Rabbit'; 'Rabbit' is not an event output", error.Message, StringComparison.Ordinal);
        Assert.Contains("Kafka", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_invalid_Kafka_setting_fails_at_start_naming_the_key()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => CoordinatorHost.StartAsync(new Dictionary<string, string?>
        {
            ["Twist:Coordinator:EventOutput"] = "Kafka",
            ["Twist:Coordinator:Kafka:BootstrapServers"] = "http://kafka:9092",
        }));

        Assert.Contains("Twist:Coordinator:Kafka:BootstrapServers is 'http://kafka:9092'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_misspelt_key_of_a_chosen_output_fails_at_start()
    {
        var error = await Assert.ThrowsAnyAsync<InvalidOperationException>(() => CoordinatorHost.StartAsync(new Dictionary<string, string?>
        {
            ["Twist:Coordinator:EventOutput"] = "Kafka",
            ["Twist:Coordinator:Kafka:BootstrapServers"] = "127.0.0.1:9092",
            ["Twist:Coordinator:Kafka:Topics"] = "twist.transactions",
        }));

        Assert.Contains("Topics", error.Message, StringComparison.Ordinal);
    }

    private static async Task<string> ConfirmOneAsync(CoordinatorHost host, ParticipantApp participant)
    {
        var coordinator = host.App.Services.GetRequiredService<ITwistCoordinator>();
        var tid = (await coordinator.BeginAsync(cancellationToken: Ct)).Tid;
        await coordinator.RegisterAsync(tid, [new ParticipantLink(new Uri(participant.BaseAddress, "/p/" + tid), DateTimeOffset.UtcNow.AddMinutes(1))], Ct);
        Assert.Equal(TransactionStatus.Confirmed, (await coordinator.ConfirmAsync(tid, cancellationToken: Ct)).Status);
        return tid;
    }

    private static string NatsUrl()
    {
        var url = Environment.GetEnvironmentVariable("TWIST_TEST_NATS");
        if (string.IsNullOrWhiteSpace(url))
        {
            Assert.False(!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI")), "TWIST_TEST_NATS is not set; .ci/run starts nats-server and sets it.");
            Assert.Skip("TWIST_TEST_NATS is not set: start nats-server -js -a 127.0.0.1 -p 4222 and set it to nats://127.0.0.1:4222.");
        }

        return url;
    }
}
