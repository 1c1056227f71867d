using Gravity.Sync.Targets;

namespace Gravity.Sync.Snapshots;

/// <summary>
/// An open, consistent snapshot. Its rows must reflect at least every event up to <see cref="Positions"/> (a later
/// state is fine: the database then reads the source from those positions and every row's position guard makes the
/// events it applies again converge on the same rows).
/// </summary>
public interface IGravitySnapshot : IAsyncDisposable
{
    /// <summary>
    /// Gets, per source name (<see cref="Events.IEventSource.Name"/>; one per partition of a partitioned source), the
    /// position the rows reflect. The database resumes each source after its position; a source missing here is read
    /// from its beginning.
    /// </summary>
    IReadOnlyDictionary<string, long> Positions { get; }

    /// <summary>Reads every row of one table.</summary>
    /// <param name="table">The table as the database being filled has it: its columns are the values to give.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The rows, in any order; a key given twice keeps the row with the higher position.</returns>
    IAsyncEnumerable<GravitySnapshotRow> ReadRowsAsync(TableSchema table, CancellationToken cancellationToken);

    /// <summary>
    /// Reads the events held back (parked) at or before a source's position, so the filled database keeps those keys
    /// parked as the snapshot's origin does. A source that does not park anything returns none (the default).
    /// </summary>
    /// <param name="source">The source name.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The parked entries of <paramref name="source"/>.</returns>
    IAsyncEnumerable<ParkedEntry> ReadParkedAsync(string source, CancellationToken cancellationToken) => AsyncEnumerable.Empty<ParkedEntry>();
}
