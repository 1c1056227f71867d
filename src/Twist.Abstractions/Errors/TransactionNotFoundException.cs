namespace Twist.Errors;

/// <summary>Thrown when no transaction has the given id (it never existed, or was purged after completion).</summary>
public sealed class TransactionNotFoundException : TwistException
{
    /// <summary>Initializes a new instance of the <see cref="TransactionNotFoundException"/> class.</summary>
    /// <param name="tid">The transaction id that was not found.</param>
    public TransactionNotFoundException(string tid)
        : base(TwistErrorCodes.TransactionNotFound, $"No transaction has the id '{tid}'. It never existed or was purged after it finished.")
    {
        Tid = tid;
    }
}
