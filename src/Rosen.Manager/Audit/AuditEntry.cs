namespace Rosen.Manager.Audit;

/// <summary>One recorded action: who, with which role, did what to what, why, and how it ended.</summary>
public sealed record AuditEntry(
    long Id,
    DateTimeOffset At,
    string Actor,
    string Role,
    string Action,
    string Target,
    string? Reason,
    string Outcome,
    string? Detail);
