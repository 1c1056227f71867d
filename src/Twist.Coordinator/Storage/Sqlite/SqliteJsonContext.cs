using System.Text.Json.Serialization;

namespace Twist.Coordinator.Storage.Sqlite;

/// <summary>Serializes Brobridge v1 task actions into their JSON columns without reflection (the library is AOT-compatible).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(ParticipantAction))]
internal sealed partial class SqliteJsonContext : JsonSerializerContext;
