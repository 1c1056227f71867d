using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Twist.Coordinator.Hosting;
using Twist.Coordinator.PostgreSql;

// In this namespace so that `services.AddTwistCoordinator(o => o.UsePostgreSql(cs))` needs no extra using.
namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Stores the Twist coordinator's log in PostgreSQL.</summary>
public static partial class PostgreSqlTwistCoordinatorOptionsExtensions
{
    /// <summary>
    /// Stores the coordinator's log in PostgreSQL, so that several coordinator instances can share it. The schema is
    /// created or upgraded when the coordinator starts; instances starting at the same time take turns.
    /// </summary>
    /// <param name="options">The coordinator options.</param>
    /// <param name="connectionString">
    /// An Npgsql connection string, e.g. <c>Host=db;Database=app;Username=twist;Password=…</c>. Pooling settings
    /// (<c>Maximum Pool Size</c>) bound how many store calls run at once.
    /// </param>
    /// <param name="configure">Configures the store, e.g. its schema name.</param>
    /// <returns>The coordinator options, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">
    /// <paramref name="connectionString"/> is empty or not a valid connection string, or the configured schema name is not a plain identifier.
    /// </exception>
    public static TwistCoordinatorOptions UsePostgreSql(
        this TwistCoordinatorOptions options, string connectionString, Action<PostgreSqlStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var storeOptions = new PostgreSqlStoreOptions();
        configure?.Invoke(storeOptions);

        // Checked here, not when the host starts, so a typo fails at the line that made it.
        if (storeOptions.Schema is null || !SchemaName().IsMatch(storeOptions.Schema))
        {
            throw new ArgumentException(
                $"PostgreSqlStoreOptions.Schema '{storeOptions.Schema}' is not a plain identifier: use a letter or underscore followed by up to 62 letters, digits or underscores.",
                nameof(configure));
        }

        var endpoint = PostgreSqlEndpoint.Parse(connectionString);
        var schema = storeOptions.Schema;
        return options.UseStore(sp => new PostgreSqlTransactionStore(
            connectionString,
            schema,
            endpoint,
            sp.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance));
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]{0,62}$", RegexOptions.CultureInvariant)]
    private static partial Regex SchemaName();
}
