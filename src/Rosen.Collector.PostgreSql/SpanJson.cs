using System.Text.Json.Serialization;
using Rosen.Collector.Storage;

namespace Rosen.Collector.PostgreSql;

/// <summary>Serializes the jsonb columns without reflection, in the same shape as the SQLite store.</summary>
[JsonSourceGenerationOptions(System.Text.Json.JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(Dictionary<string, string>))]
[JsonSerializable(typeof(List<CollectedSpanEvent>))]
[JsonSerializable(typeof(List<CollectedSpanLink>))]
internal sealed partial class SpanJson : JsonSerializerContext
{
}
