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
}
