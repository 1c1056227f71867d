using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Twist.Coordinator.Storage;
using Twist.Transactions;

namespace Twist.Coordinator.Events;

/// <summary>
/// The engine's side of the event output: turns engine steps into <see cref="TransactionEvent"/>s and queues them
/// for <see cref="TransactionEventDispatcher"/>. Never blocks and never throws into the transaction path; with no
/// sink registered every method returns at once and nothing is allocated.
/// </summary>
internal sealed class TransactionEventPublisher
{
    public const string QueueFull = "queue_full";
    public const string Stopped = "stopped";

    private readonly Channel<TransactionEvent>? channel;
    private readonly TimeProvider timeProvider;
    private readonly TransactionEventInstruments instruments;
    private readonly ILogger<TransactionEventPublisher> logger;
    private volatile bool completed;

    public TransactionEventPublisher(
        IEnumerable<ITransactionEventSink> sinks,
        IOptions<TransactionEventOptions> options,
        TimeProvider timeProvider,
        TransactionEventInstruments instruments,
        ILogger<TransactionEventPublisher> logger)
    {
        this.timeProvider = timeProvider;
        this.instruments = instruments;
        this.logger = logger;
        if (sinks.Any())
        {
            // Bounded so a slow or dead sink costs memory up to a limit, then events, never transaction latency.
            channel = Channel.CreateBounded<TransactionEvent>(new BoundedChannelOptions(options.Value.QueueCapacity)
            {
                FullMode = BoundedChannelFullMode.Wait, // with TryWrite this means "refuse", so the drop is seen and logged
                SingleReader = true,
            });
        }
    }

    /// <summary>Gets the queue the dispatcher reads, or <see langword="null"/> when no sink is registered.</summary>
    public ChannelReader<TransactionEvent>? Reader => channel?.Reader;

    public void Begun(StoredTransaction transaction)
    {
        if (channel is not null)
        {
            Enqueue(Create(transaction.Tid, TransactionEventKind.Begun) with { ExpiresAt = transaction.ExpiresAt });
        }
    }

    /// <summary>Announces the participants of <paramref name="requested"/>, numbered as <paramref name="transaction"/> stores them.</summary>
    public void Registered(StoredTransaction transaction, IReadOnlyList<NewParticipant> requested)
    {
        if (channel is null || requested.Count == 0)
        {
            return;
        }

        var uris = requested.Select(r => r.Target.Uri).ToHashSet();
        foreach (var participant in transaction.Participants)
        {
            if (uris.Contains(participant.Target.Uri))
            {
                Enqueue(Create(transaction.Tid, TransactionEventKind.ParticipantRegistered) with
                {
                    ParticipantId = participant.Id,
                    ParticipantUri = participant.Target.Uri.GetLeftPart(UriPartial.Path),
                });
            }
        }
    }

    public void Decided(StoredTransaction transaction)
    {
        if (channel is not null)
        {
            var confirm = transaction.Status.IsConfirmDecision();
            Enqueue(Create(transaction.Tid, TransactionEventKind.Decided) with
            {
                Decision = confirm ? TransactionDecision.Confirm : TransactionDecision.Cancel,
                Reason = confirm ? null : transaction.Reason ?? "requested",
            });
        }
    }

    public void ParticipantFinished(string tid, int participantId, ParticipantStatus status, int attempts, string? error)
    {
        if (channel is null)
        {
            return;
        }

        var kind = status switch
        {
            ParticipantStatus.Confirmed => TransactionEventKind.ParticipantConfirmed,
            ParticipantStatus.Cancelled => TransactionEventKind.ParticipantCancelled,
            ParticipantStatus.Heuristic => TransactionEventKind.ParticipantHeuristic,
            _ => TransactionEventKind.ParticipantParked,
        };
        var failed = kind is TransactionEventKind.ParticipantParked or TransactionEventKind.ParticipantHeuristic;
        Enqueue(Create(tid, kind) with { ParticipantId = participantId, Attempts = attempts, Error = failed ? error : null });
    }

    public void Completed(string tid, TransactionStatus status, string? reason)
    {
        if (channel is not null)
        {
            var cancelled = status == TransactionStatus.Cancelled;
            Enqueue(Create(tid, TransactionEventKind.Completed) with { Status = status, Reason = cancelled ? reason ?? "requested" : null });
        }
    }

    /// <summary>Refuses further events; called when the dispatcher stops, so late events are reported as dropped.</summary>
    public void Complete()
    {
        completed = true;
        channel?.Writer.TryComplete();
    }

    /// <summary>Counts and logs an event that will never reach <paramref name="sink"/>.</summary>
    public void ReportDropped(TransactionEvent transactionEvent, string sink, string reason, string why, Exception? exception)
    {
        instruments.Dropped.Add(
            1,
            new KeyValuePair<string, object?>(TransactionEventInstruments.KindAttribute, transactionEvent.Kind.ToString()),
            new KeyValuePair<string, object?>(TransactionEventInstruments.DropReasonAttribute, reason));
        logger.EventDropped(exception, transactionEvent.TransactionId, transactionEvent.Kind, transactionEvent.EventId, sink, why);
    }

    private TransactionEvent Create(string tid, TransactionEventKind kind)
    {
        var now = timeProvider.GetUtcNow();

        // The span the step happened in (twist.begin, twist.confirm, ...); the driver's deliveries inherit the
        // decision's span through the execution context. Captured here because the dispatcher runs without it.
        var activity = Activity.Current;
        var w3c = activity is { IdFormat: ActivityIdFormat.W3C };
        return new TransactionEvent
        {
            EventId = Guid.CreateVersion7(now).ToString("N"),
            TransactionId = tid,
            Kind = kind,
            Timestamp = now,
            TraceParent = w3c ? activity!.Id : null,
            TraceState = w3c ? activity!.TraceStateString : null,
            Baggage = BaggageHeader.Format(activity?.Baggage, tid),
        };
    }

    private void Enqueue(TransactionEvent transactionEvent)
    {
        if (!channel!.Writer.TryWrite(transactionEvent))
        {
            // TryWrite refuses when the queue is full or the dispatcher has stopped; either way the event is lost.
            var reason = completed ? Stopped : QueueFull;
            ReportDropped(transactionEvent, "(queue)", reason, completed ? "the event dispatcher has stopped" : "the event queue is full", null);
        }
    }
}
