using Microsoft.Extensions.DependencyInjection.Extensions;
using Rosen.Collector.PostgreSql;
using Rosen.Collector.Storage;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Puts the Rosen collector's spans in PostgreSQL.</summary>
public static class RosenCollectorPostgreSqlServiceCollectionExtensions
{
    /// <summary>Registers <see cref="PostgreSqlSpanStore"/> as the <see cref="ISpanStore"/>, before or after <c>AddRosenCollector()</c>.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="connectionString">An Npgsql connection string.</param>
    /// <param name="schema">The schema of the tables, created when missing.</param>
    /// <returns>The service collection, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The connection string is empty or the schema is not a plain identifier.</exception>
    public static IServiceCollection AddRosenPostgreSqlSpanStore(this IServiceCollection services, string connectionString, string schema = "rosen")
    {
        ArgumentNullException.ThrowIfNull(services);
        var store = new PostgreSqlSpanStore(connectionString, schema);
        services.RemoveAll<ISpanStore>();
        services.AddSingleton<ISpanStore>(store);
        return services;
    }
}
