using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;

namespace Twist.Coordinator.Events;

/// <summary>
/// Hands queued events to every sink, one event at a time so each sink sees them in the order they happened.
/// A failing call is retried with capped exponential back-off; an event a sink still refuses is dropped for that sink
/// with a warning and a count. Registered ahead of the coordinator's workers, so it stops after them and can publish
/// what their last deliveries announced (for up to <see cref="TransactionEventOptions.DrainTimeout"/>).
/// </summary>
internal sealed class TransactionEventDispatcher : BackgroundService
{
    private static readonly ResiliencePropertyKey<Attempt> AttemptKey = new("twist.event");

    private readonly TransactionEventPublisher publisher;
    private readonly ITransactionEventSink[] sinks;
    private readonly TransactionEventOptions options;
    private readonly TimeProvider timeProvider;
    private readonly TransactionEventInstruments instruments;
    private readonly ILogger<TransactionEventDispatcher> logger;
    private readonly ResiliencePipeline pipeline;

    public TransactionEventDispatcher(
        TransactionEventPublisher publisher,
        IEnumerable<ITransactionEventSink> sinks,
        IOptions<TransactionEventOptions> options,
        TimeProvider timeProvider,
        TransactionEventInstruments instruments,
        ILogger<TransactionEventDispatcher> logger)
    {
        this.publisher = publisher;
        this.sinks = sinks.ToArray();
        this.options = options.Value;
        this.timeProvider = timeProvider;
        this.instruments = instruments;
        this.logger = logger;
        var builder = new ResiliencePipelineBuilder { TimeProvider = timeProvider };
        if (this.options.MaxAttempts > 1)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                // Anything a sink throws is retried, unless the host is stopping (then the drain deadline has passed).
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is not null && !args.Context.CancellationToken.IsCancellationRequested),
                MaxRetryAttempts = this.options.MaxAttempts - 1,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = this.options.RetryBaseDelay,
                MaxDelay = this.options.RetryMaxDelay,
                OnRetry = OnRetry,
            });
        }

        pipeline = builder.AddTimeout(this.options.SinkTimeout).Build();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        var reader = publisher.Reader;
        if (reader is null)
        {
            return; // no sink: nothing is ever queued
        }

        logger.SinksStarted(sinks.Length, string.Join(", ", sinks.Select(SinkName)));

        // At stop, refuse new events and keep publishing the queued ones until the drain deadline.
        using var drain = new CancellationTokenSource(Timeout.InfiniteTimeSpan, timeProvider);
        using var stopping = stoppingToken.Register(() =>
        {
            publisher.Complete();
            drain.CancelAfter(options.DrainTimeout);
        });
        try
        {
            await foreach (var transactionEvent in reader.ReadAllAsync(drain.Token).ConfigureAwait(false))
            {
                await DispatchAsync(transactionEvent, drain.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (drain.IsCancellationRequested)
        {
            // Drain deadline: what is left is reported below.
        }

        while (reader.TryRead(out var left))
        {
            foreach (var sink in sinks)
            {
                publisher.ReportDropped(left, SinkName(sink), TransactionEventPublisher.Stopped, "the host stopped before it was published", null);
            }
        }
    }

    private static string SinkName(ITransactionEventSink sink) => sink.GetType().Name;

    private async Task DispatchAsync(TransactionEvent transactionEvent, CancellationToken cancellationToken)
    {
        foreach (var sink in sinks)
        {
            var context = ResilienceContextPool.Shared.Get(cancellationToken);
            context.Properties.Set(AttemptKey, new Attempt(sink, transactionEvent));
            try
            {
                await pipeline.ExecuteAsync(
                    static (ctx, state) => state.Sink.PublishAsync(state.Event, ctx.CancellationToken),
                    context,
                    (Sink: sink, Event: transactionEvent)).ConfigureAwait(false);
                instruments.Published.Add(1, new KeyValuePair<string, object?>(TransactionEventInstruments.KindAttribute, transactionEvent.Kind.ToString()));
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                publisher.ReportDropped(transactionEvent, SinkName(sink), TransactionEventPublisher.Stopped, "the host stopped before it was published", null);
            }
            catch (Exception ex)
            {
                publisher.ReportDropped(transactionEvent, SinkName(sink), "sink_failed", $"the sink failed {options.MaxAttempts} time(s)", ex);
            }
            finally
            {
                ResilienceContextPool.Shared.Return(context);
            }
        }
    }

    private ValueTask OnRetry(OnRetryArguments<object> args)
    {
        var attempt = args.Context.Properties.GetValue(AttemptKey, null!);
        logger.EventRetrying(args.Outcome.Exception, SinkName(attempt.Sink), attempt.Event.Kind, attempt.Event.TransactionId, args.AttemptNumber + 1, args.RetryDelay);
        return ValueTask.CompletedTask;
    }

    private sealed record Attempt(ITransactionEventSink Sink, TransactionEvent Event);
}
