using System.Text.Json;

namespace Twist.Coordinator.Events;

/// <summary>
/// The wire format every event output (NATS, Kafka) uses for a <see cref="TransactionEvent"/>: camelCase JSON, enums
/// as their names, unset properties left out. Consumers read a message body back with <see cref="Deserialize"/>.
/// </summary>
public static class TransactionEventJson
{
    /// <summary>Writes the event as UTF-8 JSON, e.g. <c>{"eventId":"…","transactionId":"…","kind":"Decided","decision":"Confirm",…}</c>.</summary>
    /// <param name="transactionEvent">The event.</param>
    /// <returns>The JSON bytes.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="transactionEvent"/> is null.</exception>
    public static byte[] SerializeToUtf8Bytes(TransactionEvent transactionEvent)
    {
        ArgumentNullException.ThrowIfNull(transactionEvent);
        return JsonSerializer.SerializeToUtf8Bytes(transactionEvent, TransactionEventJsonContext.Default.TransactionEvent);
    }

    /// <summary>Reads an event from a message body written by <see cref="SerializeToUtf8Bytes"/>.</summary>
    /// <param name="utf8Json">The message body.</param>
    /// <returns>The event.</returns>
    /// <exception cref="JsonException">The body is not a transaction event (malformed JSON, or a required property is missing).</exception>
    public static TransactionEvent Deserialize(ReadOnlySpan<byte> utf8Json) =>
        JsonSerializer.Deserialize(utf8Json, TransactionEventJsonContext.Default.TransactionEvent)
        ?? throw new JsonException("The message body is JSON null, not a transaction event.");
}
