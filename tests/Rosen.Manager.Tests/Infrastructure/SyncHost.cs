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
/// unique e-mail column the rules know nothing about, so a duplicate e-mail parks its key.
/// </summary>
public sealed class SyncHost : IAsyncDisposable
{
    public const string ApiKey = "gravity-operator-key-0123";

    private const string Rules = """
        {"rules":[
          {"event":"userSaved","table":"users","method":"update","database":"profiles",
           "mapping":[{"source":"id","target":"id","primary":true,"type":"integer"},{"source":"email","target":"email"},{"source":"name","target":"name"}]}
        ]}
        """;

    private readonly WebApplication app;
    private readonly string directory;

    private SyncHost(WebApplication app, string directory)
    {
        this.app = app;
        this.directory = directory;
    }

    public IGravitySyncOperator Operator => app.Services.GetRequiredService<IGravitySyncOperator>();

    public static async Task<SyncHost> StartAsync(int port, Uri? managerTraces = null)
    {
        var directory = Directory.CreateTempSubdirectory("rosen-sync-").FullName;
        await using (var connection = new SqliteConnection($"Data Source={Path.Combine(directory, "profiles.db")};Pooling=false"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT UNIQUE, name TEXT, _gravity_position INTEGER NOT NULL)";
            await command.ExecuteNonQueryAsync();
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port));
        builder.Services.AddGravitySync(o =>
        {
            o.DataDirectory = directory;
            o.Partitions = 1;
            o.PollInterval = TimeSpan.FromMilliseconds(50);
            o.CheckpointInterval = TimeSpan.FromMilliseconds(20);
            o.RetryBaseDelay = TimeSpan.FromMilliseconds(10);
            o.RetryMaxDelay = TimeSpan.FromMilliseconds(100);
        }).UseRules(new GravityRuleSetBuilder()
            .AddDatabase(new DatabaseDefinition { Name = "profiles", Type = DatabaseDefinition.Sqlite, DbName = Path.Combine(directory, "profiles.db") })
            .AddRulesJson("rules.json", Encoding.UTF8.GetBytes(Rules))
            .Build());
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
        return new SyncHost(app, directory);
    }

    public Task<long> SaveUserAsync(int id, string email, string name) =>
        app.Services.GetRequiredService<IGravityEventLog>()
            .AppendAsync(GravityEventData.FromJson("userSaved", $$"""{"id":{{id}},"email":"{{email}}","name":"{{name}}"}"""), TestContext.Current.CancellationToken).AsTask();

    public async ValueTask DisposeAsync()
    {
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
