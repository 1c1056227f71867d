namespace Twist.Testing;

/// <summary>Thrown by <see cref="ParticipantConformanceReport.ThrowIfFailed"/>: the message is the readable report, so a test framework shows it as is.</summary>
public sealed class ParticipantConformanceException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="ParticipantConformanceException"/> class.</summary>
    public ParticipantConformanceException()
        : this("The participant did not pass the Twist conformance scenarios.")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ParticipantConformanceException"/> class.</summary>
    /// <param name="message">The message.</param>
    public ParticipantConformanceException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ParticipantConformanceException"/> class.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public ParticipantConformanceException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ParticipantConformanceException"/> class from a report.</summary>
    /// <param name="report">The failed report.</param>
    public ParticipantConformanceException(ParticipantConformanceReport report)
        : base(report?.ToString() ?? throw new ArgumentNullException(nameof(report)))
    {
        Report = report;
    }

    /// <summary>Gets the report, when the exception came from one.</summary>
    public ParticipantConformanceReport? Report { get; }
}
