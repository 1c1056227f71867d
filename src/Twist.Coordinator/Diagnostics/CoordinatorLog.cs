using Microsoft.Extensions.Logging;

namespace Twist.Coordinator.Diagnostics;

/// <summary>The coordinator's structured logs. Event ids 1000-1099 are stable: alerts and dashboards may key on them.</summary>
internal static partial class CoordinatorLog
{
    [LoggerMessage(1000, LogLevel.Debug, "Transaction {Tid} begun, expires at {ExpiresAt:o}", EventName = "TransactionBegun")]
    public static partial void TransactionBegun(this ILogger logger, string tid, DateTimeOffset expiresAt);

    [LoggerMessage(1005, LogLevel.Error, "A begun transaction could not be written to the log; the caller will get 404 for it", EventName = "BeginNotPersisted")]
    public static partial void BeginNotPersisted(this ILogger logger, Exception exception);

    [LoggerMessage(1001, LogLevel.Debug, "Transaction {Tid} decided {Decision} ({Reason})", EventName = "TransactionDecided")]
    public static partial void TransactionDecided(this ILogger logger, string tid, string decision, string? reason);

    [LoggerMessage(1002, LogLevel.Debug, "Transaction {Tid} finished {Status}", EventName = "TransactionCompleted")]
    public static partial void TransactionCompleted(this ILogger logger, string tid, string status);

    [LoggerMessage(1003, LogLevel.Information, "Transaction {Tid} timed out at {ExpiresAt:o}; cancelling it", EventName = "TransactionTimedOut")]
    public static partial void TransactionTimedOut(this ILogger logger, string tid, DateTimeOffset expiresAt);

    [LoggerMessage(1004, LogLevel.Information, "Transaction {Tid}: confirm became cancel because {Reason}", EventName = "ConfirmBecameCancel")]
    public static partial void ConfirmBecameCancel(this ILogger logger, string tid, string? reason);

    [LoggerMessage(1010, LogLevel.Warning, "Transaction {Tid} participant {ParticipantId} {Phase} attempt {Attempt} failed, retrying in {Delay}: {Error}", EventName = "DeliveryRetrying")]
    public static partial void DeliveryRetrying(this ILogger logger, string tid, int participantId, string phase, int attempt, TimeSpan delay, string? error);

    [LoggerMessage(1011, LogLevel.Error, "Transaction {Tid} participant {ParticipantId} parked after {Attempts} {Phase} attempts; an operator must retry it. Last error: {Error}", EventName = "ParticipantParked")]
    public static partial void ParticipantParked(this ILogger logger, string tid, int participantId, string phase, int attempts, string? error);

    [LoggerMessage(1012, LogLevel.Error, "Transaction {Tid} participant {ParticipantId} cannot apply {Phase} (heuristic outcome, needs an operator): {Error}", EventName = "ParticipantHeuristic")]
    public static partial void ParticipantHeuristic(this ILogger logger, string tid, int participantId, string phase, string? error);

    [LoggerMessage(1020, LogLevel.Information, "Recovery resumed {Count} decided transactions", EventName = "RecoveryResumed")]
    public static partial void RecoveryResumed(this ILogger logger, int count);

    [LoggerMessage(1021, LogLevel.Error, "The {Worker} worker failed; it retries at its next interval", EventName = "WorkerFailed")]
    public static partial void WorkerFailed(this ILogger logger, Exception exception, string worker);

    [LoggerMessage(1022, LogLevel.Information, "Purged {Count} finished transactions completed before {Cutoff:o}", EventName = "Purged")]
    public static partial void Purged(this ILogger logger, int count, DateTimeOffset cutoff);

    [LoggerMessage(1024, LogLevel.Information, "Purged {AuditCount} audit entries recorded before {AuditCutoff:o} and {TaskCount} unbound v1 tasks expired before {TaskCutoff:o}", EventName = "HistoryPurged")]
    public static partial void HistoryPurged(this ILogger logger, int auditCount, DateTimeOffset auditCutoff, int taskCount, DateTimeOffset taskCutoff);

    [LoggerMessage(1025, LogLevel.Warning, "Twist:Coordinator:AllowedParticipantHosts is empty: every participant link will be refused (400 invalid-participant-link) until you list your services' hosts, e.g. \"*.svc.cluster.local\" or \"10.0.0.0/8\"", EventName = "NoParticipantHostsAllowed")]
    public static partial void NoParticipantHostsAllowed(this ILogger logger);

    [LoggerMessage(1023, LogLevel.Error, "Delivering transaction {Tid} failed unexpectedly; recovery will resume it", EventName = "DriveFailed")]
    public static partial void DriveFailed(this ILogger logger, Exception exception, string tid);

    [LoggerMessage(1030, LogLevel.Warning, "Operator {Actor} {Action} on transaction {Tid} (participant {ParticipantId}): {Outcome}. Reason: {Reason}", EventName = "OperatorAction")]
    public static partial void OperatorAction(this ILogger logger, string actor, string action, string tid, int? participantId, string outcome, string? reason);

    [LoggerMessage(1031, LogLevel.Information, "Coordinator store ready ({Store})", EventName = "StoreReady")]
    public static partial void StoreReady(this ILogger logger, string store);

    [LoggerMessage(1040, LogLevel.Information, "Coordinator instance {InstanceId} holds its lease ({Duration}); it drives what it decides and takes over the transactions of instances whose lease lapsed", EventName = "InstanceLeaseAcquired")]
    public static partial void InstanceLeaseAcquired(this ILogger logger, string instanceId, TimeSpan duration);

    [LoggerMessage(1041, LogLevel.Warning, "Coordinator instance {InstanceId} could not renew its lease; it lapses in {Remaining} unless a renewal succeeds", EventName = "InstanceLeaseRenewalFailed")]
    public static partial void InstanceLeaseRenewalFailed(this ILogger logger, Exception exception, string instanceId, TimeSpan remaining);

    [LoggerMessage(1042, LogLevel.Error, "Coordinator instance {InstanceId} lost its lease: it calls no participant until it renews it, and other instances may take its transactions over", EventName = "InstanceLeaseLapsed")]
    public static partial void InstanceLeaseLapsed(this ILogger logger, string instanceId);

    [LoggerMessage(1043, LogLevel.Information, "Coordinator instance {InstanceId} released its lease; other instances take its unfinished transactions over now", EventName = "InstanceLeaseReleased")]
    public static partial void InstanceLeaseReleased(this ILogger logger, string instanceId);

    [LoggerMessage(1044, LogLevel.Information, "Took over {Count} decided transactions whose coordinator instance's lease lapsed", EventName = "TransactionsTakenOver")]
    public static partial void TransactionsTakenOver(this ILogger logger, int count);

    [LoggerMessage(1045, LogLevel.Warning, "Transaction {Tid}: stopped driving it under epoch {Epoch} because {Reason}; its current owner finishes it", EventName = "DriveFenced")]
    public static partial void DriveFenced(this ILogger logger, string tid, long epoch, string reason);

    [LoggerMessage(1046, LogLevel.Information, "Participant endpoint {Endpoint} answers again after {Failures} failed calls in a row; deliveries waiting on it retry now", EventName = "EndpointRecovered")]
    public static partial void EndpointRecovered(this ILogger logger, string endpoint, int failures);

    [LoggerMessage(1047, LogLevel.Warning, "Coordinator instance {InstanceId} could not release its lease at shutdown; the others take its transactions over once it lapses", EventName = "InstanceLeaseReleaseFailed")]
    public static partial void InstanceLeaseReleaseFailed(this ILogger logger, Exception exception, string instanceId);
}
