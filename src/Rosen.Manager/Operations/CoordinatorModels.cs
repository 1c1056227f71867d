namespace Rosen.Manager.Operations;

// The coordinator operator API's JSON (Twist.Coordinator.AspNetCore, /api/v1/admin), read leniently: only what the
// manager shows. Enums stay strings so a newer coordinator's values display instead of failing.

public sealed class CoordinatorTransaction
{
    public string Tid { get; set; } = string.Empty;

    public string Status { get; set; } = string.Empty;

    public string? Attention { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset Expires { get; set; }

    public DateTimeOffset? DecidedAt { get; set; }

    public DateTimeOffset? CompletedAt { get; set; }

    public string? Reason { get; set; }

    public List<CoordinatorParticipant> Participants { get; set; } = [];
}

public sealed class CoordinatorParticipant
{
    public int Id { get; set; }

    public string Uri { get; set; } = string.Empty;

    public string Status { get; set; } = string.Empty;

    public int Attempts { get; set; }

    public string? LastError { get; set; }

    public DateTimeOffset? LastAttemptAt { get; set; }

    public DateTimeOffset? NextAttemptAt { get; set; }
}

public sealed class CoordinatorAttempt
{
    public int ParticipantId { get; set; }

    public string Phase { get; set; } = string.Empty;

    public DateTimeOffset At { get; set; }

    public double DurationMs { get; set; }

    public string ResultStatus { get; set; } = string.Empty;

    public int? StatusCode { get; set; }

    public string? Error { get; set; }

    public int AttemptNumber { get; set; }
}

public sealed class CoordinatorAudit
{
    public DateTimeOffset At { get; set; }

    public string Actor { get; set; } = string.Empty;

    public string Action { get; set; } = string.Empty;

    public int? ParticipantId { get; set; }

    public string? Reason { get; set; }

    public string Outcome { get; set; } = string.Empty;
}

public sealed class CoordinatorTransactionDetails
{
    public CoordinatorTransaction Transaction { get; set; } = new();

    public List<CoordinatorAttempt> Attempts { get; set; } = [];

    public List<CoordinatorAudit> Audit { get; set; } = [];
}

public sealed class CoordinatorTransactionList
{
    public List<CoordinatorTransaction> Items { get; set; } = [];
}

/// <summary>Where a transaction was found: the configured coordinator's name and what it says.</summary>
public sealed record CoordinatorView(string Coordinator, CoordinatorTransactionDetails Details);

/// <summary>How an operator call ended, with a message a person can read.</summary>
public sealed record OperatorResult(bool Succeeded, string Message);
