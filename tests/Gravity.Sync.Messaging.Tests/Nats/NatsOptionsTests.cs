using Gravity.Sync.Messaging.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Gravity.Sync.Messaging.Tests.Nats;

/// <summary>NATS options are validated at start-up with every problem named; configuration binds strictly. No server needed.</summary>
public sealed class NatsOptionsTests
{
    [Fact]
    public async Task Invalid_options_stop_the_start_and_name_each_key()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => FileRulesHost.StartAsync(
            """{"rules":[{"event":"e","table":"t","method":"update","database":"views","mapping":[{"source":"id","target":"id","primary":true}]}]}""",
            b => b.AddNatsJetStreamSource(o =>
            {
                o.Url = "http://user:secret@nats.example";
                o.StreamName = "has.dot";
                o.SubjectPrefix = "events.>";
                o.Username = "only-user";
            }).AddNatsExporter("synced", o => o.Subject = "bad subject")));

        Assert.Contains("Gravity:Nats:Url is 'http://***@nats.example'", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", error.Message, StringComparison.Ordinal);
        Assert.Contains("Gravity:Nats:StreamName is 'has.dot'", error.Message, StringComparison.Ordinal);
        Assert.Contains("Gravity:Nats:SubjectPrefix is 'events.>'", error.Message, StringComparison.Ordinal);
        Assert.Contains("Username and Password go together", error.Message, StringComparison.Ordinal);
        Assert.Contains("Gravity:Nats:Exporters:synced:Subject is 'bad subject'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Partition_and_claim_settings_out_of_range_stop_the_start_and_name_each_key()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => FileRulesHost.StartAsync(
            """{"rules":[{"event":"e","table":"t","method":"update","database":"views","mapping":[{"source":"id","target":"id","primary":true}]}]}""",
            b => b.AddNatsJetStreamSource(o =>
            {
                o.Partitions = 5000;
                o.ConsumerName = "sync@views";
                o.ClaimBucket = "claims.bucket";
                o.ClaimTtl = TimeSpan.FromMilliseconds(10);
                o.InstanceId = "pod 1";
            })));

        Assert.Contains("Gravity:Nats:Partitions is 5000", error.Message, StringComparison.Ordinal);
        Assert.Contains("Gravity:Nats:ConsumerName is 'sync@views'", error.Message, StringComparison.Ordinal);
        Assert.Contains("Gravity:Nats:ClaimBucket is 'claims.bucket'", error.Message, StringComparison.Ordinal);
        Assert.Contains("Gravity:Nats:ClaimTtl is 00:00:00.0100000", error.Message, StringComparison.Ordinal);
        Assert.Contains("Gravity:Nats:InstanceId is 'pod 1'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_configuration_section_binds_and_rejects_unknown_keys()
    {
        static GravityNatsOptionsProbe Bind(Dictionary<string, string?> values)
        {
            var services = new ServiceCollection();
            services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(values).Build());
            services.AddGravityNatsPublisher();
            return new GravityNatsOptionsProbe(services.BuildServiceProvider());
        }

        using var bound = Bind(new() { ["Gravity:Nats:StreamName"] = "ORDERS", ["Gravity:Nats:Exporters:synced:Subject"] = "app.synced", ["Gravity:Nats:AckWait"] = "00:01:00" });
        var options = bound.Options;
        Assert.Equal(("ORDERS", "app.synced", TimeSpan.FromMinutes(1)), (options.StreamName, options.Exporters["synced"].Subject, options.AckWait));

        using var unknown = Bind(new() { ["Gravity:Nats:Stream"] = "ORDERS" });
        Assert.Throws<InvalidOperationException>(() => unknown.Options);
    }

    private sealed class GravityNatsOptionsProbe(ServiceProvider services) : IDisposable
    {
        public Gravity.Sync.Nats.GravityNatsOptions Options => services.GetRequiredService<IOptions<Gravity.Sync.Nats.GravityNatsOptions>>().Value;

        public void Dispose() => services.Dispose();
    }
}
