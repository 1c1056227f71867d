namespace Gravity.Sync.Targets;

/// <summary>A stored checkpoint: every row change of <see cref="Partition"/> from events up to <see cref="Position"/> is applied.</summary>
/// <param name="Partition">The key-hash partition.</param>
/// <param name="Partitions">The partition count the checkpoint was written with.</param>
/// <param name="Position">The source position.</param>
public sealed record CheckpointEntry(int Partition, int Partitions, long Position);
