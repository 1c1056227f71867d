using Twist.Coordinator.Storage;
using Twist.Transactions;

namespace Twist.Coordinator.Engine;

/// <summary>Maps stored rows to the public contract types.</summary>
internal static class TransactionMapping
{
    public static TransactionInfo ToInfo(this StoredTransaction t) => new()
    {
        Tid = t.Tid,
        Status = t.Status,
        Attention = t.Attention,
        CreatedAt = t.CreatedAt,
        ExpiresAt = t.ExpiresAt,
        DecidedAt = t.DecidedAt,
        CompletedAt = t.CompletedAt,
        Reason = t.Reason,
        Participants = t.Participants.Select(ToInfo).ToArray(),
    };

    public static ParticipantInfo ToInfo(this StoredParticipant p) => new()
    {
        Id = p.Id,
        Uri = p.Target.ConfirmAction?.Uri ?? p.Target.Uri,
        Expires = p.Expires,
        Status = p.Status,
        Attempts = p.Attempts,
        LastError = p.LastError,
        LastAttemptAt = p.LastAttemptAt,
        NextAttemptAt = p.NextAttemptAt,
        TaskId = p.Target.TaskId,
    };
}
