using System.Data.Common;
using System.Text.Json;
using System.Text.Json.Serialization;
using Gravity.Sync.EventLog;
using Gravity.Sync.Events;
using Gravity.Sync.Outbox;

namespace Twist.Docs.Snippets;

/// <summary>The code of src/Gravity.Sync/README.md (its [Projection] record is GravityRulesSnippets' UserCreated).</summary>
public static partial class GravitySyncReadmeSnippets
{
    public static async Task UseItAsync(WebApplicationBuilder builder, DbConnection connection, User user, IGravityEventLog eventLog)
    {
        #region snippet: gravity-sync-readme-use-it
        builder.Services.AddGravitySync(o =>
        {
            o.RulesFiles.Add("rules/rules.json");
            o.DatabasesFile = "rules/databases.json";
            o.DataDirectory = "data";                         // the embedded event log and relative SQLite views
        })
        .AddPostgreSql()                                      // package Gravity.Sync.PostgreSql, for "type": "postgres"
        .AddMySql()                                           // package Gravity.Sync.MySql, for "type": "mysql" (MariaDB too)
        .AddSqliteOutboxRelay("Data Source=app.db");          // relays the app's outbox into the event log

        // Publish in the same local transaction as the business data:
        await using var tx = await connection.BeginTransactionAsync();
        // ... INSERT the user ...
        await GravityOutbox.AppendAsync(tx, GravityEventData.Create("userCreated", user, AppJson.Default.User));
        await tx.CommitAsync();

        // Or append straight to the log:
        await eventLog.AppendAsync(GravityEventData.FromJson("userCreated", """{"id":1,"name":"Fred"}"""));
        #endregion
    }

    public static async Task ProjectionsAsync(WebApplicationBuilder builder, IGravityEventPublisher publisher)
    {
        #region snippet: gravity-sync-readme-projections
        builder.Services.AddGravitySync(o => o.DatabasesFile = "rules/databases.json")
            .AddGeneratedProjections()                        // the [Projection] rules of this assembly
            .AddNatsExporter("synced");                       // package Gravity.Sync.Nats: the exporter the attribute names
        await publisher.PublishAsync(new UserCreated(1, "Fred", "fred@brobridge.com").ToGravityEvent());
        #endregion
    }

    // The README's application types.
    public sealed record User(long Id, string Name, string Email);

    [JsonSerializable(typeof(User))]
    [JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
    internal sealed partial class AppJson : JsonSerializerContext;
}
