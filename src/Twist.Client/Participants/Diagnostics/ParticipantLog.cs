using Microsoft.Extensions.Logging;

namespace Twist.Participants.Diagnostics;

/// <summary>The participant runtime's structured logs. Event ids 3100-3199 are stable: alerts and dashboards may key on them.</summary>
internal static partial class ParticipantLog
{
    [LoggerMessage(3100, LogLevel.Warning,
        "No coordinator credential is configured (Twist:Participant:CoordinatorCredential): anyone who can reach this service can confirm or cancel its reservations. " +
        "Running anyway because AllowUnauthenticatedCoordinator is true; set BearerToken and/or HmacKey to the coordinator's ParticipantCredential.",
        EventName = "UnauthenticatedCoordinator")]
    public static partial void UnauthenticatedCoordinator(this ILogger logger);

    [LoggerMessage(3101, LogLevel.Information, "Twist participants ready: {Participants}; {Options}", EventName = "ParticipantsStarted")]
    public static partial void ParticipantsStarted(this ILogger logger, string participants, string options);

    [LoggerMessage(3102, LogLevel.Debug, "Participant {Participant}, transaction {Tid}: {Phase} {Outcome}", EventName = "PhaseDecided")]
    public static partial void PhaseDecided(this ILogger logger, string participant, string tid, string phase, string outcome);

    [LoggerMessage(3103, LogLevel.Warning, "Participant {Participant}, transaction {Tid}: refused a Try that arrived after the transaction was cancelled (hanging)", EventName = "HangingTryRefused")]
    public static partial void HangingTryRefused(this ILogger logger, string participant, string tid);

    [LoggerMessage(3104, LogLevel.Warning, "Participant {Participant}, transaction {Tid}: refused a Try because an earlier Try of the transaction did not complete", EventName = "IncompleteTryRefused")]
    public static partial void IncompleteTryRefused(this ILogger logger, string participant, string tid);

    [LoggerMessage(3105, LogLevel.Information, "Participant {Participant}, transaction {Tid}: Cancel before any Try; recorded a tombstone without calling the handler (null compensation)", EventName = "NullCompensation")]
    public static partial void NullCompensation(this ILogger logger, string participant, string tid);

    [LoggerMessage(3106, LogLevel.Warning, "Participant {Participant}, transaction {Tid}: refused {Phase} because the transaction was already {State}", EventName = "PhaseConflict")]
    public static partial void PhaseConflict(this ILogger logger, string participant, string tid, string phase, string state);

    [LoggerMessage(3107, LogLevel.Warning, "Participant {Participant}, transaction {Tid}: Confirm without a successful Try; answered 404", EventName = "ConfirmNotTried")]
    public static partial void ConfirmNotTried(this ILogger logger, string participant, string tid);

    [LoggerMessage(3108, LogLevel.Information, "Participant {Participant}, transaction {Tid}: the {Phase} handler refused with {Status}: {Detail}", EventName = "HandlerRejected")]
    public static partial void HandlerRejected(this ILogger logger, string participant, string tid, string phase, int status, string detail);

    [LoggerMessage(3109, LogLevel.Error, "Participant {Participant}, transaction {Tid}: the {Phase} handler failed; its writes were rolled back and 500 answered", EventName = "HandlerFailed")]
    public static partial void HandlerFailed(this ILogger logger, Exception exception, string participant, string tid, string phase);

    [LoggerMessage(3110, LogLevel.Warning, "Participant {Participant}: refused {Method} {Path}: {Reason}", EventName = "CoordinatorUnauthorized")]
    public static partial void CoordinatorUnauthorized(this ILogger logger, string participant, string method, string path, string reason);

    [LoggerMessage(3111, LogLevel.Debug, "Participant {Participant}: bad request {Method} {Path}: {Reason}", EventName = "BadRequest")]
    public static partial void BadRequest(this ILogger logger, string participant, string method, string path, string reason);

    [LoggerMessage(3112, LogLevel.Warning, "Participant {Participant}, transaction {Tid}: refused {Phase} under coordinator epoch {Epoch}; epoch {Highest} was already seen (the sender lost the transaction to another coordinator instance)", EventName = "StaleEpochRefused")]
    public static partial void StaleEpochRefused(this ILogger logger, string participant, string tid, string phase, long epoch, long highest);

    [LoggerMessage(3130, LogLevel.Information, "Participant {Participant}, transaction {Tid}: the reservation expired without Confirm or Cancel; cancelled it", EventName = "ReservationExpired")]
    public static partial void ReservationExpired(this ILogger logger, string participant, string tid);

    [LoggerMessage(3131, LogLevel.Warning, "Participant {Participant}, transaction {Tid}: cancelling the expired reservation failed; the next sweep retries", EventName = "ExpiryCancelFailed")]
    public static partial void ExpiryCancelFailed(this ILogger logger, Exception exception, string participant, string tid);

    [LoggerMessage(3132, LogLevel.Debug, "Guard retention: deleted {Count} finished rows last changed before {Cutoff:o}", EventName = "GuardRowsPurged")]
    public static partial void GuardRowsPurged(this ILogger logger, int count, DateTimeOffset cutoff);

    [LoggerMessage(3133, LogLevel.Warning, "The guard sweep failed; the next sweep retries in {Interval}", EventName = "SweepFailed")]
    public static partial void SweepFailed(this ILogger logger, Exception exception, TimeSpan interval);
}
