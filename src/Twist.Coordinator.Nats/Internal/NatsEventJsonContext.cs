using System.Text.Json;
using System.Text.Json.Serialization;
using Twist.Coordinator.Events;

namespace Twist.Coordinator.Nats;

/// <summary>
/// The event's wire format: camelCase JSON, enums as their names, unset properties left out. Source-generated so
/// the package stays trimming- and AOT-safe.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(TransactionEvent))]
internal sealed partial class NatsEventJsonContext : JsonSerializerContext;
