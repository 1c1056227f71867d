namespace Twist.Transactions;

/// <summary>Lists the states of a TCC transaction (see specs/twist-protocol.md, "States").</summary>
/// <remarks>A transaction that reached <see cref="Confirming"/> or <see cref="Cancelling"/> never changes its decision.</remarks>
public enum TransactionStatus
{
    /// <summary>Begun; participants may still register. Past its deadline it is cancelled (presumed abort).</summary>
    Active = 0,

    /// <summary>The decision to confirm is durable; Confirm calls are being delivered.</summary>
    Confirming = 1,

    /// <summary>Every participant confirmed.</summary>
    Confirmed = 2,

    /// <summary>The decision to cancel is durable; Cancel calls are being delivered.</summary>
    Cancelling = 3,

    /// <summary>Every participant cancelled (or had nothing reserved).</summary>
    Cancelled = 4,
}
