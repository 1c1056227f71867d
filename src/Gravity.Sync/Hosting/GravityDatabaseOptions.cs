namespace Gravity.Sync.Hosting;

/// <summary>Settings of one database that override databases.json, so secrets and environment-specific addresses stay out of the file.</summary>
public sealed class GravityDatabaseOptions
{
    /// <summary>Gets or sets a full ADO.NET connection string that replaces the file's host, port, user and database.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Gets or sets the password, replacing the file's.</summary>
    public string? Password { get; set; }

    /// <summary>Gets or sets the partition count of this database, replacing <see cref="GravitySyncOptions.Partitions"/>.</summary>
    public int? Partitions { get; set; }

    /// <summary>
    /// Gets or sets the database (or registered snapshot source) a new database of this name is filled from, instead
    /// of replaying the source from its beginning: its rows and checkpoints are copied in one consistent read, and the
    /// database then follows the live stream from the copy's positions. Only a database with no checkpoint yet (never
    /// synchronized) or an unfinished load is filled; the origin must write the same tables with the same rules.
    /// Replaces the database's <c>snapshotFrom</c> in databases.json when both are set.
    /// </summary>
    /// <value>The default value is <see langword="null"/>: a new database replays the source from its beginning.</value>
    public string? SnapshotFrom { get; set; }
}
