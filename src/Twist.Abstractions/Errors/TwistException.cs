namespace Twist.Errors;

/// <summary>Represents an error of the Twist API; <see cref="Code"/> is one of <see cref="TwistErrorCodes"/>.</summary>
public class TwistException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="TwistException"/> class.</summary>
    public TwistException()
        : this(TwistErrorCodes.InvalidRequest, "The Twist request failed.")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="TwistException"/> class.</summary>
    /// <param name="message">The message.</param>
    public TwistException(string message)
        : this(TwistErrorCodes.InvalidRequest, message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="TwistException"/> class.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public TwistException(string message, Exception innerException)
        : base(message, innerException)
    {
        Code = TwistErrorCodes.InvalidRequest;
    }

    /// <summary>Initializes a new instance of the <see cref="TwistException"/> class.</summary>
    /// <param name="code">One of <see cref="TwistErrorCodes"/>.</param>
    /// <param name="message">A full sentence that says what to fix.</param>
    /// <param name="innerException">The cause, if any.</param>
    public TwistException(string code, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Code = code;
    }

    /// <summary>Gets the stable error code.</summary>
    public string Code { get; }

    /// <summary>Gets the transaction the error is about, if any.</summary>
    public string? Tid { get; init; }
}
