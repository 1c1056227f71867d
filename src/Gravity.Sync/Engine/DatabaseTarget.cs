using Gravity.Sync.Targets;

namespace Gravity.Sync.Engine;

/// <summary>A prepared database: what every lane's pipeline for it shares.</summary>
internal sealed record DatabaseTarget(string Name, ITargetWriter Writer, EventMapper Mapper, IReadOnlyDictionary<string, TableSchema> Tables, int Partitions);
