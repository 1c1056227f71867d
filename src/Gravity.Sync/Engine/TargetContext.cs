using Gravity.Sync.Diagnostics;
using Gravity.Sync.Hosting;
using Gravity.Sync.Targets;
using Microsoft.Extensions.Logging;

namespace Gravity.Sync.Engine;

/// <summary>What every partition of one database shares.</summary>
internal sealed class TargetContext
{
    public required string Database { get; init; }

    public required string Source { get; init; }

    public required ITargetWriter Writer { get; init; }

    public required EventMapper Mapper { get; init; }

    public required IReadOnlyDictionary<string, TableSchema> Tables { get; init; }

    public required int Partitions { get; init; }

    public required GravitySyncOptions Options { get; init; }

    public required TimeProvider Clock { get; init; }

    public required ILogger Logger { get; init; }

    public required SyncInstruments Instruments { get; init; }

    public required ExportDispatcher Exports { get; init; }

    /// <summary>Gets the database's snapshot gate, shared by its pipelines; <see langword="null"/> when its writer cannot take snapshots.</summary>
    public Snapshots.SnapshotGate? Snapshots { get; init; }

    public TimeSpan RetryDelay(int attempt) => Backoff.Delay(attempt, Options.RetryBaseDelay, Options.RetryMaxDelay);
}
