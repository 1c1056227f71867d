using System.Globalization;

namespace Twist.Coordinator.Storage;

/// <summary>
/// Thrown by a store shared by several coordinator instances when a write is made under an epoch the transaction no
/// longer has: another instance took the transaction over, and only its writes count now. Nothing was written.
/// </summary>
/// <remarks>Not a failure to retry: the engine stops driving the transaction and leaves it to its new owner.</remarks>
public sealed class TransactionLeaseLostException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="TransactionLeaseLostException"/> class.</summary>
    /// <param name="tid">The transaction id.</param>
    /// <param name="epoch">The epoch the write was made under.</param>
    /// <param name="currentEpoch">The transaction's epoch in the store.</param>
    public TransactionLeaseLostException(string tid, long epoch, long currentEpoch)
        : base(string.Create(
            CultureInfo.InvariantCulture,
            $"Transaction '{tid}' is driven under epoch {currentEpoch} now; a write under epoch {epoch} was refused because another coordinator instance took the transaction over."))
    {
        Tid = tid;
        Epoch = epoch;
        CurrentEpoch = currentEpoch;
    }

    /// <summary>Gets the transaction id.</summary>
    public string Tid { get; }

    /// <summary>Gets the epoch the refused write was made under.</summary>
    public long Epoch { get; }

    /// <summary>Gets the transaction's epoch in the store when the write was refused.</summary>
    public long CurrentEpoch { get; }
}
