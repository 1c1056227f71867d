namespace Twist.Errors;

/// <summary>Thrown when the coordinator cannot take the request now (stopping, or its store failed); nothing was changed unless stated.</summary>
public sealed class CoordinatorUnavailableException : TwistException
{
    /// <summary>Initializes a new instance of the <see cref="CoordinatorUnavailableException"/> class.</summary>
    /// <param name="message">Why the coordinator is unavailable.</param>
    /// <param name="innerException">The cause, if any.</param>
    public CoordinatorUnavailableException(string message, Exception? innerException = null)
        : base(TwistErrorCodes.Unavailable, message, innerException)
    {
    }
}
