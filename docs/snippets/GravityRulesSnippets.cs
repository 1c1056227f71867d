using Gravity.Sync.Events;
using Gravity.Sync.Rules;

namespace Twist.Docs.Snippets;

#region snippet: gravity-projection-user-created
// rules.json: {"event":"userCreated","table":"users","method":"update","database":["db1","db2"],"exporter":["synced"],
//              "mapping":[{"source":"id","target":"id","primary":true},{"source":"name","target":"col_name"},{"source":"email","target":"col_email"}]}
[Projection("userCreated", Table = "users", Method = ProjectionMethod.Upsert, Databases = ["db1", "db2"], Exporters = ["synced"])]
public sealed record UserCreated([property: Key] long Id, [property: Column("col_name")] string Name, [property: Column("col_email")] string Email);
#endregion

#region snippet: gravity-projection-attributes
// One event, two tables: the key goes to both, other properties can be limited to one.
[Projection("orderPlaced", Table = "orders", Databases = ["db1"])]
[Projection("orderPlaced", Table = "order_totals", Method = ProjectionMethod.Insert, Databases = ["db1"])]
public sealed record OrderPlaced(
    [property: Key] string Region,
    [property: Key] long Number,                                      // composite key, in declaration order
    [property: Column("total", Type = ColumnType.Decimal)] double Total,
    [property: Column(Tables = ["orders"])] string Customer,          // only in "orders"
    [property: NotProjected] IReadOnlyList<string> Tags);              // neither in a view nor in the payload

// No Databases: rules.json attaches them ({"event":"userDeleted","database":"db1"}), or the default database is used.
[Projection("userDeleted", Table = "users", Method = ProjectionMethod.Delete)]
public sealed record UserDeleted([property: Key] long Id);
#endregion

public static class GravityRulesSnippets
{
    public static async Task RegisterAsync(WebApplicationBuilder builder, IGravityEventPublisher publisher)
    {
        #region snippet: gravity-projection-registration
        builder.Services.AddGravitySync(o =>
            {
                o.RulesFiles.Add("rules/rules.json");           // may be empty, or hold the views not declared with attributes
                o.DatabasesFile = "rules/databases.json";
            })
            .AddGeneratedProjections()                           // generated: the [Projection] rules of this assembly
            .AddNatsExporter("synced");

        // Generated too: the payload the rules read (camel-case names), keyed by [Key].
        await publisher.PublishAsync(new UserCreated(1, "Fred Chien", "fred@brobridge.com").ToGravityEvent());
        #endregion
    }

    public static void AttributesOnly(WebApplicationBuilder builder)
    {
        #region snippet: gravity-projection-attributes-only
        builder.Services.AddGravitySync(o => o.DefaultDatabase = "views") // for [Projection]s that name no database
            .AddDatabaseDefinition(new DatabaseDefinition { Name = "views", Type = DatabaseDefinition.Sqlite, DbName = "views.db" })
            .AddGeneratedProjections();
        #endregion
    }
}
