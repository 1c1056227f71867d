using Microsoft.Extensions.DependencyInjection;
using Gravity.Sync.IntegrationTests.Infrastructure;
using Gravity.Sync.Tests.Infrastructure;

namespace Gravity.Sync.IntegrationTests;

/// <summary>The seed's "one event, several databases" across three kinds at once: SQLite, PostgreSQL and MariaDB.</summary>
public sealed class FanOutTests(PostgresDatabase postgres, MariaDbDatabase mariadb) : IClassFixture<PostgresDatabase>, IClassFixture<MariaDbDatabase>
{
    [Fact]
    public async Task One_event_reaches_SQLite_PostgreSQL_and_MariaDB_and_each_keeps_its_own_checkpoint()
    {
        postgres.SkipIfUnavailable();
        mariadb.SkipIfUnavailable();
        var db1 = await postgres.CreateDatabaseAsync("db1");
        var db2 = await mariadb.CreateDatabaseAsync("db2");
        const string rules = """
            {"rules":[
              {"event":"userCreated","table":"users","method":"update","mapping":[{"source":"id","target":"id","primary":true},{"source":"name","target":"col_name"},{"source":"email","target":"col_email"}]},
              {"event":"userCreated","database":"db1"},
              {"event":"userCreated","database":"db2"},
              {"event":"userCreated","database":"db3"}
            ]}
            """;
        await using var sync = await SyncHarness.StartAsync(dir => SyncHarness.Rules(rules, db1, db2, SyncHarness.Sqlite("db3", dir)), build: b => b.AddPostgreSql().AddMySql());
        var ct = TestContext.Current.CancellationToken;

        await sync.AppendAsync("userCreated", """{"id":1,"name":"Fred Chien","email":"fred@brobridge.com"}""", ct);
        await sync.AppendAsync("userCreated", """{"id":2,"name":"Ann","email":"ann@example.com"}""", ct);
        await sync.AppendAsync("userCreated", """{"id":1,"name":"Fred","email":"fred@brobridge.com"}""", ct);
        await sync.WaitForCatchUpAsync();

        string[] expected = ["1|Fred|fred@brobridge.com", "2|Ann|ann@example.com"];
        const string select = "SELECT id, col_name, col_email FROM users";
        await using (var connection = postgres.Connect(db1))
        {
            Assert.Equal(expected, await Views.ReadAsync(connection, select));
        }

        await using (var connection = mariadb.Connect(db2))
        {
            Assert.Equal(expected, await Views.ReadAsync(connection, select));
        }

        Assert.Equal(expected, await Views.ReadSqliteAsync(Path.Combine(sync.Directory, "db3.db"), select));
        Assert.All(await sync.Operator.GetStatusAsync(ct), s => Assert.Equal(3, s.Position));
    }
}
