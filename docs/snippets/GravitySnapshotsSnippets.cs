using System.Runtime.CompilerServices;
using Gravity.Sync.EventLog;
using Gravity.Sync.Hosting;
using Gravity.Sync.Operations;
using Gravity.Sync.Snapshots;
using Gravity.Sync.Targets;
using Npgsql;

namespace Twist.Docs.Snippets;

public static class GravitySnapshotsSnippets
{
    public static void SnapshotFrom(WebApplicationBuilder builder)
    {
        #region snippet: gravity-snapshot-from
        builder.Services.AddGravitySync(o =>
            {
                o.RulesFiles.Add("rules/rules.json");
                o.DatabasesFile = "rules/databases.json";   // db1 has followed the events for months; db2 is new
                o.Databases["db2"] = new GravityDatabaseOptions { SnapshotFrom = "db1" };
            })
            .AddPostgreSql();
        #endregion
    }

    public static async Task ResetAsync(IGravitySyncOperator gravity, CancellationToken cancellationToken)
    {
        #region snippet: gravity-snapshot-reset
        // db2 was restored from an old backup (or a table was damaged): empty it and copy db1 again.
        // db2's pipelines pause meanwhile; db1 and the other databases keep going.
        SnapshotResult result = await gravity.ResetFromSnapshotAsync("db2", from: "db1", cancellationToken);
        Console.WriteLine($"db2 reloaded: {result.Rows} rows in {result.Duration}, live again after {string.Join(", ", result.Positions)}");
        #endregion
    }

    public static void Register(WebApplicationBuilder builder, string writeModel)
    {
        #region snippet: gravity-snapshot-source-registration
        builder.Services.AddGravitySync(o => o.Databases["reporting"] = new GravityDatabaseOptions { SnapshotFrom = "write-model" })
            .AddPostgreSql()
            .AddSnapshotSource(sp => new AccountsSnapshot(writeModel, sp.GetRequiredService<IGravityEventLog>()));
        #endregion
    }

    #region snippet: gravity-snapshot-source
    /// <summary>Fills a new "accounts" view from the write model, for a view no database has yet.</summary>
    public sealed class AccountsSnapshot(string connectionString, IGravityEventLog log) : IGravitySnapshotSource
    {
        public string Name => "write-model";

        public async Task<IGravitySnapshot> OpenAsync(GravitySnapshotRequest request, CancellationToken cancellationToken)
        {
            // The log's head FIRST: every event up to it was appended after its write committed (outbox), so the
            // rows read next reflect at least all of them. Later writes are fine: their events are applied again.
            var head = await log.GetHeadPositionAsync(cancellationToken);
            return new Rows(connectionString, new Dictionary<string, long> { [log.Name] = head });
        }

        private sealed class Rows(string connectionString, IReadOnlyDictionary<string, long> positions) : IGravitySnapshot
        {
            public IReadOnlyDictionary<string, long> Positions => positions;

            public async IAsyncEnumerable<GravitySnapshotRow> ReadRowsAsync(TableSchema table, [EnumeratorCancellation] CancellationToken cancellationToken)
            {
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync(cancellationToken);
                await using var command = new NpgsqlCommand("SELECT id, owner, balance FROM accounts", connection);
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    // Keys are the view's column names; values are converted to the columns' types as events are.
                    yield return new GravitySnapshotRow(new Dictionary<string, object?>
                    {
                        ["id"] = reader.GetInt64(0),
                        ["owner"] = reader.GetString(1),
                        ["balance"] = reader.GetDecimal(2),
                    });
                }
            }

            public ValueTask DisposeAsync() => ValueTask.CompletedTask;
        }
    }
    #endregion
}
