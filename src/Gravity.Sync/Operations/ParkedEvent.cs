namespace Gravity.Sync.Operations;

/// <summary>A parked event as an operator sees it.</summary>
public sealed class ParkedEvent
{
    /// <summary>Gets the key it is parked under (its <see cref="ParkedKey.Key"/> is <see langword="null"/> for a dead letter).</summary>
    public required ParkedKey ParkedKey { get; init; }

    /// <summary>Gets the event's source position.</summary>
    public required long Position { get; init; }

    /// <summary>Gets the event id.</summary>
    public required string EventId { get; init; }

    /// <summary>Gets the event name.</summary>
    public required string EventName { get; init; }

    /// <summary>Gets the payload as text.</summary>
    public required string Payload { get; init; }

    /// <summary>Gets why it is parked: the failure, or that it waits behind an earlier failed event of the key.</summary>
    public required string Reason { get; init; }

    /// <summary>Gets when it was parked.</summary>
    public required DateTimeOffset ParkedAt { get; init; }

    /// <summary>Gets how many times applying it failed.</summary>
    public required int Attempts { get; init; }
}
