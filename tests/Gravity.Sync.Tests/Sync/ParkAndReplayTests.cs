using Gravity.Sync.Operations;
using Gravity.Sync.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace Gravity.Sync.Tests.Sync;

/// <summary>A failing event parks its key; later events of that key wait, other keys flow; an operator replays or discards.</summary>
public sealed class ParkAndReplayTests
{
    private const string Rules = """
        {"rules":[
          {"event":"userSaved","table":"users","method":"update","database":"views",
           "mapping":[{"source":"id","target":"id","primary":true,"type":"integer"},{"source":"email","target":"email"},{"source":"name","target":"name"}]}
        ]}
        """;

    private static async Task ExecuteAsync(string path, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={path};Pooling=false");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    private static Task<SyncHarness> StartAsync() => SyncHarness.StartAsync(
        dir =>
        {
            // A unique e-mail: a constraint the rules know nothing about, so the database itself rejects a row.
            ExecuteAsync(Path.Combine(dir, "views.db"), "CREATE TABLE IF NOT EXISTS users (id INTEGER PRIMARY KEY, email TEXT UNIQUE, name TEXT, _gravity_position INTEGER NOT NULL)").GetAwaiter().GetResult();
            return SyncHarness.Rules(Rules, SyncHarness.Sqlite("views", dir));
        },
        o => o.Partitions = 1);

    [Fact]
    public async Task A_failing_key_waits_while_other_keys_continue_and_replays_in_order_once_fixed()
    {
        await using var sync = await StartAsync();
        var ct = TestContext.Current.CancellationToken;
        var views = Path.Combine(sync.Directory, "views.db");

        await sync.AppendAsync("userSaved", """{"id":1,"email":"a@x","name":"one"}""", ct);
        var failing = await sync.AppendAsync("userSaved", """{"id":2,"email":"a@x","name":"two"}""", ct);   // e-mail taken by 1
        await sync.AppendAsync("userSaved", """{"id":2,"email":"a@x","name":"two again"}""", ct);          // waits behind it
        await sync.AppendAsync("userSaved", """{"id":3,"email":"c@x","name":"three"}""", ct);              // other keys flow
        await sync.WaitForCatchUpAsync();

        Assert.Equal(["1|a@x|one", "3|c@x|three"], await Views.ReadSqliteAsync(views, "SELECT id, email, name FROM users"));
        var parked = await sync.Operator.ListParkedAsync("views", ct);
        Assert.Equal(2, parked.Count);
        Assert.All(parked, p => Assert.Equal(new ParkedKey("views", "users", "[2]"), p.ParkedKey));
        Assert.Equal(failing, parked[0].Position);
        Assert.Contains("UNIQUE constraint failed: users.email", parked[0].Reason, StringComparison.Ordinal);
        Assert.Equal("waits behind an earlier parked event of key [2]", parked[1].Reason);
        Assert.Equal("""{"id":2,"email":"a@x","name":"two again"}""", parked[1].Payload);

        // Replaying before the cause is fixed fails again and keeps everything parked.
        var early = await sync.Operator.ReplayAsync(new ParkedKey("views", "users", "[2]"), ct);
        Assert.Equal((0, 2, false), (early.Applied, early.StillParked, early.Succeeded));
        Assert.Contains("UNIQUE constraint failed", early.Error, StringComparison.Ordinal);
        Assert.Equal(2, (await sync.Operator.ListParkedAsync("views", ct))[0].Attempts);

        // A later event of the parked key still waits.
        await sync.AppendAsync("userSaved", """{"id":2,"email":"a@x","name":"two final"}""", ct);
        await sync.AppendAsync("userSaved", """{"id":1,"email":"b@x","name":"one moved"}""", ct); // frees a@x
        await sync.WaitForCatchUpAsync();
        Assert.Equal(3, (await sync.Operator.ListParkedAsync("views", ct)).Count);

        var replay = await sync.Operator.ReplayAsync(new ParkedKey("views", "users", "[2]"), ct);

        Assert.Equal((3, 0, true), (replay.Applied, replay.StillParked, replay.Succeeded));
        Assert.Empty(await sync.Operator.ListParkedAsync("views", ct));
        Assert.Equal(["1|b@x|one moved", "2|a@x|two final", "3|c@x|three"], await Views.ReadSqliteAsync(views, "SELECT id, email, name FROM users"));

        // Unparked: new events of the key apply directly again.
        await sync.AppendAsync("userSaved", """{"id":2,"email":"a@x","name":"two live"}""", ct);
        await sync.WaitForCatchUpAsync();
        Assert.Contains("2|a@x|two live", await Views.ReadSqliteAsync(views, "SELECT id, email, name FROM users"));
    }

    [Fact]
    public async Task Parked_keys_survive_a_restart_and_can_be_discarded()
    {
        await using var sync = await StartAsync();
        var ct = TestContext.Current.CancellationToken;
        await sync.AppendAsync("userSaved", """{"id":1,"email":"a@x","name":"one"}""", ct);
        await sync.AppendAsync("userSaved", """{"id":2,"email":"a@x","name":"two"}""", ct);
        await sync.AppendAsync("userSaved", """{"id":"x","email":"z@x"}""", ct); // wrong key type: key ["x"] parked
        await sync.AppendAsync("userSaved", """{"email":"nobody@x"}""", ct);   // dead letter
        await sync.WaitForCatchUpAsync();

        await sync.RestartAsync();
        await sync.AppendAsync("userSaved", """{"id":2,"email":"d@x","name":"two later"}""", ct);
        await sync.WaitForCatchUpAsync();

        var parked = await sync.Operator.ListParkedAsync(cancellationToken: ct);
        Assert.Equal(["[2]", "[\"x\"]", null, "[2]"], parked.Select(p => p.ParkedKey.Key));
        Assert.Equal(2, (await sync.Operator.GetStatusAsync(ct))[0].ParkedKeys);

        Assert.Equal(2, await sync.Operator.DiscardAsync(new ParkedKey("views", "users", "[2]"), ct));
        Assert.Equal(1, await sync.Operator.DiscardAsync(new ParkedKey("views", "users", null), ct));
        await Assert.ThrowsAsync<ArgumentException>(() => sync.Operator.ReplayAsync(new ParkedKey("views", "users", null), ct));
        await Assert.ThrowsAsync<ArgumentException>(() => sync.Operator.DiscardAsync(new ParkedKey("nope", "users", "[1]"), ct));
        Assert.Equal(["[\"x\"]"], (await sync.Operator.ListParkedAsync(cancellationToken: ct)).Select(p => p.ParkedKey.Key));

        await sync.AppendAsync("userSaved", """{"id":2,"email":"e@x","name":"two flows again"}""", ct);
        await sync.WaitForCatchUpAsync();
        Assert.Equal(["1|a@x|one", "2|e@x|two flows again"], await Views.ReadSqliteAsync(Path.Combine(sync.Directory, "views.db"), "SELECT id, email, name FROM users"));
    }
}
