using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Time.Testing;
using Twist.Client.Tests.Participants.Infrastructure;
using Twist.Participants;

namespace Twist.Client.Tests.Participants;

/// <summary>Spans per phase with the transaction id, and a counter of guard outcomes, under the name Twist.Participant.</summary>
public sealed class ParticipantTelemetryTests
{
    [Fact]
    public async Task Guard_outcomes_are_counted_and_each_phase_has_a_span_with_the_transaction_id()
    {
        var spans = new ConcurrentQueue<Activity>();
        using var listener = ListenToParticipantSpans(spans);
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var db = await GuardDatabase.CreateAsync(GuardDatabase.Sqlite);
        await using var host = await ParticipantHost.StartAsync(db, time: time);
        using var outcomes = new MetricCollector<long>(
            host.App.Services.GetRequiredService<IMeterFactory>(), TwistParticipantTelemetry.Name, TwistParticipantTelemetry.GuardOutcomesMetric);

        var confirmed = ParticipantHost.NewTid();
        (await host.TryAsync(confirmed, new DebitRequest(1))).Dispose();
        (await host.ConfirmAsync(confirmed)).Dispose();
        (await host.ConfirmAsync(confirmed)).Dispose();
        var hanging = ParticipantHost.NewTid();
        (await host.CancelAsync(hanging)).Dispose();
        (await host.TryAsync(hanging, new DebitRequest(1))).Dispose();
        var expiring = ParticipantHost.NewTid();
        (await host.TryAsync(expiring, new DebitRequest(1))).Dispose();
        time.Advance(TimeSpan.FromMinutes(2));
        await host.SweepAsync();

        string Outcomes(string phase) => string.Join(",", outcomes.GetMeasurementSnapshot()
            .Where(m => (string?)m.Tags[TwistParticipantTelemetry.PhaseAttribute] == phase)
            .Select(m => (string?)m.Tags[TwistParticipantTelemetry.OutcomeAttribute]));
        Assert.Equal("applied,hanging_refused,applied", Outcomes("try"));
        Assert.Equal("applied,duplicate", Outcomes("confirm"));
        Assert.Equal("null_compensation,expired", Outcomes("cancel"));

        // The listener is process-wide and other tests run participants in parallel: look at this test's transactions only.
        var confirmSpan = Assert.Single(spans, s => s.OperationName == "twist.participant.confirm"
            && (string?)s.GetTagItem(TwistParticipantTelemetry.OutcomeAttribute) == "applied"
            && (string?)s.GetTagItem(TwistParticipantTelemetry.TransactionIdAttribute) == confirmed);
        Assert.Equal(confirmed, confirmSpan.GetTagItem(TwistParticipantTelemetry.TransactionIdAttribute));
        Assert.Equal(WalletParticipant.Name, confirmSpan.GetTagItem(TwistParticipantTelemetry.ParticipantAttribute));
        Assert.Contains(spans, s => s.OperationName == "twist.participant.cancel"
            && (string?)s.GetTagItem(TwistParticipantTelemetry.OutcomeAttribute) == "expired"
            && (string?)s.GetTagItem(TwistParticipantTelemetry.TransactionIdAttribute) == expiring);
    }

    [Fact]
    public async Task Without_ASP_NET_Core_spans_each_phase_span_continues_the_callers_trace_as_the_server_span()
    {
        // Only Twist's own spans are listened to (the cheap way to trace), so ASP.NET Core starts no request activity
        // and nothing else carries the caller's traceparent into the handler.
        var spans = new ConcurrentQueue<Activity>();
        using var listener = ListenToParticipantSpans(spans);
        await using var db = await GuardDatabase.CreateAsync(GuardDatabase.Sqlite);
        await using var host = await ParticipantHost.StartAsync(db);
        var tid = ParticipantHost.NewTid();
        var traceId = ActivityTraceId.CreateRandom();
        var tryParent = ActivitySpanId.CreateRandom();
        var confirmParent = ActivitySpanId.CreateRandom();

        using (var tryRequest = new HttpRequestMessage(HttpMethod.Post, ParticipantHost.WalletRoute) { Content = System.Net.Http.Json.JsonContent.Create(new DebitRequest(1)) })
        {
            tryRequest.Headers.Add(Twist.Protocol.TwistHeaders.TransactionId, tid);
            tryRequest.Headers.Add("traceparent", $"00-{traceId}-{tryParent}-01");
            (await host.Http.SendAsync(tryRequest, TestContext.Current.CancellationToken)).EnsureSuccessStatusCode().Dispose();
        }

        using (var confirm = host.Signed(HttpMethod.Put, tid))
        {
            confirm.Headers.Add("traceparent", $"00-{traceId}-{confirmParent}-01");
            (await host.Http.SendAsync(confirm, TestContext.Current.CancellationToken)).EnsureSuccessStatusCode().Dispose();
        }

        var mine = spans.Where(s => (string?)s.GetTagItem(TwistParticipantTelemetry.TransactionIdAttribute) == tid).ToList();
        var trySpan = Assert.Single(mine, s => s.OperationName == "twist.participant.try");
        var confirmSpan = Assert.Single(mine, s => s.OperationName == "twist.participant.confirm");
        Assert.Equal((traceId, tryParent, ActivityKind.Server), (trySpan.TraceId, trySpan.ParentSpanId, trySpan.Kind));
        Assert.Equal((traceId, confirmParent, ActivityKind.Server), (confirmSpan.TraceId, confirmSpan.ParentSpanId, confirmSpan.Kind));
        Assert.True(trySpan.HasRemoteParent);
    }

    /// <summary>Records every span of the participant runtime, and nothing else (ASP.NET Core's spans stay off).</summary>
    private static ActivityListener ListenToParticipantSpans(ConcurrentQueue<Activity> spans)
    {
        var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == TwistParticipantTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        return listener;
    }
}
