namespace Twist.Participants;

/// <summary>Names the values of the guard table's <c>state</c> column (the guard's state machine).</summary>
public static class TccGuardState
{
    /// <summary>A Try started: recorded in its own committed transaction before the business transaction opens.</summary>
    public const string Trying = "trying";

    /// <summary>A Try completed: written in the same transaction as the Try's business writes.</summary>
    public const string Tried = "tried";

    /// <summary>Confirmed: written in the same transaction as the Confirm's business writes.</summary>
    public const string Confirmed = "confirmed";

    /// <summary>Cancelled, or a tombstone written by a Cancel that arrived before any Try.</summary>
    public const string Cancelled = "cancelled";
}
