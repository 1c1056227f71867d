using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Twist.Coordinator.Diagnostics;
using Twist.Coordinator.IntegrationTests.Infrastructure;
using Twist.Protocol;
using Twist.Transactions;

namespace Twist.Coordinator.IntegrationTests;

public sealed class SecurityAndTelemetryTests
{
    private const string HmacKey = "0123456789abcdef0123456789abcdef-test-key";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Participant_calls_carry_the_bearer_token_and_a_valid_HMAC_signature()
    {
        await using var bank = await ParticipantServer.StartAsync();
        await using var harness = await CoordinatorHarness.StartAsync(o =>
        {
            o.ParticipantCredential.BearerToken = "participant-token";
            o.ParticipantCredential.HmacKey = HmacKey;
        });
        var tx = await harness.Coordinator.BeginAsync(null, Ct);
        var link = bank.Link("debit", tx.Tid);

        await harness.Coordinator.ConfirmAsync(tx.Tid, [new ParticipantLink(link, DateTimeOffset.UtcNow.AddMinutes(1))], Ct);

        var headers = bank.CallsFor("debit", tx.Tid).Single().Headers;
        Assert.Equal("Bearer participant-token", headers["Authorization"]);
        var timestamp = long.Parse(headers[TwistHeaders.SignatureTimestamp], System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(TwistSignature.Verify(Encoding.UTF8.GetBytes(HmacKey), "PUT", link.AbsoluteUri, tx.Tid, "confirm", timestamp, headers[TwistHeaders.Signature], DateTimeOffset.UtcNow, TimeSpan.FromMinutes(1)));
        Assert.False(TwistSignature.Verify(Encoding.UTF8.GetBytes(HmacKey), "DELETE", link.AbsoluteUri, tx.Tid, "cancel", timestamp, headers[TwistHeaders.Signature], DateTimeOffset.UtcNow, TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public async Task Participant_calls_carry_the_trace_context_and_spans_carry_the_transaction_id()
    {
        var spans = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == TwistCoordinatorTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a => { lock (spans) { spans.Add(a); } },
        };
        ActivitySource.AddActivityListener(listener);
        await using var bank = await ParticipantServer.StartAsync();
        await using var harness = await CoordinatorHarness.StartAsync();
        var tx = await harness.Coordinator.BeginAsync(null, Ct);

        await harness.Coordinator.ConfirmAsync(tx.Tid, [new ParticipantLink(bank.Link("debit", tx.Tid), DateTimeOffset.UtcNow.AddMinutes(1))], Ct);

        Activity[] mine;
        lock (spans)
        {
            mine = spans.Where(s => (string?)s.GetTagItem(TwistCoordinatorTelemetry.TransactionIdAttribute) == tx.Tid).ToArray();
        }

        Assert.Contains(mine, s => s.OperationName == "twist.begin");
        var confirm = Assert.Single(mine, s => s.OperationName == "twist.confirm");
        var call = Assert.Single(mine, s => s.OperationName == "twist.participant confirm");
        Assert.Equal(ActivityKind.Client, call.Kind);
        Assert.Equal(confirm.TraceId, call.TraceId);
        var traceparent = bank.CallsFor("debit", tx.Tid).Single().Headers["traceparent"];
        Assert.Contains(confirm.TraceId.ToHexString(), traceparent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Each_attempt_is_one_client_span_with_HTTP_attributes_whose_context_the_participant_receives()
    {
        var spans = new List<Activity>();
        using var listener = new ActivityListener
        {
            // HttpClient's own source too: the coordinator's calls must not add a nested CLIENT span to the driver's.
            ShouldListenTo = s => s.Name is TwistCoordinatorTelemetry.Name or "System.Net.Http",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a => { lock (spans) { spans.Add(a); } },
        };
        ActivitySource.AddActivityListener(listener);
        await using var bank = await ParticipantServer.StartAsync();
        await using var harness = await CoordinatorHarness.StartAsync();
        bank.FailFirst("debit", 1);
        var tx = await harness.Coordinator.BeginAsync(null, Ct);
        var link = bank.Link("debit", tx.Tid);

        await harness.Coordinator.ConfirmAsync(tx.Tid, [new ParticipantLink(link, DateTimeOffset.UtcNow.AddMinutes(1))], Ct);

        Activity[] attempts;
        lock (spans)
        {
            Assert.DoesNotContain(spans, s => s.Source.Name == "System.Net.Http" && (s.GetTagItem("url.full") as string)?.Contains(tx.Tid, StringComparison.Ordinal) == true);
            attempts = spans.Where(s => s.OperationName == "twist.participant confirm" && (string?)s.GetTagItem(TwistCoordinatorTelemetry.TransactionIdAttribute) == tx.Tid)
                .OrderBy(s => s.StartTimeUtc).ToArray();
        }

        var calls = bank.CallsFor("debit", tx.Tid);
        Assert.Equal(2, attempts.Length);
        Assert.Equal(attempts.Select(a => a.Id), calls.Select(c => c.Headers["traceparent"])); // each call continues its own span
        Assert.All(attempts, a => Assert.Equal(("PUT", link.GetLeftPart(UriPartial.Path), bank.Port), ((string?)a.GetTagItem("http.request.method"), (string?)a.GetTagItem("url.full"), (int?)a.GetTagItem("server.port"))));
        Assert.Equal([503, 200], attempts.Select(a => (int?)a.GetTagItem("http.response.status_code")));
        Assert.Equal(["503", null], attempts.Select(a => (string?)a.GetTagItem("error.type")));
    }

    [Fact]
    public async Task Outcomes_retries_and_call_durations_are_measured()
    {
        await using var bank = await ParticipantServer.StartAsync();
        bank.FailFirst("flaky", 1);
        await using var harness = await CoordinatorHarness.StartAsync();
        // Only this harness's meters: listeners are process-wide and other tests run coordinators in parallel.
        var meterFactory = harness.Services.GetRequiredService<IMeterFactory>();
        var measurements = new List<(string Name, double Value)>();
        using var meterListener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == TwistCoordinatorTelemetry.Name && instrument.Meter.Scope == meterFactory)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        meterListener.SetMeasurementEventCallback<long>((i, v, _, _) => { lock (measurements) { measurements.Add((i.Name, v)); } });
        meterListener.SetMeasurementEventCallback<double>((i, v, _, _) => { lock (measurements) { measurements.Add((i.Name, v)); } });
        meterListener.Start();
        var tx = await harness.Coordinator.BeginAsync(null, Ct);

        await harness.Coordinator.ConfirmAsync(tx.Tid, [new ParticipantLink(bank.Link("flaky", tx.Tid), DateTimeOffset.UtcNow.AddMinutes(1))], Ct);

        lock (measurements)
        {
            Assert.Contains(measurements, m => m.Name == "twist.coordinator.transactions.begun");
            Assert.Contains(measurements, m => m.Name == "twist.coordinator.transactions.completed");
            Assert.Contains(measurements, m => m.Name == "twist.coordinator.participant.retries");
            Assert.Equal(2, measurements.Count(m => m.Name == "twist.coordinator.participant.call.duration"));
        }
    }
}
