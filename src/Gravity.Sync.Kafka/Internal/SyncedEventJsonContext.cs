using System.Text.Json;
using System.Text.Json.Serialization;
using Gravity.Sync.Exporters;

namespace Gravity.Sync.Kafka.Internal;

/// <summary>The synced event's wire format: camelCase JSON, unset properties left out; source-generated.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(SyncedEvent))]
internal sealed partial class SyncedEventJsonContext : JsonSerializerContext;
