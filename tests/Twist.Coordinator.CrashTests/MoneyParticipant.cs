using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Twist.Coordinator.CrashTests;

/// <summary>
/// A participant that holds money in its own SQLite database: Try reserves an amount (refusing to overdraw), PUT
/// applies it, DELETE releases it. Phases are idempotent and recorded per transaction, so the test can count how often
/// each was applied; reservations nobody confirms or cancels lapse at their expiry, as the protocol expects.
/// </summary>
internal sealed class MoneyParticipant : IAsyncDisposable
{
    private readonly string connectionString;
    private readonly TimeSpan reservationLifetime;
    private readonly CancellationTokenSource stop = new();
    private WebApplication? app;
    private int confirmsReceived;
    private Task? sweeper;

    private MoneyParticipant(string path, TimeSpan reservationLifetime)
    {
        connectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = true, DefaultTimeout = 30 }.ToString();
        this.reservationLifetime = reservationLifetime;
    }

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Gets or sets how long Confirm waits before applying, to keep deliveries in flight.</summary>
    public TimeSpan ConfirmDelay { get; set; }

    /// <summary>Gets how many Confirm calls arrived (including duplicates).</summary>
    public int ConfirmsReceived => Volatile.Read(ref confirmsReceived);

    public static async Task<MoneyParticipant> StartAsync(string path, long openingBalance, TimeSpan reservationLifetime)
    {
        var participant = new MoneyParticipant(path, reservationLifetime);
        await participant.ExecuteAsync($"""
            PRAGMA journal_mode=WAL;
            CREATE TABLE account (id INTEGER PRIMARY KEY CHECK (id = 1), balance INTEGER NOT NULL);
            INSERT INTO account VALUES (1, {openingBalance});
            CREATE TABLE reservation (tid TEXT PRIMARY KEY, amount INTEGER NOT NULL, state TEXT NOT NULL, expires INTEGER NOT NULL, confirms INTEGER NOT NULL DEFAULT 0);
            """);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        participant.app = builder.Build();
        participant.app.MapPost("/try/{amount:long}", participant.TryAsync);
        participant.app.MapPut("/tx/{tid}", (string tid) => participant.FinishAsync(tid, confirm: true));
        participant.app.MapDelete("/tx/{tid}", (string tid) => participant.FinishAsync(tid, confirm: false));
        await participant.app.StartAsync();
        participant.BaseAddress = new Uri(participant.app.Urls.First());
        participant.sweeper = participant.SweepAsync();
        return participant;
    }

    public async Task<long> BalanceAsync() => (long)(await ScalarAsync("SELECT balance FROM account"))!;

    public async Task<Dictionary<string, (string State, long Confirms)>> ReservationsAsync()
    {
        await using var connection = await OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT tid, state, confirms FROM reservation";
        await using var reader = await command.ExecuteReaderAsync();
        var result = new Dictionary<string, (string, long)>();
        while (await reader.ReadAsync())
        {
            result[reader.GetString(0)] = (reader.GetString(1), reader.GetInt64(2));
        }

        return result;
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        if (sweeper is not null)
        {
            await sweeper;
        }

        if (app is not null)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }

        stop.Dispose();
    }

    private async Task<IResult> TryAsync(HttpContext context, long amount)
    {
        var tid = context.Request.Headers["Twist-Transaction-ID"].ToString();
        var expires = DateTimeOffset.UtcNow + reservationLifetime;
        await using var connection = await OpenAsync();
        await using var transaction = connection.BeginTransaction(deferred: false);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            SELECT balance + amount_reserved FROM (SELECT balance, (SELECT COALESCE(SUM(amount), 0) FROM reservation WHERE state = 'reserved' AND amount < 0) AS amount_reserved FROM account)
            """;
        var available = (long)(await command.ExecuteScalarAsync())!;
        if (available + amount < 0)
        {
            return Results.Problem(statusCode: 409, title: "insufficient funds");
        }

        command.CommandText = "INSERT INTO reservation (tid, amount, state, expires) VALUES ($tid, $amount, 'reserved', $expires) ON CONFLICT (tid) DO NOTHING";
        command.Parameters.AddWithValue("$tid", tid);
        command.Parameters.AddWithValue("$amount", amount);
        command.Parameters.AddWithValue("$expires", expires.ToUnixTimeMilliseconds());
        await command.ExecuteNonQueryAsync();
        await transaction.CommitAsync();
        var link = new Uri(BaseAddress, "/tx/" + tid).AbsoluteUri;
        return Results.Json(new { tid, participantLink = new { uri = link, expires } });
    }

    private async Task<IResult> FinishAsync(string tid, bool confirm)
    {
        if (confirm)
        {
            Interlocked.Increment(ref confirmsReceived);
        }

        if (confirm && ConfirmDelay > TimeSpan.Zero)
        {
            await Task.Delay(ConfirmDelay);
        }

        await using var connection = await OpenAsync();
        await using var transaction = connection.BeginTransaction(deferred: false);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.Parameters.AddWithValue("$tid", tid);
        command.CommandText = "SELECT state FROM reservation WHERE tid = $tid";
        var state = (string?)await command.ExecuteScalarAsync();
        IResult result;
        switch (state, confirm)
        {
            case (null, true):
                result = Results.NotFound();
                break;
            case (null, false):
                result = Results.NotFound(); // nothing reserved: the cancel is already true
                break;
            case ("reserved", true):
                command.CommandText = "UPDATE account SET balance = balance + (SELECT amount FROM reservation WHERE tid = $tid); UPDATE reservation SET state = 'confirmed', confirms = confirms + 1 WHERE tid = $tid";
                await command.ExecuteNonQueryAsync();
                result = Results.Ok();
                break;
            case ("reserved", false):
                command.CommandText = "UPDATE reservation SET state = 'cancelled' WHERE tid = $tid";
                await command.ExecuteNonQueryAsync();
                result = Results.Ok();
                break;
            case ("confirmed", true) or ("cancelled", false):
                result = Results.Ok(); // duplicate delivery: a no-op
                break;
            case ("expired", false):
                result = Results.Ok(); // the lapse already released the hold: the cancel is true (a 409 would make it heuristic)
                break;
            default:
                result = Results.Conflict(); // confirm after cancel (expired) or cancel after confirm
                break;
        }

        await transaction.CommitAsync();
        return result;
    }

    private async Task SweepAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(200, stop.Token);
                await ExecuteAsync($"UPDATE reservation SET state = 'expired' WHERE state = 'reserved' AND expires < {DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}");
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task<SqliteConnection> OpenAsync()
    {
        var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        return connection;
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = await OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    private async Task<object?> ScalarAsync(string sql)
    {
        await using var connection = await OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }
}
