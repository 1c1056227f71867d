using Gravity.Sync.Hosting;
using Gravity.Sync.PostgreSql;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds PostgreSQL views to the Gravity synchronizer.</summary>
public static class GravitySyncPostgreSqlExtensions
{
    /// <summary>Lets databases of type <c>postgres</c> in databases.json be written (Npgsql).</summary>
    /// <param name="builder">The builder returned by <c>AddGravitySync</c>.</param>
    /// <returns>The builder.</returns>
    public static IGravitySyncBuilder AddPostgreSql(this IGravitySyncBuilder builder) => builder.AddSqlDialect(PostgreSqlDialect.Instance);
}
