using System.Text.Json.Serialization;

namespace Rosen.Collector.Storage;

/// <summary>Serializes the attribute, event and link columns without reflection.</summary>
[JsonSourceGenerationOptions(System.Text.Json.JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(Dictionary<string, string>))]
[JsonSerializable(typeof(List<CollectedSpanEvent>))]
[JsonSerializable(typeof(List<CollectedSpanLink>))]
internal sealed partial class SpanJsonContext : JsonSerializerContext
{
}
