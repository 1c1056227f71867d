namespace Twist.Coordinator.PostgreSql;

/// <summary>Configures the PostgreSQL transaction store.</summary>
public sealed class PostgreSqlStoreOptions
{
    /// <summary>
    /// Gets or sets the schema that holds the coordinator's tables. Coordinators that share a schema share their
    /// transactions; give separate clusters separate schemas. Created on first start when missing.
    /// </summary>
    /// <value>The default value is <c>twist</c>.</value>
    /// <remarks>
    /// A letter or underscore followed by letters, digits or underscores, at most 63 characters (PostgreSQL's
    /// identifier limit). It is used as written, so <c>Twist</c> and <c>twist</c> are different schemas.
    /// </remarks>
    public string Schema { get; set; } = "twist";
}
