namespace Gravity.Sync.Rules;

/// <summary>
/// Thrown at start-up when the rules, databases or exporters are invalid. <see cref="Exception.Message"/> lists every
/// problem, each naming the file, the rule and the field.
/// </summary>
public sealed class GravityRulesException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="GravityRulesException"/> class.</summary>
    public GravityRulesException()
        : this([])
    {
    }

    /// <summary>Initializes a new instance of the <see cref="GravityRulesException"/> class with one error.</summary>
    /// <param name="message">The error.</param>
    public GravityRulesException(string message)
        : this([message])
    {
    }

    /// <summary>Initializes a new instance of the <see cref="GravityRulesException"/> class.</summary>
    /// <param name="message">The error.</param>
    /// <param name="innerException">The cause.</param>
    public GravityRulesException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = [message];
    }

    /// <summary>Initializes a new instance of the <see cref="GravityRulesException"/> class with all the errors found.</summary>
    /// <param name="errors">The errors, one sentence each.</param>
    public GravityRulesException(IReadOnlyList<string> errors)
        : base(Format(errors))
    {
        Errors = errors;
    }

    /// <summary>Gets the errors, one sentence each.</summary>
    public IReadOnlyList<string> Errors { get; }

    private static string Format(IReadOnlyList<string> errors) => errors.Count switch
    {
        0 => "The Gravity rules are invalid.",
        1 => "The Gravity rules are invalid: " + errors[0],
        _ => $"The Gravity rules are invalid ({errors.Count} problems):" + Environment.NewLine + string.Join(Environment.NewLine, errors.Select(e => "  - " + e)),
    };
}
