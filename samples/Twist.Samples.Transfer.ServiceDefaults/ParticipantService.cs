using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration.Memory;

namespace Twist.Samples.Transfer;

/// <summary>
/// The web host of one participant service (BANK1, GAME1): Kestrel on loopback, its own SQLite file holding both its
/// business tables and the Twist participant guard, and the participant SDK's options from the standard
/// <c>Twist:Participant</c> section. The same code runs the service as its own process (<c>dotnet run --project
/// samples/Twist.Samples.Transfer.Bank</c>) and in the sample's process, where the story passes the settings as
/// command-line arguments, so both paths read their configuration the same way.
/// </summary>
public static class ParticipantService
{
    /// <summary>
    /// Creates the builder of a service. <paramref name="defaults"/> sit below every other configuration source
    /// (environment, command line), so <c>--Twist:Participant:ReservationLifetime=00:00:10</c> still wins.
    /// </summary>
    /// <param name="name">The service's name, e.g. <c>BANK1</c>; prefixes its log lines.</param>
    /// <param name="args">The command line: <c>--urls</c>, <c>--{Section}:Database</c>, <c>--Twist:Participant:...</c>.</param>
    /// <param name="section">The service's own configuration section, e.g. <c>Bank</c>.</param>
    /// <param name="defaults">The service's defaults: its database file, its listening address, its business settings.</param>
    /// <param name="createSchema">Creates the business tables and seed rows, once, before the app starts.</param>
    /// <returns>The builder, with the participant options and the guard configured; add the participants and build it.</returns>
    public static WebApplicationBuilder CreateBuilder(
        string name, string[] args, string section, IReadOnlyDictionary<string, string?> defaults, Action<DbTransaction, IConfiguration> createSchema)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = name, Args = args });
        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource
        {
            InitialData = new Dictionary<string, string?>(defaults)
            {
                // A reservation outlives the caller's 30 s transaction timeout, so the coordinator's timeout Cancel still finds it;
                // after that the SDK's sweeper cancels it on its own (a caller that crashed, a coordinator that lost it).
                ["Twist:Participant:ReservationLifetime"] = "00:00:35",
                ["Twist:Participant:SweepInterval"] = "00:00:00.500",
                ["Logging:LogLevel:Default"] = "Information",
                ["Logging:LogLevel:Microsoft"] = "Warning",
                ["Logging:LogLevel:System"] = "Warning",
            },
        });

        builder.Logging.ClearProviders().AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = $"HH:mm:ss.fff '[{name}]' ";
        });

        var database = builder.Configuration[section + ":Database"]
            ?? throw new InvalidOperationException($"{name} needs {section}:Database, the path of its SQLite file.");
        var connectionString = new SqliteConnectionStringBuilder { DataSource = database, Pooling = true, DefaultTimeout = 30 }.ToString();
        CreateSchema(connectionString, transaction => createSchema(transaction, builder.Configuration));

        builder.Services.AddSingleton(new ServiceDatabase(connectionString));
        builder.Services.AddProblemDetails();

        // The coordinator's bearer token comes from Twist:Participant:CoordinatorCredential:BearerToken (configuration);
        // the SDK refuses to start without one. The guard lives in the service's own database, beside its business tables,
        // so that a handler's writes and the guard's row commit in one local transaction.
        builder.Services.AddTwistParticipantOptions().UseSqliteGuard(connectionString);
        return builder;
    }

    /// <summary>Starts the app and returns the address Kestrel listens on (the port it picked for <c>127.0.0.1:0</c>).</summary>
    /// <param name="app">The built app.</param>
    /// <param name="cancellationToken">The token to cancel the start.</param>
    /// <returns>The base address, ending with '/'.</returns>
    public static async Task<Uri> StartAsync(WebApplication app, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(app);
        await app.StartAsync(cancellationToken);
        return new Uri(app.Urls.First().TrimEnd('/') + "/");
    }

    private static void CreateSchema(string connectionString, Action<DbTransaction> createSchema)
    {
        using var connection = new SqliteConnection(connectionString);
        connection.Open();
        using (var wal = connection.CreateCommand())
        {
            wal.CommandText = "PRAGMA journal_mode=WAL;";
            wal.ExecuteNonQuery();
        }

        using var transaction = connection.BeginTransaction();
        createSchema(transaction);
        transaction.Commit();
    }
}
