namespace Twist.Errors;

/// <summary>Thrown when a request is malformed; <see cref="Errors"/> lists every problem found, by field.</summary>
public sealed class TwistValidationException : TwistException
{
    /// <summary>Initializes a new instance of the <see cref="TwistValidationException"/> class.</summary>
    /// <param name="code">One of <see cref="TwistErrorCodes"/>.</param>
    /// <param name="errors">The problems, keyed by field path (e.g. <c>participantLinks[0].uri</c>).</param>
    public TwistValidationException(string code, IReadOnlyDictionary<string, string[]> errors)
        : base(code, BuildMessage(errors))
    {
        Errors = errors;
    }

    /// <summary>Initializes a new instance of the <see cref="TwistValidationException"/> class for one field.</summary>
    /// <param name="code">One of <see cref="TwistErrorCodes"/>.</param>
    /// <param name="field">The field path.</param>
    /// <param name="error">What is wrong with it and how to fix it.</param>
    public TwistValidationException(string code, string field, string error)
        : this(code, new Dictionary<string, string[]> { [field] = [error] })
    {
    }

    /// <summary>Gets the problems, keyed by field path.</summary>
    public IReadOnlyDictionary<string, string[]> Errors { get; }

    private static string BuildMessage(IReadOnlyDictionary<string, string[]> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        return "The request is invalid: " + string.Join(" ", errors.SelectMany(e => e.Value.Select(v => $"{e.Key}: {v}")));
    }
}
