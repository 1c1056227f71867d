namespace Twist.Transactions;

/// <summary>Flags a transaction that needs an operator.</summary>
public enum TransactionAttention
{
    /// <summary>Nothing needs a human.</summary>
    None = 0,

    /// <summary>At least one participant exhausted its retry budget and waits for an operator's retry.</summary>
    Parked = 1,

    /// <summary>At least one participant could not apply the decision; the outcome is mixed and needs a human.</summary>
    Heuristic = 2,
}
