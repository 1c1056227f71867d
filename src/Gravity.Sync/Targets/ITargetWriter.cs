namespace Gravity.Sync.Targets;

/// <summary>
/// Writes views into one database. The synchronizer asks it to prepare the tables, reads its checkpoints and parked
/// events, and applies batches through <see cref="ITargetTransaction"/>s, so rows, parked events and the checkpoint
/// always commit together.
/// </summary>
public interface ITargetWriter : IAsyncDisposable
{
    /// <summary>Gets the database name from databases.json.</summary>
    string Database { get; }

    /// <summary>Gets how many key-hash partitions (parallel writers) suit this database when the options give none.</summary>
    int DefaultPartitions { get; }

    /// <summary>Creates Gravity's bookkeeping tables and the missing view tables, and checks existing tables against the rules.</summary>
    /// <param name="tables">The tables the rules write.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The tables as found or created.</returns>
    /// <exception cref="Rules.GravityRulesException">A table does not match the rules; the message names the table, column and rule.</exception>
    Task<IReadOnlyList<TableSchema>> PrepareAsync(IReadOnlyList<TableRequirement> tables, CancellationToken cancellationToken);

    /// <summary>Reads the checkpoints stored for a source.</summary>
    /// <param name="source">The source name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The checkpoints, one per partition; none on the first start.</returns>
    Task<IReadOnlyList<CheckpointEntry>> ReadCheckpointsAsync(string source, CancellationToken cancellationToken);

    /// <summary>Reads parked entries in position order.</summary>
    /// <param name="source">The source name.</param>
    /// <param name="table">Only this table, or all when <see langword="null"/>.</param>
    /// <param name="key">Only this key, or all when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The entries.</returns>
    Task<IReadOnlyList<ParkedEntry>> ReadParkedAsync(string source, string? table, string? key, CancellationToken cancellationToken);

    /// <summary>Reads the oldest synced events queued for an exporter, in source position order.</summary>
    /// <param name="exporter">The exporter name.</param>
    /// <param name="maxCount">The most entries to return.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The entries; empty when nothing waits.</returns>
    Task<IReadOnlyList<ExportEntry>> ReadExportsAsync(string exporter, int maxCount, CancellationToken cancellationToken);

    /// <summary>Removes synced events their exporter has published.</summary>
    /// <param name="entries">The entries.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the entries are removed.</returns>
    Task RemoveExportsAsync(IReadOnlyList<ExportEntry> entries, CancellationToken cancellationToken);

    /// <summary>Opens a connection and begins a transaction.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The transaction; disposing it without commit rolls back.</returns>
    Task<ITargetTransaction> BeginAsync(CancellationToken cancellationToken);

    /// <summary>Tells whether a failure is worth retrying as it is (lost connection, deadlock, busy) rather than a problem with the data.</summary>
    /// <param name="exception">The failure.</param>
    /// <returns><see langword="true"/> to retry the batch; <see langword="false"/> to isolate the row that fails and park its key.</returns>
    bool IsTransient(Exception exception);

    /// <summary>Describes a failure that parks a key, in terms an operator can act on.</summary>
    /// <param name="exception">The failure.</param>
    /// <returns>The description stored with the parked entry.</returns>
    string DescribeFailure(Exception exception);
}
