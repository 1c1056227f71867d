namespace Twist.Coordinator.Events;

/// <summary>What happened to a transaction; the kind of a <see cref="TransactionEvent"/>.</summary>
public enum TransactionEventKind
{
    /// <summary>The transaction was begun.</summary>
    Begun = 0,

    /// <summary>A participant joined the transaction (again, if it re-registered the same link).</summary>
    ParticipantRegistered = 1,

    /// <summary>The decision (confirm or cancel) became durable; <see cref="TransactionEvent.Decision"/> says which.</summary>
    Decided = 2,

    /// <summary>A participant acknowledged Confirm.</summary>
    ParticipantConfirmed = 3,

    /// <summary>A participant acknowledged Cancel.</summary>
    ParticipantCancelled = 4,

    /// <summary>A participant exhausted its retry budget and waits for an operator.</summary>
    ParticipantParked = 5,

    /// <summary>A participant answered that it can no longer apply the decision (heuristic outcome).</summary>
    ParticipantHeuristic = 6,

    /// <summary>Every participant applied the decision; <see cref="TransactionEvent.Status"/> is Confirmed or Cancelled.</summary>
    Completed = 7,
}
