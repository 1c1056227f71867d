namespace Twist.Transactions;

/// <summary>Lists the states of one participant of a transaction.</summary>
public enum ParticipantStatus
{
    /// <summary>Registered; no Confirm or Cancel has been delivered yet.</summary>
    Registered = 0,

    /// <summary>The participant acknowledged Confirm.</summary>
    Confirmed = 1,

    /// <summary>The participant acknowledged Cancel (or answered that nothing was reserved).</summary>
    Cancelled = 2,

    /// <summary>The last delivery failed with a transient error; another attempt is scheduled.</summary>
    Failed = 3,

    /// <summary>The retry budget ran out; an operator must retry it (nothing is dropped).</summary>
    Parked = 4,

    /// <summary>The participant answered that it can no longer apply the decision (404/409 on Confirm).</summary>
    Heuristic = 5,
}
