using System.Net;
using Microsoft.Data.Sqlite;

namespace Twist.Bench;

/// <summary>
/// A participant service as a user would write it: Try reserves in SQLite and answers the seed's participant link;
/// PUT applies the reservation, DELETE releases it. Every phase is one local SQLite transaction.
/// </summary>
internal sealed class BenchParticipant : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly string connectionString;

    // SQLite takes one writer at a time. As most apps are written, writers that collide wait in busy_timeout, which
    // sleeps in steps of 1-100 ms: under load the participants then spend much of their time asleep on the lock, the
    // machine is not CPU-bound and the ratio partly measures that convoy. With --gate-writes each participant queues its
    // writers in the process instead, the machine becomes CPU-bound, and the ratio measures what the coordinator's own
    // CPU costs.
    private readonly SemaphoreSlim? writer;

    private BenchParticipant(WebApplication app, string connectionString, string name, bool gateWrites)
    {
        writer = gateWrites ? new SemaphoreSlim(1, 1) : null;
        this.app = app;
        this.connectionString = connectionString;
        Name = name;
    }

    public string Name { get; }

    public Uri BaseAddress => new(app.Urls.First());

    public static async Task<BenchParticipant> StartAsync(string name, string directory, bool gateWrites)
    {
        var path = Path.Combine(directory, name + ".db");
        var connectionString = await CreateDatabaseAsync(path);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var participant = new BenchParticipant(app, connectionString, name, gateWrites);
        app.MapPost("/try/{account:int}/{amount:int}", participant.TryAsync);
        app.MapPut("/tx/{tid}", (string tid) => participant.FinishAsync(tid, apply: true));
        app.MapDelete("/tx/{tid}", (string tid) => participant.FinishAsync(tid, apply: false));
        await app.StartAsync();
        return participant;
    }

    /// <summary>Creates the participant's database (WAL, 1000 accounts) and returns its connection string.</summary>
    public static async Task<string> CreateDatabaseAsync(string path)
    {
        var connectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = true }.ToString();
        // WAL with synchronous=NORMAL is what most apps run SQLite with: durable across a process crash, one fsync per
        // checkpoint instead of per commit. The coordinator keeps synchronous=FULL for its own log.
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode=WAL";
        await command.ExecuteScalarAsync();
        command.CommandText = """
            CREATE TABLE IF NOT EXISTS accounts (id INTEGER PRIMARY KEY, balance INTEGER NOT NULL);
            CREATE TABLE IF NOT EXISTS reservations (tid TEXT PRIMARY KEY, account INTEGER NOT NULL, amount INTEGER NOT NULL);
            WITH RECURSIVE n(id) AS (SELECT 1 UNION ALL SELECT id + 1 FROM n WHERE id < 1000)
            INSERT OR IGNORE INTO accounts (id, balance) SELECT id, 1000000000 FROM n;
            """;
        await command.ExecuteNonQueryAsync();
        command.CommandText = "SELECT COUNT(*) FROM accounts";
        if ((long)(await command.ExecuteScalarAsync())! != 1000)
        {
            // An earlier version seeded nothing (a swallowed error) and Confirm updated no row; never again silently.
            throw new InvalidOperationException($"{path}: the 1000 benchmark accounts were not created.");
        }

        return connectionString;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }

    private async Task<IResult> TryAsync(HttpContext context, int account, int amount)
    {
        var tid = context.Request.Headers["Twist-Transaction-ID"].ToString();
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO reservations (tid, account, amount) VALUES ($tid, $account, $amount)";
        command.Parameters.AddWithValue("$tid", tid);
        command.Parameters.AddWithValue("$account", account);
        command.Parameters.AddWithValue("$amount", amount);
        await ExecuteWriteAsync(command);
        var link = new Uri(BaseAddress, "/tx/" + tid);
        return Results.Json(new TryAnswer(tid, new LinkAnswer(link.AbsoluteUri, DateTimeOffset.UtcNow.AddMinutes(1))), BenchJson.Default.TryAnswer);
    }

    private async Task<IResult> FinishAsync(string tid, bool apply)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = apply
            ? "UPDATE accounts SET balance = balance + (SELECT amount FROM reservations WHERE tid = $tid) WHERE id = (SELECT account FROM reservations WHERE tid = $tid); DELETE FROM reservations WHERE tid = $tid;"
            : "DELETE FROM reservations WHERE tid = $tid;";
        command.Parameters.AddWithValue("$tid", tid);
        await ExecuteWriteAsync(command);
        return Results.Ok();
    }

    private async Task ExecuteWriteAsync(SqliteCommand command)
    {
        if (writer is null)
        {
            await ExecuteAsync(command);
            return;
        }

        await writer.WaitAsync();
        try
        {
            await ExecuteAsync(command);
        }
        finally
        {
            writer.Release();
        }
    }

    private static async Task ExecuteAsync(SqliteCommand command)
    {
        // Both statements run in one implicit transaction per ExecuteNonQuery batch; BEGIN IMMEDIATE avoids
        // SQLITE_BUSY upgrade deadlocks between concurrent writers.
        await using (var pragma = command.Connection!.CreateCommand())
        {
            pragma.CommandText = "PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;";
            await pragma.ExecuteNonQueryAsync();
        }

        await using var transaction = command.Connection!.BeginTransaction(deferred: false);
        command.Transaction = transaction;
        await command.ExecuteNonQueryAsync();
        await transaction.CommitAsync();
    }
}

internal sealed record TryAnswer(string Tid, LinkAnswer ParticipantLink);

internal sealed record LinkAnswer(string Uri, DateTimeOffset Expires);

[System.Text.Json.Serialization.JsonSourceGenerationOptions(System.Text.Json.JsonSerializerDefaults.Web)]
[System.Text.Json.Serialization.JsonSerializable(typeof(TryAnswer))]
internal sealed partial class BenchJson : System.Text.Json.Serialization.JsonSerializerContext;
