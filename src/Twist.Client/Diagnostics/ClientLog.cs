using Microsoft.Extensions.Logging;

namespace Twist.Client.Diagnostics;

/// <summary>The caller SDK's structured logs. Event ids 3000-3099 are stable: alerts and dashboards may key on them.</summary>
internal static partial class ClientLog
{
    [LoggerMessage(3000, LogLevel.Information, "Twist client started: {Options}", EventName = "ClientStarted")]
    public static partial void ClientStarted(this ILogger logger, string options);

    [LoggerMessage(3001, LogLevel.Debug, "Transaction {Tid} begun, deadline {Deadline:o}", EventName = "TransactionBegun")]
    public static partial void TransactionBegun(this ILogger logger, string tid, DateTimeOffset deadline);

    [LoggerMessage(3002, LogLevel.Debug, "Transaction {Tid}: participant {Uri} added, expires {Expires:o}", EventName = "ParticipantAdded")]
    public static partial void ParticipantAdded(this ILogger logger, string tid, Uri uri, DateTimeOffset expires);

    [LoggerMessage(3003, LogLevel.Information, "Transaction {Tid} confirm answered {Status} ({Count} participants)", EventName = "TransactionConfirmed")]
    public static partial void TransactionConfirmed(this ILogger logger, string tid, string status, int count);

    [LoggerMessage(3004, LogLevel.Information, "Transaction {Tid} cancel answered {Status}", EventName = "TransactionCancelled")]
    public static partial void TransactionCancelled(this ILogger logger, string tid, string status);

    [LoggerMessage(3005, LogLevel.Warning, "Transaction {Tid} could not be confirmed: it is {Status} ({Reason})", EventName = "ConfirmRefused")]
    public static partial void ConfirmRefused(this ILogger logger, string tid, string status, string? reason);

    [LoggerMessage(3006, LogLevel.Warning, "Transaction {Tid} was disposed without a confirm or cancel; cancelling it", EventName = "DisposeCancelling")]
    public static partial void DisposeCancelling(this ILogger logger, string tid);

    [LoggerMessage(3007, LogLevel.Warning, "Transaction {Tid}: the cancel sent on dispose failed; the coordinator cancels it at its deadline {Deadline:o}", EventName = "DisposeCancelFailed")]
    public static partial void DisposeCancelFailed(this ILogger logger, Exception exception, string tid, DateTimeOffset deadline);

    [LoggerMessage(3008, LogLevel.Debug, "Transaction {Tid}: registered the participant link {Uri} from a Try answer", EventName = "TryAnswerRegistered")]
    public static partial void TryAnswerRegistered(this ILogger logger, string tid, Uri uri);

    [LoggerMessage(3009, LogLevel.Warning, "Transaction {Tid}: ignored a Try answer for transaction {AnswerTid} from {RequestUri}", EventName = "TryAnswerTidMismatch")]
    public static partial void TryAnswerTidMismatch(this ILogger logger, string tid, string answerTid, Uri? requestUri);

    [LoggerMessage(3010, LogLevel.Warning, "Transaction {Tid}: ignored the Try answer from {RequestUri} because the transaction is already {State}", EventName = "TryAnswerTooLate")]
    public static partial void TryAnswerTooLate(this ILogger logger, string tid, Uri? requestUri, string state);

    [LoggerMessage(3011, LogLevel.Debug, "Transaction {Tid}: the answer from {RequestUri} is not a Try answer", EventName = "NotATryAnswer")]
    public static partial void NotATryAnswer(this ILogger logger, string tid, Uri? requestUri);

    [LoggerMessage(3012, LogLevel.Warning, "Transaction {Tid}: registering {Count} participants before the cancel failed; their reservations lapse at their expiry", EventName = "RegisterBeforeCancelFailed")]
    public static partial void RegisterBeforeCancelFailed(this ILogger logger, Exception exception, string tid, int count);

    [LoggerMessage(3020, LogLevel.Warning, "Coordinator call {Operation} failed: {Code}", EventName = "CoordinatorCallFailed")]
    public static partial void CoordinatorCallFailed(this ILogger logger, Exception exception, string operation, string code);
}
