using Gravity.Sync.Hosting;
using Gravity.Sync.MySql;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds MySQL and MariaDB views to the Gravity synchronizer.</summary>
public static class GravitySyncMySqlExtensions
{
    /// <summary>Lets databases of type <c>mysql</c> in databases.json be written (MySqlConnector; MariaDB too).</summary>
    /// <param name="builder">The builder returned by <c>AddGravitySync</c>.</param>
    /// <returns>The builder.</returns>
    public static IGravitySyncBuilder AddMySql(this IGravitySyncBuilder builder) => builder.AddSqlDialect(MySqlDialect.Instance);
}
