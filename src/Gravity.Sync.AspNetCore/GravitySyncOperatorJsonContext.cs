using System.Text.Json.Serialization;
using Gravity.Sync.Operations;

namespace Gravity.Sync.AspNetCore;

/// <summary>The operator API's JSON, source-generated (no reflection).</summary>
[JsonSourceGenerationOptions(System.Text.Json.JsonSerializerDefaults.Web, AllowTrailingCommas = false, MaxDepth = 8)]
[JsonSerializable(typeof(IReadOnlyList<TargetStatus>))]
[JsonSerializable(typeof(IReadOnlyList<RuleStatus>))]
[JsonSerializable(typeof(IReadOnlyList<ParkedEvent>))]
[JsonSerializable(typeof(ParkedKey))]
[JsonSerializable(typeof(ReplayResult))]
[JsonSerializable(typeof(SnapshotResetRequest))]
internal sealed partial class GravitySyncOperatorJsonContext : JsonSerializerContext
{
}
