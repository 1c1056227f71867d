using System.Text.Json;
using System.Text.Json.Serialization;

namespace Twist.Coordinator.Events;

/// <summary>Source-generated so every event output stays trimming- and AOT-safe; see <see cref="TransactionEventJson"/>.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(TransactionEvent))]
internal sealed partial class TransactionEventJsonContext : JsonSerializerContext;
