using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Twist.Coordinator.Events;
using Twist.Coordinator.Nats.Tests.Infrastructure;
using Twist.Transactions;

namespace Twist.Coordinator.Nats.Tests.Events;

/// <summary>The engine's event output with an in-memory sink: no cost without sinks, order, retries, drops, draining.</summary>
public sealed class TransactionEventDispatchTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Without_a_sink_nothing_is_queued()
    {
        await using var host = await CoordinatorHost.StartAsync(_ => { });
        var tid = (await host.Coordinator.BeginAsync(cancellationToken: Ct)).Tid;
        await host.Coordinator.CancelAsync(tid, Ct);

        Assert.Null(host.Services.GetRequiredService<TransactionEventPublisher>().Reader);
        Assert.Empty(host.Published.GetMeasurementSnapshot());
        Assert.Empty(host.Dropped.GetMeasurementSnapshot());
    }

    [Fact]
    public async Task A_failing_call_is_retried_and_events_stay_in_order()
    {
        var sink = new RecordingSink();
        var failedOnce = new HashSet<string>();
        sink.Behaviour = (_, e) =>
        {
            lock (failedOnce)
            {
                // Every event fails on its first call.
                return failedOnce.Add(e.EventId) ? Task.FromException(new InvalidOperationException("broker hiccup")) : Task.CompletedTask;
            }
        };
        await using var participant = await Participant.StartAsync();
        await using var host = await CoordinatorHost.StartAsync(b => b.AddTransactionEventSink(_ => sink).ConfigureTransactionEvents(FastRetries));

        var tid = (await host.Coordinator.BeginAsync(cancellationToken: Ct)).Tid;
        await host.Coordinator.ConfirmAsync(tid, [new ParticipantLink(participant.Link(tid), DateTimeOffset.UtcNow.AddMinutes(1))], Ct);

        Assert.True(await Eventually.TrueAsync(() => sink.For(tid).Any(e => e.Kind == TransactionEventKind.Completed)));
        Assert.Equal(
            [TransactionEventKind.Begun, TransactionEventKind.ParticipantRegistered, TransactionEventKind.Decided, TransactionEventKind.ParticipantConfirmed, TransactionEventKind.Completed],
            sink.For(tid).Select(e => e.Kind));
        Assert.Equal(10, sink.Calls);
        Assert.Empty(host.Dropped.GetMeasurementSnapshot());
        Assert.Equal(5, host.Published.GetMeasurementSnapshot().Sum(m => m.Value));
        Assert.Equal(5, host.Logs.GetSnapshot().Count(r => r.Id.Id == 1301));
    }

    [Fact]
    public async Task An_event_a_sink_keeps_refusing_is_dropped_with_a_warning_and_counted()
    {
        var sink = new RecordingSink { Behaviour = (_, _) => Task.FromException(new InvalidOperationException("broker down")) };
        await using var host = await CoordinatorHost.StartAsync(b => b.AddTransactionEventSink(_ => sink).ConfigureTransactionEvents(FastRetries));

        var tid = (await host.Coordinator.BeginAsync(cancellationToken: Ct)).Tid;

        Assert.True(await Eventually.TrueAsync(() => host.Dropped.GetMeasurementSnapshot().Count == 1 && host.Logs.GetSnapshot().Any(r => r.Id.Id == 1300)));
        Assert.Equal(3, sink.Calls); // MaxAttempts
        var measurement = Assert.Single(host.Dropped.GetMeasurementSnapshot());
        Assert.Equal("sink_failed", measurement.Tags["twist.event.drop.reason"]);
        Assert.Equal("Begun", measurement.Tags["twist.event.kind"]);
        var log = Assert.Single(host.Logs.GetSnapshot(), r => r.Id.Id == 1300);
        Assert.Equal(LogLevel.Warning, log.Level);
        Assert.Equal("TransactionEventDropped", log.Id.Name);
        Assert.Contains(tid, log.Message, StringComparison.Ordinal);
        Assert.IsType<InvalidOperationException>(log.Exception);
    }

    [Fact]
    public async Task When_the_queue_is_full_new_events_are_dropped_with_a_warning_and_the_transaction_is_not_held_up()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var sink = new RecordingSink { Behaviour = (_, _) => gate.Task };
        await using var host = await CoordinatorHost.StartAsync(b => b.AddTransactionEventSink(_ => sink).ConfigureTransactionEvents(o => o.QueueCapacity = 1));

        // The dispatcher holds one event in the blocked sink, one waits in the queue, the rest have no room.
        for (var i = 0; i < 5; i++)
        {
            await host.Coordinator.BeginAsync(cancellationToken: Ct);
        }

        Assert.True(await Eventually.TrueAsync(() => host.Dropped.GetMeasurementSnapshot().Count >= 3 && host.Logs.GetSnapshot().Any(r => r.Id.Id == 1300)));
        Assert.All(host.Dropped.GetMeasurementSnapshot(), m => Assert.Equal("queue_full", m.Tags["twist.event.drop.reason"]));
        Assert.Contains(host.Logs.GetSnapshot(), r => r.Id.Id == 1300 && r.Message.Contains("queue is full", StringComparison.Ordinal));
        gate.SetResult();
        Assert.True(await Eventually.TrueAsync(() => sink.Published.Count == 5 - host.Dropped.GetMeasurementSnapshot().Count));
    }

    [Fact]
    public async Task Stopping_the_host_publishes_what_is_still_queued()
    {
        var sink = new RecordingSink { Behaviour = (_, _) => Task.Delay(20) };
        var host = await CoordinatorHost.StartAsync(b => b.AddTransactionEventSink(_ => sink));
        for (var i = 0; i < 20; i++)
        {
            await host.Coordinator.BeginAsync(cancellationToken: Ct);
        }

        var logs = host.Logs;
        await host.DisposeAsync();

        Assert.Equal(20, sink.Published.Count);
        Assert.DoesNotContain(logs.GetSnapshot(), r => r.Id.Id == 1300);
    }

    [Fact]
    public async Task Invalid_event_options_fail_at_start_naming_the_key_and_value()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => CoordinatorHost.StartAsync(b => b
            .AddTransactionEventSink(_ => new RecordingSink())
            .ConfigureTransactionEvents(o => { o.QueueCapacity = 0; o.RetryBaseDelay = TimeSpan.FromSeconds(10); o.RetryMaxDelay = TimeSpan.FromSeconds(1); })));

        Assert.Contains("Twist:Coordinator:Events:QueueCapacity is 0", error.Message, StringComparison.Ordinal);
        Assert.Contains("RetryMaxDelay (00:00:01) must not be shorter than RetryBaseDelay (00:00:10)", error.Message, StringComparison.Ordinal);
    }

    private static void FastRetries(TransactionEventOptions o)
    {
        o.MaxAttempts = 3;
        o.RetryBaseDelay = TimeSpan.FromMilliseconds(5);
        o.RetryMaxDelay = TimeSpan.FromMilliseconds(20);
    }
}
