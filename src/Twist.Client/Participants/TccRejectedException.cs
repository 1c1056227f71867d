using Twist.Errors;

namespace Twist.Participants;

/// <summary>
/// Thrown by a participant handler to refuse a phase with a specific HTTP status and a message the caller may see, for
/// example <c>throw new TccRejectedException(409, "Insufficient funds.")</c> in a Try. Any other exception is answered
/// 500 without its message. Either way the handler's writes in <see cref="TccContext.Transaction"/> roll back.
/// </summary>
/// <remarks>
/// A refused Try still counts as attempted: its guard row stays <c>trying</c>, so the transaction's Cancel calls your
/// Cancel handler, which must cope with a reservation that was never made.
/// </remarks>
public sealed class TccRejectedException : TwistException
{
    /// <summary>The problem code used when none is given.</summary>
    public const string DefaultCode = TccProblemCodes.Rejected;

    /// <summary>Initializes a new instance of the <see cref="TccRejectedException"/> class with status 409.</summary>
    public TccRejectedException()
        : this(409, "The participant refused the request.")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="TccRejectedException"/> class with status 409.</summary>
    /// <param name="message">The problem's detail, shown to the caller.</param>
    public TccRejectedException(string message)
        : this(409, message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="TccRejectedException"/> class with status 409.</summary>
    /// <param name="message">The problem's detail, shown to the caller.</param>
    /// <param name="innerException">The cause; logged, not shown.</param>
    public TccRejectedException(string message, Exception innerException)
        : base(DefaultCode, message, innerException)
    {
        StatusCode = 409;
    }

    /// <summary>Initializes a new instance of the <see cref="TccRejectedException"/> class.</summary>
    /// <param name="statusCode">The HTTP status to answer, 400-599, e.g. 409 or 422.</param>
    /// <param name="detail">The problem's detail, shown to the caller.</param>
    /// <param name="code">The problem's stable code; <see cref="DefaultCode"/> when <see langword="null"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="statusCode"/> is not 400-599.</exception>
    public TccRejectedException(int statusCode, string detail, string? code = null)
        : base(code ?? DefaultCode, detail)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(statusCode, 400);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(statusCode, 599);
        StatusCode = statusCode;
    }

    /// <summary>Gets the HTTP status to answer.</summary>
    public int StatusCode { get; }
}
