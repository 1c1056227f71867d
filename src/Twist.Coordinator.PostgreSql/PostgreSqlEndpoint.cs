using System.Globalization;
using Npgsql;

namespace Twist.Coordinator.PostgreSql;

/// <summary>Where the store connects, for logs and error messages. Holds no credentials, so it is safe to print.</summary>
internal sealed record PostgreSqlEndpoint(string Host, int Port, string Database)
{
    /// <summary>Reads the host, port and database from a connection string.</summary>
    /// <exception cref="ArgumentException">The connection string is not valid.</exception>
    public static PostgreSqlEndpoint Parse(string connectionString)
    {
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or KeyNotFoundException)
        {
            // The original message can quote the string, password included; say only what to fix.
            throw new ArgumentException(
                "The PostgreSQL connection string passed to UsePostgreSql is not valid. Use the Npgsql form, e.g. 'Host=db;Database=app;Username=twist;Password=...'.",
                nameof(connectionString));
        }

        return new PostgreSqlEndpoint(builder.Host ?? "localhost", builder.Port, builder.Database ?? builder.Username ?? "postgres");
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Host}:{Port}/{Database}");
}
