using Twist.Coordinator.Storage;
using Twist.Transactions;

namespace Twist.Coordinator.AspNetCore.Internal;

/// <summary>Maps coordinator types to the REST wire shapes.</summary>
internal static class ApiMapper
{
    public static TransactionResponse ToResponse(TransactionInfo info, bool? success) => new()
    {
        Success = success,
        Tid = info.Tid,
        Status = info.Status,
        Attention = info.Attention,
        Expires = info.ExpiresAt,
        CreatedAt = info.CreatedAt,
        DecidedAt = info.DecidedAt,
        CompletedAt = info.CompletedAt,
        Reason = info.Reason,
        Participants = info.Participants.Select(p => new ParticipantResponse
        {
            Id = p.Id,
            Uri = p.Uri.OriginalString,
            Expires = p.Expires,
            Status = p.Status,
            Attempts = p.Attempts,
            LastError = p.LastError,
            LastAttemptAt = p.LastAttemptAt,
            NextAttemptAt = p.NextAttemptAt,
            TaskId = p.TaskId,
        }).ToList(),
    };

    public static TransactionResponse ToResponse(StoredTransaction stored) => new()
    {
        Tid = stored.Tid,
        Status = stored.Status,
        Attention = stored.Attention,
        Expires = stored.ExpiresAt,
        CreatedAt = stored.CreatedAt,
        DecidedAt = stored.DecidedAt,
        CompletedAt = stored.CompletedAt,
        Reason = stored.Reason,
        Participants = stored.Participants.Count == 0 ? null : stored.Participants.Select(p => new ParticipantResponse
        {
            Id = p.Id,
            Uri = p.Target.Uri.OriginalString,
            Expires = p.Expires,
            Status = p.Status,
            Attempts = p.Attempts,
            LastError = p.LastError,
            LastAttemptAt = p.LastAttemptAt,
            NextAttemptAt = p.NextAttemptAt,
            TaskId = p.Target.TaskId,
        }).ToList(),
    };

    public static TaskResponse ToResponse(StoredTask task) => new()
    {
        Id = task.Id,
        Actions = new TaskActionsResponse { Confirm = ToResponse(task.Confirm), Cancel = ToResponse(task.Cancel) },
        Payload = task.Payload,
        Status = task.Status,
        Tid = task.Tid,
        CreatedAt = task.CreatedAt,
        Expires = task.ExpiresAt,
    };

    public static AttemptResponse ToResponse(ParticipantAttempt attempt) => new()
    {
        ParticipantId = attempt.ParticipantId,
        Phase = attempt.Phase,
        At = attempt.At,
        DurationMs = attempt.Duration.TotalMilliseconds,
        ResultStatus = attempt.ResultStatus,
        StatusCode = attempt.StatusCode,
        Error = attempt.Error,
        AttemptNumber = attempt.AttemptNumber,
        NextAttemptAt = attempt.NextAttemptAt,
    };

    public static AuditResponse ToResponse(AuditEntry entry) => new()
    {
        Id = entry.Id,
        At = entry.At,
        Actor = entry.Actor,
        Action = entry.Action,
        Tid = entry.Tid,
        ParticipantId = entry.ParticipantId,
        Reason = entry.Reason,
        Outcome = entry.Outcome,
    };

    private static TaskActionResponse ToResponse(ParticipantAction action) => new()
    {
        Method = action.Method,
        Uri = action.Uri.OriginalString,
        Headers = action.Headers.Count == 0 ? null : new Dictionary<string, string>(action.Headers, StringComparer.OrdinalIgnoreCase),
    };
}
