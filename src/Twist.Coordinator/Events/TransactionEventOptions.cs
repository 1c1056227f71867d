namespace Twist.Coordinator.Events;

/// <summary>Tunes how transaction events are queued and handed to the <see cref="ITransactionEventSink"/>s.</summary>
public sealed class TransactionEventOptions
{
    /// <summary>The configuration section these options are conventionally bound from.</summary>
    public const string SectionName = "Twist:Coordinator:Events";

    /// <summary>Gets or sets how many events may wait for the sinks; past it new events are dropped (and logged).</summary>
    /// <value>The default value is 10000.</value>
    public int QueueCapacity { get; set; } = 10_000;

    /// <summary>Gets or sets how many times one event is offered to one sink before it is dropped for that sink.</summary>
    /// <value>The default value is 5.</value>
    public int MaxAttempts { get; set; } = 5;

    /// <summary>Gets or sets the first retry delay; later ones grow exponentially (with jitter) up to <see cref="RetryMaxDelay"/>.</summary>
    /// <value>The default value is 200 milliseconds.</value>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Gets or sets the longest retry delay.</summary>
    /// <value>The default value is 5 seconds.</value>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Gets or sets how long one sink call may take before it counts as failed.</summary>
    /// <value>The default value is 5 seconds.</value>
    public TimeSpan SinkTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Gets or sets how long the dispatcher keeps publishing queued events once the host stops.</summary>
    /// <value>The default value is 5 seconds.</value>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(5);
}
