using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Twist.Coordinator.Events;

namespace Twist.Coordinator.Kafka.Tests;

/// <summary>Options of the Kafka event output: validated at start-up with messages that name the key, credentials never echoed.</summary>
public sealed class KafkaEventOutputOptionsTests
{
    [Fact]
    public void Defaults_are_valid_and_name_the_default_topic()
    {
        var options = new KafkaEventOutputOptions();
        Assert.True(new KafkaEventOutputOptionsValidator().Validate(null, options).Succeeded);
        Assert.Equal(("127.0.0.1:9092", "twist.transactions", TimeSpan.FromSeconds(30)), (options.BootstrapServers, options.Topic, options.DeliveryTimeout));
    }

    [Fact]
    public void Every_problem_is_reported_at_once_naming_the_key_and_value()
    {
        var result = new KafkaEventOutputOptionsValidator().Validate(null, new KafkaEventOutputOptions
        {
            BootstrapServers = "kafka://broker:9092",
            Topic = "twist transactions",
            Username = "svc",
            DeliveryTimeout = TimeSpan.Zero,
        });

        Assert.True(result.Failed);
        var failures = result.Failures!.ToArray();
        Assert.Equal(4, failures.Length);
        Assert.Contains(failures, f => f.StartsWith("Twist:Coordinator:Kafka:BootstrapServers is 'kafka://broker:9092'", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Twist:Coordinator:Kafka:Topic is 'twist transactions'", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("Username and Password go together", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Twist:Coordinator:Kafka:DeliveryTimeout is 00:00:00", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("broker")]
    [InlineData("broker:0")]
    [InlineData("broker:70000")]
    [InlineData(" , ")]
    [InlineData(":9092")]
    public void Bootstrap_servers_must_be_host_and_port_pairs(string servers) =>
        Assert.True(new KafkaEventOutputOptionsValidator().Validate(null, new KafkaEventOutputOptions { BootstrapServers = servers }).Failed);

    [Theory]
    [InlineData(".")]
    [InlineData("..")]
    [InlineData("")]
    [InlineData("a/b")]
    public void Topic_must_follow_kafkas_naming_rule(string topic) =>
        Assert.True(new KafkaEventOutputOptionsValidator().Validate(null, new KafkaEventOutputOptions { Topic = topic }).Failed);

    [Fact]
    public void The_description_redacts_the_password()
    {
        var text = new KafkaEventOutputOptions { Username = "svc", Password = "s3cret-value" }.ToString();
        Assert.DoesNotContain("s3cret-value", text, StringComparison.Ordinal);
        Assert.DoesNotContain("svc", text, StringComparison.Ordinal);
        Assert.Contains("Sasl=Plain", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalid_options_stop_the_host_from_starting_with_the_keys_to_fix()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddTwistCoordinator(o => o.UseSqlite(Path.Combine(Path.GetTempPath(), $"twist-kafka-{Guid.NewGuid():N}.db")))
            .AddKafkaEventOutput(o => o.Topic = "..");
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));
        Assert.Contains("Twist:Coordinator:Kafka:Topic is '..'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Adding_the_output_twice_registers_one_sink_and_applies_both_configurations()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddTwistCoordinator(o => o.UseSqlite("unused.db"))
            .AddKafkaEventOutput(o => o.Topic = "first")
            .AddKafkaEventOutput(o => o.BootstrapServers = "kafka1:9092");
        using var provider = services.BuildServiceProvider();

        Assert.Single(services, d => d.ServiceType == typeof(ITransactionEventSink));
        var options = provider.GetRequiredService<IOptions<KafkaEventOutputOptions>>().Value;
        Assert.Equal(("first", "kafka1:9092"), (options.Topic, options.BootstrapServers));
    }
}
