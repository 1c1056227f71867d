using System.Text.Json.Serialization;
using Twist.Coordinator.Storage;

namespace Twist.Coordinator.PostgreSql;

/// <summary>Serializes Brobridge v1 task actions into their jsonb columns without reflection (the library is AOT-compatible).</summary>
/// <remarks>Same shape as the SQLite store's columns, so data can be copied between the two.</remarks>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(ParticipantAction))]
internal sealed partial class PostgreSqlJsonContext : JsonSerializerContext;
