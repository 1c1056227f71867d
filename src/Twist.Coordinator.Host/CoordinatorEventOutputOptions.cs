namespace Twist.Coordinator.Host;

/// <summary>
/// Which brokers the host's coordinator publishes its transaction events to: <c>Twist:Coordinator:EventOutput</c>, a
/// comma-separated list of <see cref="NatsKind"/> and <see cref="KafkaKind"/> (empty or <see cref="NoneKind"/>: no
/// event output). Each output is configured in its own section, <c>Twist:Coordinator:Nats</c> and
/// <c>Twist:Coordinator:Kafka</c>; queueing and retries in <c>Twist:Coordinator:Events</c>. Host-only keys, taken out of
/// the section before the strict binding of <see cref="Hosting.TwistCoordinatorOptions"/>.
/// </summary>
internal sealed class CoordinatorEventOutputOptions
{
    /// <summary>The key, relative to <c>Twist:Coordinator</c>.</summary>
    public const string Key = "EventOutput";

    public const string NoneKind = "None";
    public const string NatsKind = "Nats";
    public const string KafkaKind = "Kafka";

    /// <summary>The sub-sections of <c>Twist:Coordinator</c> the event outputs own.</summary>
    public static readonly string[] Sections = [Key, "Nats", "Kafka", "Events"];

    /// <summary>Gets or sets the configured value, as written.</summary>
    public string? EventOutput { get; set; }

    /// <summary>Gets the entries of <see cref="EventOutput"/>, trimmed, without empty ones.</summary>
    public IReadOnlyList<string> Entries =>
        (EventOutput ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    public bool Nats => Entries.Contains(NatsKind, StringComparer.OrdinalIgnoreCase);

    public bool Kafka => Entries.Contains(KafkaKind, StringComparer.OrdinalIgnoreCase);

    /// <summary>Gets the entries that name no output.</summary>
    public IEnumerable<string> Unknown =>
        Entries.Where(e => !e.Equals(NatsKind, StringComparison.OrdinalIgnoreCase) && !e.Equals(KafkaKind, StringComparison.OrdinalIgnoreCase) && !e.Equals(NoneKind, StringComparison.OrdinalIgnoreCase));
}
