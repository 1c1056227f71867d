namespace Gravity.Sync.Operations;

/// <summary>Operator API of the synchronizer: see where each database stands, list parked events, replay or discard them.</summary>
public interface IGravitySyncOperator
{
    /// <summary>Gets the position of each database against the source.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>One status per database.</returns>
    Task<IReadOnlyList<TargetStatus>> GetStatusAsync(CancellationToken cancellationToken = default);

    /// <summary>Gets, per projection rule, the row changes it committed and held back since this instance started.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>One entry per rule, in declaration order per database.</returns>
    Task<IReadOnlyList<RuleStatus>> GetRuleStatusAsync(CancellationToken cancellationToken = default);

    /// <summary>Lists parked events (and dead letters) in position order.</summary>
    /// <param name="database">Only this database, or all when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The parked events.</returns>
    Task<IReadOnlyList<ParkedEvent>> ListParkedAsync(string? database = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Applies a parked key's events again, in order, with the current rules. When all apply, the key is unparked and
    /// its later events flow again; otherwise the first failure is recorded and the rest stay parked.
    /// </summary>
    /// <param name="key">The parked key (dead letters cannot be replayed: they have no key; discard them).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>What was applied and what still waits.</returns>
    /// <exception cref="ArgumentException">The key is a dead-letter key, or names an unknown database.</exception>
    /// <exception cref="InvalidOperationException">The synchronizer is not running.</exception>
    Task<ReplayResult> ReplayAsync(ParkedKey key, CancellationToken cancellationToken = default);

    /// <summary>Drops a parked key's events without applying them, and unparks the key.</summary>
    /// <param name="key">The parked key, or a table's dead letters (key <see langword="null"/>).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>How many entries were dropped.</returns>
    /// <exception cref="ArgumentException">The key names an unknown database.</exception>
    /// <exception cref="InvalidOperationException">The synchronizer is not running.</exception>
    Task<int> DiscardAsync(ParkedKey key, CancellationToken cancellationToken = default);

    /// <summary>
    /// Empties a database and fills it again from a consistent snapshot of another database the synchronizer writes
    /// with the same rules (or of a registered <see cref="Snapshots.IGravitySnapshotSource"/>), then hands it to the
    /// live stream at the snapshot's positions. The database's pipelines pause meanwhile; other databases continue.
    /// </summary>
    /// <param name="database">The database to reset.</param>
    /// <param name="from">The database or snapshot source to copy.</param>
    /// <param name="cancellationToken">
    /// Cancels the load. The database then stays marked as loading and is loaded again from <paramref name="from"/>
    /// when its pipelines resume; it never serves a half-loaded table as complete.
    /// </param>
    /// <returns>The rows loaded and the positions the database resumed from.</returns>
    /// <exception cref="ArgumentException">
    /// An unknown database or origin, the database itself as origin, or an origin database whose rules for these tables differ.
    /// </exception>
    /// <exception cref="InvalidOperationException">The synchronizer is not running.</exception>
    Task<SnapshotResult> ResetFromSnapshotAsync(string database, string from, CancellationToken cancellationToken = default);
}
