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
/// <remarks>
/// With a store shared by several instances, a transaction is driven only by its owner, under its epoch: every call
/// carries the epoch, every write is conditional on it, and no call is made while this instance's lease has lapsed.
/// A participant's refusal of the epoch, or a refused write, stops the drive: another instance drives it now.
/// </remarks>
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
    private readonly InstanceLease lease;
    private readonly ParticipantEndpoints endpoints;
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
        InstanceLease lease,
        ParticipantEndpoints endpoints,
        ILogger<TransactionDriver> logger)
    {
        this.stores = stores;
        this.transports = transports.ToArray();
        this.timeProvider = timeProvider;
        this.instruments = instruments;
        this.events = events;
        this.lease = lease;
        this.endpoints = endpoints;
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
    /// <param name="recovered">Whether recovery or a takeover started the drive (counted as recovery throughput).</param>
    /// <remarks>In a cluster, a transaction another instance owns is returned as it is: its owner drives it.</remarks>
    public Task<StoredTransaction> DriveAsync(StoredTransaction transaction, bool refresh = false, bool recovered = false)
    {
        if (transaction.Status is not (TransactionStatus.Confirming or TransactionStatus.Cancelling) || stopping.IsCancellationRequested
            || !lease.Owns(transaction))
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

        _ = RunAsync(transaction, refresh, recovered, completion);
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

    private async Task RunAsync(StoredTransaction transaction, bool refresh, bool recovered, TaskCompletionSource<StoredTransaction> completion)
    {
        await Task.Yield();
        instruments.InFlight.Add(1);
        try
        {
            if (refresh)
            {
                var store = await stores.GetAsync(stopping.Token).ConfigureAwait(false);
                transaction = await store.GetAsync(transaction.Tid, stopping.Token).ConfigureAwait(false) ?? transaction;
                if (!lease.Owns(transaction) || transaction.Status is not (TransactionStatus.Confirming or TransactionStatus.Cancelling))
                {
                    // Claimed by another instance between the listing and this read, or finished by the drive this one
                    // raced with: the listing was read before that drive wrote its outcome, and it had ended by the time
                    // this one started. Driving it again would repeat its completion (log, metrics, event).
                    completion.TrySetResult(transaction);
                    return;
                }
            }

            // After the refresh: a transaction found finished or owned by another instance gets no drive span.
            using var span = DriveActivity.StartOutsideBeginTrace(transaction, recovered);
            var final = await DriveCoreAsync(transaction, delivered => completion.TrySetResult(delivered)).ConfigureAwait(false);
            if (recovered && final.Status.IsFinished())
            {
                instruments.Recovered.Add(1);
            }

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
    /// Called once every delivery has ended, before the outcome is written when the store has a single writer. Waiters
    /// then learn the outcome without waiting for that write's fsync: the participants have applied the decision either
    /// way, and if the coordinator dies before the write is durable, recovery re-delivers (participants are idempotent)
    /// and writes it again. With a shared store it is called after the write (see below).
    /// </param>
    private async Task<StoredTransaction> DriveCoreAsync(StoredTransaction transaction, Action<StoredTransaction> delivered)
    {
        var confirm = transaction.Status == TransactionStatus.Confirming;
        var phase = confirm ? TwistHeaders.PhaseConfirm : TwistHeaders.PhaseCancel;
        var pending = transaction.Participants.Where(p => p.Status is ParticipantStatus.Registered or ParticipantStatus.Failed).ToArray();
        using var drive = new Drive(transaction.Tid, transaction.Epoch, stopping.Token);
        var finals = pending.Length == 0
            ? []
            : await Task.WhenAll(pending.Select(p => DeliverAsync(drive, p, phase))).ConfigureAwait(false);
        if (drive.FencedBecause is { } fencedBecause)
        {
            // What this drive delivered is not recorded: the new owner delivers again (participants are idempotent) and
            // records it under its own epoch.
            Fence(transaction.Tid, transaction.Epoch, fencedBecause);
            return transaction;
        }

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

        // With one writer, reads wait for this write (WhenRecordedAsync), so the answer can go first. With a shared
        // store the caller's next read may reach another instance, which cannot wait for ours: answer once it is written.
        var announceFirst = stores.Store.IsSingleWriter;
        if (announceFirst)
        {
            delivered(result);
        }

        try
        {
            var store = await stores.GetAsync(CancellationToken.None).ConfigureAwait(false);
            // Not cancellable: these outcomes happened and must be recorded even while the host is stopping.
            await store.RecordAttemptsAsync(transaction.Tid, transaction.Epoch, outcomes.Values.ToArray(), completeAs, now, CancellationToken.None).ConfigureAwait(false);
            await UpdateTasksAsync(store, transaction.Tid, participants, outcomes).ConfigureAwait(false);
        }
        catch (TransactionLeaseLostException ex)
        {
            // The participants applied the decision, so the caller's answer stands; the new owner re-delivers
            // (duplicates, answered as done) and records the completion, so its metrics and event may repeat ours.
            Fence(transaction.Tid, transaction.Epoch, $"another instance took it over (epoch {ex.CurrentEpoch}) before the outcome was recorded");
            return transaction;
        }
        finally
        {
            recording.TryRemove(transaction.Tid, out _);
            recorded.SetResult();
            if (!announceFirst)
            {
                delivered(result);
            }
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

    /// <summary>Delivers to one participant until done, heuristic, parked, or the drive stops (null): host stopping, or fenced.</summary>
    private async Task<ParticipantAttempt?> DeliverAsync(Drive drive, StoredParticipant participant, string phase)
    {
        var tid = drive.Tid;
        var request = new DeliveryRequest(tid, participant, phase, drive.Epoch);
        var state = new DeliveryState(request, participant.Attempts, drive);
        var endpoint = endpoints.For(participant.Target);
        try
        {
            if (participant.NextAttemptAt is { } due && due > timeProvider.GetUtcNow())
            {
                // Resumed after a restart or a takeover: honour the back-off chosen before, unless the endpoint comes back.
                await WaitAsync(due - timeProvider.GetUtcNow(), endpoint, drive.Token).ConfigureAwait(false);
            }

            DeliveryResult result;
            if (state.Attempts >= maxAttempts)
            {
                // An operator reset gives a fresh budget; without it, a recovered participant at the limit is parked.
                result = new DeliveryResult(DeliveryOutcome.Transient, null, participant.LastError ?? "retry budget exhausted");
            }
            else
            {
                result = await ExecuteAsync(state, endpoint).ConfigureAwait(false);
            }

            if (result.Outcome is DeliveryOutcome.Superseded or DeliveryOutcome.LeaseLapsed)
            {
                drive.Fence(result.Outcome == DeliveryOutcome.LeaseLapsed ? "this instance's lease lapsed" : result.Error ?? "a participant saw a higher epoch");
                return null;
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
        catch (OperationCanceledException) when (drive.Token.IsCancellationRequested)
        {
            return null;
        }
        catch (TransactionLeaseLostException ex)
        {
            drive.Fence($"another instance took it over (epoch {ex.CurrentEpoch})");
            return null;
        }
    }

    /// <summary>
    /// Runs the retry pipeline. Its back-off waits end early when the participant's endpoint comes back after being
    /// down (<see cref="ParticipantEndpoints"/>): the wait is cancelled and the pipeline runs again from the attempt
    /// it was waiting for, with the budget counted on.
    /// </summary>
    private async Task<DeliveryResult> ExecuteAsync(DeliveryState state, ParticipantEndpoints.Endpoint endpoint)
    {
        while (true)
        {
            using var wake = CancellationTokenSource.CreateLinkedTokenSource(state.Drive.Token, endpoint.Recovered);
            var context = ResilienceContextPool.Shared.Get(wake.Token);
            context.Properties.Set(StateKey, state);
            try
            {
                var outcome = await pipeline.ExecuteOutcomeAsync(
                    static async (ctx, self) => Outcome.FromResult(await self.AttemptAsync(ctx).ConfigureAwait(false)),
                    context,
                    this).ConfigureAwait(false);
                if (outcome.Exception is OperationCanceledException && !state.Drive.Token.IsCancellationRequested)
                {
                    continue; // woken: the endpoint answers again
                }

                outcome.ThrowIfException();
                return outcome.Result;
            }
            catch (OperationCanceledException) when (!state.Drive.Token.IsCancellationRequested)
            {
                // Woken during a back-off wait: the endpoint answers again.
            }
            finally
            {
                ResilienceContextPool.Shared.Return(context);
            }
        }
    }

    /// <summary>Waits <paramref name="delay"/>, or less when <paramref name="endpoint"/> comes back meanwhile.</summary>
    private async Task WaitAsync(TimeSpan delay, ParticipantEndpoints.Endpoint endpoint, CancellationToken cancellationToken)
    {
        using var wake = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, endpoint.Recovered);
        try
        {
            await Task.Delay(delay, timeProvider, wake.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
        }
    }

    private void Fence(string tid, long epoch, string reason)
    {
        instruments.Fenced.Add(1);
        logger.DriveFenced(tid, epoch, reason);
    }

    private async ValueTask<DeliveryResult> AttemptAsync(ResilienceContext context)
    {
        var state = context.Properties.GetValue(StateKey, null!);
        var request = state.Request;

        // The drive's token, not the context's: waking a back-off wait must not abort a call in progress.
        var cancellationToken = state.Drive.Token;
        await deliverySlots.WaitAsync(cancellationToken).ConfigureAwait(false);
        if (!lease.IsHeld)
        {
            // Self-fencing: past its lease another instance may own the transaction; a call made now could race it.
            deliverySlots.Release();
            return new DeliveryResult(DeliveryOutcome.LeaseLapsed, null, "this instance's lease lapsed");
        }

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
                : await transport.DeliverAsync(request, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            deliverySlots.Release();
        }

        if (result.Outcome == DeliveryOutcome.Superseded)
        {
            result = await ConfirmSupersededAsync(request, result).ConfigureAwait(false);
        }

        endpoints.For(request.Participant.Target).Report(result.Outcome);

        state.LastDuration = timeProvider.GetElapsedTime(started);
        instruments.CallDuration.Record(
            state.LastDuration.TotalSeconds,
            new KeyValuePair<string, object?>(TwistCoordinatorTelemetry.PhaseAttribute, request.Phase),
            new KeyValuePair<string, object?>("twist.delivery.outcome", result.Outcome.ToString()));
        if (activity is not null)
        {
            activity.SetTag("twist.delivery.outcome", result.Outcome.ToString()); // the transport wrote its status code
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
        // Persisted so the budget and the back-off survive a restart; fenced, so it fails once another instance owns it.
        await store.RecordAttemptsAsync(request.Tid, request.Epoch, [attempt], null, now, CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>
    /// Checks a participant's claim that it saw a higher epoch against the store: epochs only grow there, so a claim
    /// above the store's epoch is a misbehaving participant, treated as a failed call (retried, then parked).
    /// </summary>
    private async Task<DeliveryResult> ConfirmSupersededAsync(DeliveryRequest request, DeliveryResult result)
    {
        var store = await stores.GetAsync(CancellationToken.None).ConfigureAwait(false);
        var current = await store.GetAsync(request.Tid, CancellationToken.None).ConfigureAwait(false);
        return current is null || current.Epoch > request.Epoch || !lease.Owns(current)
            ? result
            : new DeliveryResult(DeliveryOutcome.Transient, result.StatusCode, result.Error + $", but this instance still drives it under epoch {request.Epoch}");
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

    /// <summary>One drive of one transaction: its epoch, and the token that stops its deliveries when it is fenced or the host stops.</summary>
    private sealed class Drive(string tid, long epoch, CancellationToken stopping) : IDisposable
    {
        private readonly CancellationTokenSource cancellation = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        private string? fencedBecause;

        public string Tid { get; } = tid;

        public long Epoch { get; } = epoch;

        public CancellationToken Token => cancellation.Token;

        /// <summary>Gets why the drive was fenced (the first reason), or null.</summary>
        public string? FencedBecause => Volatile.Read(ref fencedBecause);

        /// <summary>Stops every delivery of this drive: another instance drives the transaction now.</summary>
        public void Fence(string reason)
        {
            if (Interlocked.CompareExchange(ref fencedBecause, reason, null) is null)
            {
                cancellation.Cancel();
            }
        }

        public void Dispose() => cancellation.Dispose();
    }

    private sealed class DeliveryState(DeliveryRequest request, int attempts, Drive drive)
    {
        public DeliveryRequest Request { get; } = request;

        public Drive Drive { get; } = drive;

        public int Attempts { get; set; } = attempts;

        public DateTimeOffset? LastAttemptAt { get; set; }

        public TimeSpan LastDuration { get; set; }

        public string? LastError { get; set; }
    }
}
