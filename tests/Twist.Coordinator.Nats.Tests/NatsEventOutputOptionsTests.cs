using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NATS.NKeys;
using Twist.Coordinator.Events;
using Twist.Coordinator.Nats.Tests.Infrastructure;
using Twist.Transactions;

namespace Twist.Coordinator.Nats.Tests;

/// <summary>Options, redaction, the wire format and the NKeys stub; no server needed.</summary>
public sealed class NatsEventOutputOptionsTests
{
    [Fact]
    public void ToString_names_the_kind_of_credentials_but_never_their_values()
    {
        var withPassword = new NatsEventOutputOptions { Username = "twist", Password = "s3cret-pw" }.ToString();
        var withToken = new NatsEventOutputOptions { Token = "t0ken-value" }.ToString();
        var inUrl = new NatsEventOutputOptions { Url = "nats://twist:url-pw@10.0.0.1:4222,nats://other:4222" }.ToString();

        Assert.Contains("Credentials=user/password", withPassword, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret-pw", withPassword, StringComparison.Ordinal);
        Assert.Contains("Credentials=token", withToken, StringComparison.Ordinal);
        Assert.DoesNotContain("t0ken-value", withToken, StringComparison.Ordinal);
        Assert.Contains("Url=nats://***@10.0.0.1:4222,nats://other:4222", inUrl, StringComparison.Ordinal);
        Assert.DoesNotContain("url-pw", inUrl, StringComparison.Ordinal);
    }

    [Fact]
    public void Validator_reports_every_problem_without_leaking_credentials()
    {
        var options = new NatsEventOutputOptions
        {
            Url = "http://user:leaky-pw@host:4222",
            SubjectPrefix = "twist.*",
            UseJetStream = true,
            StreamName = "has.dot",
            Token = "tok",
            Username = "u",
        };

        var result = new NatsEventOutputOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Equal(5, result.Failures!.Count());
        Assert.Contains(result.Failures!, f => f.StartsWith("Twist:Coordinator:Nats:Url is 'http://***@host:4222'", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, f => f.Contains("SubjectPrefix is 'twist.*'", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, f => f.Contains("StreamName is 'has.dot'", StringComparison.Ordinal));
        Assert.DoesNotContain(result.Failures!, f => f.Contains("leaky-pw", StringComparison.Ordinal));
        Assert.True(new NatsEventOutputOptionsValidator().Validate(null, new NatsEventOutputOptions()).Succeeded);
    }

    [Fact]
    public async Task Invalid_nats_options_fail_at_start()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => CoordinatorHost.StartAsync(b => b.AddNatsEventOutput(o => o.Url = "not a url")));
        Assert.Contains("Twist:Coordinator:Nats:Url", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Wire_format_is_camel_case_json_with_enum_names_and_no_unset_properties_and_baggage_only_in_headers()
    {
        var json = System.Text.Encoding.UTF8.GetString(TransactionEventJson.SerializeToUtf8Bytes(
            new TransactionEvent
            {
                EventId = "e1",
                TransactionId = "t1",
                Kind = TransactionEventKind.Completed,
                Timestamp = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero),
                Status = TransactionStatus.Cancelled,
                Reason = "timeout",
                Baggage = "twist.transaction.id=t1",
            }));

        Assert.Equal("""{"eventId":"e1","transactionId":"t1","kind":"Completed","timestamp":"2026-01-02T03:04:05+00:00","reason":"timeout","status":"Cancelled"}""", json);
    }

    [Fact]
    public void The_nkeys_stub_binds_for_NATS_Client_Core_and_explains_itself()
    {
        // NATS.Client.Core references NATS.NKeys 1.0.1.0 with the real package's public key token; the unsigned stub
        // must still satisfy that reference, or NKey code paths would fail with a load error instead of our message.
        var reference = typeof(NATS.Client.Core.NatsConnection).Assembly.GetReferencedAssemblies().Single(a => a.Name == "NATS.NKeys");
        var loaded = Assembly.Load(reference);
        Assert.Equal(new Version(1, 0, 1, 0), loaded.GetName().Version);

        var error = Assert.Throws<NotSupportedException>(() => KeyPair.FromSeed("SUAIBDPBAUTWCWBKIO6XHQNINK5FWJW4OHLXC3HQ2KFE4PEJUA44CNHTC4".AsSpan()));
        Assert.Contains("NKey authentication is not available in this build; see README", error.Message, StringComparison.Ordinal);
    }
}
