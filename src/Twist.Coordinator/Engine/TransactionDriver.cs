using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;
using Twist.Coordinator.Diagnostics;
using Twist.Coordinator.Dispatch;
using Twist.Coordinator.Events;
using Twist.Coordinator.Hosting;
using Twist.Coordinator.Storage;
using Twist.Protocol;
using Twist.Transactions;

namespace Twist.Coordinator.Engine;

/// <summary>
/// Drives decided transactions to completion: delivers the decision to every unfinished participant in parallel,
/// retries transient failures with capped exponential back-off and jitter (Polly) within each participant's budget,
/// parks what exhausts it and records every outcome. At most one drive per transaction runs in this instance; callers
/// that ask for a transaction already being driven join the running drive.
/// </summary>
internal sealed class TransactionDriver : IAsyncDisposable
{
    private static readonly ResiliencePropertyKey<DeliveryState> StateKey = new("twist.delivery");

    private readonly ConcurrentDictionary<string, Task<StoredTransaction>> driving = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Task> recording = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource stopping = new();
    private readonly StoreAccessor stores;
    private readonly IParticipantTransport[] transports;
    private readonly TimeProvider timeProvider;
    private readonly CoordinatorInstruments instruments;
    private readonly TransactionEventPublisher events;
    private readonly ILogger<TransactionDriver> logger;
    private readonly SemaphoreSlim deliverySlots;
    private readonly ResiliencePipeline<DeliveryResult> pipeline;
    private readonly int maxAttempts;

    public TransactionDriver(
        StoreAccessor stores,
        IEnumerable<IParticipantTransport> transports,
        IOptions<TwistCoordinatorOptions> options,
        TimeProvider timeProvider,
        CoordinatorInstruments instruments,
        TransactionEventPublisher events,
        ILogger<TransactionDriver> logger)
    {
        this.stores = stores;
        this.transports = transports.ToArray();
        this.timeProvider = timeProvider;
        this.instruments = instruments;
        this.events = events;
        this.logger = logger;
        var value = options.Value;
        maxAttempts = value.MaxAttemptsPerParticipant;
        deliverySlots = new SemaphoreSlim(value.MaxConcurrentDeliveries);
        pipeline = new ResiliencePipelineBuilder<DeliveryResult> { TimeProvider = timeProvider }
            .AddRetry(new RetryStrategyOptions<DeliveryResult>
            {
                // The budget is counted across restarts (attempts are persisted), so the retry count lives in the
                // per-call state rather than in MaxRetryAttempts.
                ShouldHandle = args => ValueTask.FromResult(
                    args.Context.Properties.GetValue(StateKey, null!).Attempts < maxAttempts
                    && (args.Outcome.Result.Outcome == DeliveryOutcome.Transient
                        || args.Outcome.Exception is not (null or OperationCanceledException))),
                MaxRetryAttempts = int.MaxValue - 1,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = value.RetryBaseDelay,
                MaxDelay = value.RetryMaxDelay,
                OnRetry = OnRetryAsync,
            })
            .Build();
    }

    public int DrivingCount => driving.Count;

    public bool IsDriving(string tid) => driving.ContainsKey(tid);

    /// <summary>
    /// Waits until outcomes already announced to callers are in the log, so a read after a Confirm or Cancel answer
    /// sees what that answer said. Does not wait for deliveries that are still being retried.
    /// </summary>
    public Task WhenRecordedAsync(string tid) => recording.TryGetValue(tid, out var pending) ? pending : Task.CompletedTask;

    /// <summary>Waits until every outcome announced so far is in the log (for listings that span transactions).</summary>
    public Task WhenAllRecordedAsync() => recording.IsEmpty ? Task.CompletedTask : Task.WhenAll(recording.Values);

    /// <summary>Starts driving a decided transaction, or joins the drive already running; returns the state after it.</summary>
    /// <param name="transaction">The transaction as last read.</param>
    /// <param name="refresh">Re-read the transaction once the drive is claimed (for snapshots that may be stale, e.g. recovery scans).</param>
    public Task<StoredTransaction> DriveAsync(StoredTransaction transaction, bool refresh = false)
    {
        if (transaction.Status is not (TransactionStatus.Confirming or TransactionStatus.Cancelling) || stopping.IsCancellationRequested)
        {
            return Task.FromResult(transaction);
        }

        if (driving.TryGetValue(transaction.Tid, out var running))
        {
            return running;
        }

        var completion = new TaskCompletionSource<StoredTransaction>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!driving.TryAdd(transaction.Tid, completion.Task))
        {
            return driving.TryGetValue(transaction.Tid, out running) ? running : Task.FromResult(transaction);
        }

        _ = RunAsync(transaction, refresh, completion);
        return completion.Task;
    }

    public async ValueTask DisposeAsync()
    {
        if (!stopping.IsCancellationRequested)
        {
            await stopping.CancelAsync().ConfigureAwait(false);
        }

        await WhenIdleAsync(CancellationToken.None).ConfigureAwait(false);
        stopping.Dispose();
        deliverySlots.Dispose();
    }

    /// <summary>Stops retry waits and lets every drive record what it has done; used at shutdown.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await stopping.CancelAsync().ConfigureAwait(false);
        await WhenIdleAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task WhenIdleAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Task.WhenAll(driving.Values).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Shutdown timeout: what was not recorded is re-delivered by recovery (participants are idempotent).
        }
    }

    private async Task RunAsync(StoredTransaction transaction, bool refresh, TaskCompletionSource<StoredTransaction> completion)
    {
        await Task.Yield();
        instruments.InFlight.Add(1);
        try
        {
            if (refresh)
            {
                var store = await stores.GetAsync(stopping.Token).ConfigureAwait(false);
                transaction = await store.GetAsync(transaction.Tid, stopping.Token).ConfigureAwait(false) ?? transaction;
            }

            var final = await DriveCoreAsync(transaction, delivered => completion.TrySetResult(delivered)).ConfigureAwait(false);
            completion.TrySetResult(final);
        }
        catch (Exception ex)
        {
            if (ex is not OperationCanceledException)
            {
                logger.DriveFailed(ex, transaction.Tid);
            }

            // The decision is durable; the transaction stays in flight and recovery resumes it.
            completion.TrySetResult(transaction);
        }
        finally
        {
            driving.TryRemove(transaction.Tid, out _);
            instruments.InFlight.Add(-1);
        }
    }

    /// <param name="transaction">The decided transaction.</param>
    /// <param name="delivered">
    /// Called once every delivery has ended, before the outcome is written. Waiters learn the outcome without waiting
    /// for that write's fsync: the participants have applied the decision either way, and if the coordinator dies
    /// before the write is durable, recovery re-delivers (participants are idempotent) and writes it again.
    /// </param>
    private async Task<StoredTransaction> DriveCoreAsync(StoredTransaction transaction, Action<StoredTransaction> delivered)
    {
        var confirm = transaction.Status == TransactionStatus.Confirming;
        var phase = confirm ? TwistHeaders.PhaseConfirm : TwistHeaders.PhaseCancel;
        var pending = transaction.Participants.Where(p => p.Status is ParticipantStatus.Registered or ParticipantStatus.Failed).ToArray();
        var finals = pending.Length == 0
            ? []
            : await Task.WhenAll(pending.Select(p => DeliverAsync(transaction.Tid, p, phase))).ConfigureAwait(false);

        var outcomes = finals.Where(a => a is not null).ToDictionary(a => a!.ParticipantId, a => a!);
        var participants = transaction.Participants
            .Select(p => outcomes.TryGetValue(p.Id, out var a)
                ? p with { Status = a.ResultStatus, Attempts = a.AttemptNumber, LastError = a.Error, LastAttemptAt = a.At, NextAttemptAt = null }
                : p)
            .ToArray();
        var doneStatus = confirm ? ParticipantStatus.Confirmed : ParticipantStatus.Cancelled;
        TransactionStatus? completeAs = participants.All(p => p.Status == doneStatus)
            ? (confirm ? TransactionStatus.Confirmed : TransactionStatus.Cancelled)
            : null;

        if (outcomes.Count == 0 && completeAs is null)
        {
            return transaction;
        }

        var now = timeProvider.GetUtcNow();
        var attention = participants.Any(p => p.Status == ParticipantStatus.Heuristic) ? TransactionAttention.Heuristic
            : participants.Any(p => p.Status == ParticipantStatus.Parked) ? TransactionAttention.Parked
            : TransactionAttention.None;
        var result = transaction with
        {
            Participants = participants,
            Status = completeAs ?? transaction.Status,
            CompletedAt = completeAs is null ? null : now,
            Attention = completeAs is null ? attention : TransactionAttention.None,
        };
        if (completeAs is { } final)
        {
            var outcome = final == TransactionStatus.Confirmed ? "confirmed" : transaction.Reason ?? "cancelled";
            instruments.Completed.Add(1, new KeyValuePair<string, object?>(TwistCoordinatorTelemetry.OutcomeAttribute, outcome));
            instruments.TransactionDuration.Record((now - transaction.CreatedAt).TotalSeconds, new KeyValuePair<string, object?>(TwistCoordinatorTelemetry.OutcomeAttribute, outcome));
            logger.TransactionCompleted(transaction.Tid, final.ToString());
            events.Completed(transaction.Tid, final, transaction.Reason);
        }

        var recorded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        recording[transaction.Tid] = recorded.Task;
        delivered(result);
        try
        {
            var store = await stores.GetAsync(CancellationToken.None).ConfigureAwait(false);
            // Not cancellable: these outcomes happened and must be recorded even while the host is stopping.
            await store.RecordAttemptsAsync(transaction.Tid, outcomes.Values.ToArray(), completeAs, now, CancellationToken.None).ConfigureAwait(false);
            await UpdateTasksAsync(store, transaction.Tid, participants, outcomes).ConfigureAwait(false);
        }
        finally
        {
            recording.TryRemove(transaction.Tid, out _);
            recorded.SetResult();
        }

        return result;
    }

    private static async Task UpdateTasksAsync(
        ITransactionStore store, string tid, IReadOnlyList<StoredParticipant> participants, Dictionary<int, ParticipantAttempt> outcomes)
    {
        foreach (var participant in participants)
        {
            if (participant.Target.TaskId is { } taskId && outcomes.ContainsKey(participant.Id)
                && participant.Status is ParticipantStatus.Confirmed or ParticipantStatus.Cancelled)
            {
                var status = participant.Status == ParticipantStatus.Confirmed ? "CONFIRMED" : "CANCELED";
                await store.UpdateTaskAsync(taskId, status, tid, CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Delivers to one participant until done, heuristic, parked, or the host stops (null).</summary>
    private async Task<ParticipantAttempt?> DeliverAsync(string tid, StoredParticipant participant, string phase)
    {
        var request = new DeliveryRequest(tid, participant, phase);
        var state = new DeliveryState(request, participant.Attempts);
        var context = ResilienceContextPool.Shared.Get(stopping.Token);
        context.Properties.Set(StateKey, state);
        try
        {
            if (participant.NextAttemptAt is { } due && due > timeProvider.GetUtcNow())
            {
                // Resumed after a restart: honour the back-off chosen before it.
                await Task.Delay(due - timeProvider.GetUtcNow(), timeProvider, stopping.Token).ConfigureAwait(false);
            }

            DeliveryResult result;
            if (state.Attempts >= maxAttempts)
            {
                // An operator reset gives a fresh budget; without it, a recovered participant at the limit is parked.
                result = new DeliveryResult(DeliveryOutcome.Transient, null, participant.LastError ?? "retry budget exhausted");
            }
            else
            {
                var outcome = await pipeline.ExecuteOutcomeAsync(
                    static async (ctx, self) => Outcome.FromResult(await self.AttemptAsync(ctx).ConfigureAwait(false)),
                    context,
                    this).ConfigureAwait(false);
                outcome.ThrowIfException();
                result = outcome.Result;
            }

            var status = result.Outcome switch
            {
                DeliveryOutcome.Done => request.IsConfirm ? ParticipantStatus.Confirmed : ParticipantStatus.Cancelled,
                DeliveryOutcome.Heuristic => ParticipantStatus.Heuristic,
                _ => ParticipantStatus.Parked,
            };
            ReportFinal(request, status, state.Attempts, result.Error);
            return new ParticipantAttempt
            {
                Tid = tid,
                ParticipantId = participant.Id,
                Phase = phase,
                At = state.LastAttemptAt ?? timeProvider.GetUtcNow(),
                Duration = state.LastDuration,
                ResultStatus = status,
                StatusCode = result.StatusCode,
                Error = result.Error,
                AttemptNumber = state.Attempts,
            };
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            return null;
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private async ValueTask<DeliveryResult> AttemptAsync(ResilienceContext context)
    {
        var state = context.Properties.GetValue(StateKey, null!);
        var request = state.Request;
        await deliverySlots.WaitAsync(context.CancellationToken).ConfigureAwait(false);
        using var activity = CoordinatorInstruments.ActivitySource.StartActivity("twist.participant " + request.Phase, ActivityKind.Client);
        var transport = transports.FirstOrDefault(t => t.CanDeliver(request.Participant.Target.Uri));
        var started = timeProvider.GetTimestamp();
        state.LastAttemptAt = timeProvider.GetUtcNow();
        state.Attempts++;
        DeliveryResult result;
        try
        {
            if (activity is not null)
            {
                activity.SetTag(TwistCoordinatorTelemetry.TransactionIdAttribute, request.Tid);
                activity.SetTag(TwistCoordinatorTelemetry.ParticipantIdAttribute, request.Participant.Id);
                activity.SetTag(TwistCoordinatorTelemetry.PhaseAttribute, request.Phase);
                activity.SetTag("twist.attempt", state.Attempts);
                activity.SetTag("server.address", request.Participant.Target.Uri.Host);
            }

            result = transport is null
                ? new DeliveryResult(DeliveryOutcome.Transient, null, $"no transport handles the scheme '{request.Participant.Target.Uri.Scheme}'")
                : await transport.DeliverAsync(request, context.CancellationToken).ConfigureAwait(false);
        }
        finally
        {
            deliverySlots.Release();
        }

        state.LastDuration = timeProvider.GetElapsedTime(started);
        instruments.CallDuration.Record(
            state.LastDuration.TotalSeconds,
            new KeyValuePair<string, object?>(TwistCoordinatorTelemetry.PhaseAttribute, request.Phase),
            new KeyValuePair<string, object?>("twist.delivery.outcome", result.Outcome.ToString()));
        if (activity is not null)
        {
            activity.SetTag("twist.delivery.outcome", result.Outcome.ToString());
            if (result.StatusCode is { } code)
            {
                activity.SetTag("http.response.status_code", code);
            }

            if (result.Outcome != DeliveryOutcome.Done)
            {
                activity.SetStatus(ActivityStatusCode.Error, result.Error);
            }
        }

        state.LastError = result.Error;
        return result;
    }

    private async ValueTask OnRetryAsync(OnRetryArguments<DeliveryResult> args)
    {
        var state = args.Context.Properties.GetValue(StateKey, null!);
        var request = state.Request;
        var error = args.Outcome.Exception?.Message ?? args.Outcome.Result.Error;
        instruments.Retries.Add(1, new KeyValuePair<string, object?>(TwistCoordinatorTelemetry.PhaseAttribute, request.Phase));
        logger.DeliveryRetrying(request.Tid, request.Participant.Id, request.Phase, state.Attempts, args.RetryDelay, error);
        var now = timeProvider.GetUtcNow();
        var attempt = new ParticipantAttempt
        {
            Tid = request.Tid,
            ParticipantId = request.Participant.Id,
            Phase = request.Phase,
            At = state.LastAttemptAt ?? now,
            Duration = state.LastDuration,
            ResultStatus = ParticipantStatus.Failed,
            StatusCode = args.Outcome.Result.StatusCode,
            Error = error,
            AttemptNumber = state.Attempts,
            NextAttemptAt = now + args.RetryDelay,
        };
        var store = await stores.GetAsync(CancellationToken.None).ConfigureAwait(false);
        // Persisted so the budget and the back-off survive a restart.
        await store.RecordAttemptsAsync(request.Tid, [attempt], null, now, CancellationToken.None).ConfigureAwait(false);
    }

    private void ReportFinal(DeliveryRequest request, ParticipantStatus status, int attempts, string? error)
    {
        events.ParticipantFinished(request.Tid, request.Participant.Id, status, attempts, error);
        if (status == ParticipantStatus.Parked)
        {
            instruments.Parked.Add(1);
            logger.ParticipantParked(request.Tid, request.Participant.Id, request.Phase, attempts, error);
        }
        else if (status == ParticipantStatus.Heuristic)
        {
            instruments.Heuristic.Add(1);
            logger.ParticipantHeuristic(request.Tid, request.Participant.Id, request.Phase, error);
        }
    }

    private sealed class DeliveryState(DeliveryRequest request, int attempts)
    {
        public DeliveryRequest Request { get; } = request;

        public int Attempts { get; set; } = attempts;

        public DateTimeOffset? LastAttemptAt { get; set; }

        public TimeSpan LastDuration { get; set; }

        public string? LastError { get; set; }
    }
}
