using System.Text.Json;

namespace Gravity.Sync.Internal;

/// <summary>
/// The key field of an event payload as text, the way the Kafka and NATS publishers route an event that has no key of
/// its own. Compiled into both adapter packages (eng/Shared/Gravity) so the two route by exactly the same text.
/// </summary>
internal static class PayloadKeyField
{
    /// <summary>The field's value as text (a JSON string's content, or a number's or boolean's literal); none for missing or malformed payloads.</summary>
    public static string? Read(ReadOnlyMemory<byte> payload, string? field)
    {
        if (field is null)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(payload);
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty(field, out var value)
                ? value.ValueKind switch
                {
                    JsonValueKind.String => value.GetString(),
                    JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
                    _ => null,
                }
                : null;
        }
        catch (JsonException)
        {
            return null; // published as is: the synchronizer records it as a dead letter with the reason
        }
    }
}
