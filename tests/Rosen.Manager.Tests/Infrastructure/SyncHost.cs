using System.Net;
using System.Text;
using Gravity.Sync.EventLog;
using Gravity.Sync.Events;
using Gravity.Sync.Hosting;
using Gravity.Sync.Operations;
using Gravity.Sync.Rules;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Rosen.Manager.Tests.Infrastructure;

/// <summary>
/// A real Gravity synchronizer (SQLite event log and view) with its HTTP operator API on loopback. The view has a
/// unique e-mail column the rules know nothing about, so a duplicate e-mail parks its key. With a replica, a second
/// SQLite database ("replica") gets the same rules, so either can be reset from a snapshot of the other, and a
/// snapshot source that holds its load until released ("held-source") is registered.
/// </summary>
public sealed class SyncHost : IAsyncDisposable
{
    public const string ApiKey = "gravity-operator-key-0123";

    private const string Rule = """
          {"event":"userSaved","table":"users","method":"update","database":"DATABASE",
           "mapping":[{"source":"id","target":"id","primary":true,"type":"integer"},{"source":"email","target":"email"},{"source":"name","target":"name"}]}
        """;

    private readonly WebApplication app;
    private readonly string directory;

    private SyncHost(WebApplication app, string directory, HeldSnapshotSource? held)
    {
        this.app = app;
        this.directory = directory;
        Held = held;
    }

    public IGravitySyncOperator Operator => app.Services.GetRequiredService<IGravitySyncOperator>();

    /// <summary>The snapshot source whose loads wait until released (with a replica only).</summary>
    public HeldSnapshotSource? Held { get; }

    public static async Task<SyncHost> StartAsync(int port, Uri? managerTraces = null, bool withReplica = false, string? replicaSnapshotFrom = null)
    {
        var directory = Directory.CreateTempSubdirectory("rosen-sync-").FullName;
        string[] databases = withReplica ? ["profiles", "replica"] : ["profiles"];
        foreach (var database in databases)
        {
            await ExecuteAsync(directory, database, "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT UNIQUE, name TEXT, _gravity_position INTEGER NOT NULL)");
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port));
        var rules = new GravityRuleSetBuilder();
        foreach (var database in databases)
        {
            rules.AddDatabase(new DatabaseDefinition
            {
                Name = database,
                Type = DatabaseDefinition.Sqlite,
                DbName = Path.Combine(directory, database + ".db"),
                SnapshotFrom = database == "replica" ? replicaSnapshotFrom : null,
            });
        }

        var rulesJson = $$"""{"rules":[{{string.Join(",", databases.Select(d => Rule.Replace("DATABASE", d, StringComparison.Ordinal)))}}]}""";
        HeldSnapshotSource? held = null;
        var sync = builder.Services.AddGravitySync(o =>
        {
            o.DataDirectory = directory;
            o.Partitions = 1;
            o.PollInterval = TimeSpan.FromMilliseconds(50);
            o.CheckpointInterval = TimeSpan.FromMilliseconds(20);
            o.RetryBaseDelay = TimeSpan.FromMilliseconds(10);
            o.RetryMaxDelay = TimeSpan.FromMilliseconds(100);
        }).UseRules(rules.AddRulesJson("rules.json", Encoding.UTF8.GetBytes(rulesJson)).Build());
        if (withReplica)
        {
            sync.AddSnapshotSource(sp => held = new HeldSnapshotSource(sp.GetRequiredService<IGravityEventLog>()));
        }

        if (managerTraces is not null)
        {
            builder.Services.AddOpenTelemetry()
                .ConfigureResource(r => r.AddService("profile-sync", serviceInstanceId: "profile-sync-1"))
                .WithTracing(t => t.AddSource(Gravity.Sync.Diagnostics.GravitySyncTelemetry.Name).AddOtlpExporter(o =>
                {
                    o.Endpoint = managerTraces;
                    o.Protocol = OpenTelemetry.Exporter.OtlpExportProtocol.HttpProtobuf;
                    o.Headers = $"X-Rosen-Key={ManagerHost.AgentKey}";
                    o.ExportProcessorType = OpenTelemetry.ExportProcessorType.Simple;
                }));
        }

        var app = builder.Build();
        app.MapGet("/healthz", () => "ok");
        app.MapGravitySyncOperatorApi("/gravity", ApiKey);
        await app.StartAsync(TestContext.Current.CancellationToken);
        return new SyncHost(app, directory, held);
    }

    /// <summary>The users of one database, as "id|email|name" in id order.</summary>
    public async Task<List<string>> ReadUsersAsync(string database)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(directory, database + ".db")};Pooling=false");
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, email, name FROM users ORDER BY id";
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        var users = new List<string>();
        while (await reader.ReadAsync(TestContext.Current.CancellationToken))
        {
            users.Add($"{reader.GetInt64(0)}|{reader.GetString(1)}|{reader.GetString(2)}");
        }

        return users;
    }

    /// <summary>Runs SQL against one database behind the synchronizer's back (to damage it, as a bad restore would).</summary>
    public Task ExecuteAsync(string database, string sql) => ExecuteAsync(directory, database, sql);

    public Task<long> SaveUserAsync(int id, string email, string name) =>
        app.Services.GetRequiredService<IGravityEventLog>()
            .AppendAsync(GravityEventData.FromJson("userSaved", $$"""{"id":{{id}},"email":"{{email}}","name":"{{name}}"}"""), TestContext.Current.CancellationToken).AsTask();

    private static async Task ExecuteAsync(string directory, string database, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(directory, database + ".db")};Pooling=false");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        Held?.Release(); // a load still held would keep its database's pipelines waiting through the stop
        await app.StopAsync();
        await app.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
