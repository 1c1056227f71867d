using System.Data.Common;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Twist.Participants;

namespace Twist.Client.Testing.Tests.Participants;

public sealed record DebitRequest(long Amount);

/// <summary>A participant written the way the SDK intends: plain business code, made safe by the guard in the same SQLite file.</summary>
[TccParticipant("wallet-debit")]
public sealed class SdkWalletDebit
{
    [Try]
    public async Task HoldAsync(DebitRequest request, TccContext context, CancellationToken cancellationToken)
    {
        if (await ExecuteAsync(context, "UPDATE wallet SET balance = balance - @a WHERE balance >= @a", request.Amount, cancellationToken) == 0)
        {
            throw new TccRejectedException(409, "Insufficient funds.");
        }

        await ExecuteAsync(context, "INSERT INTO holds (tid, amount) VALUES (@t, @a)", request.Amount, cancellationToken);
    }

    [Confirm]
    public Task SpendAsync(TccContext context, CancellationToken cancellationToken) =>
        ExecuteAsync(context, "UPDATE wallet SET spent = spent + (SELECT amount FROM holds WHERE tid = @t)", null, cancellationToken);

    [Cancel]
    public Task ReleaseAsync(TccContext context, CancellationToken cancellationToken) =>
        ExecuteAsync(context, "UPDATE wallet SET balance = balance + COALESCE((SELECT amount FROM holds WHERE tid = @t), 0)", null, cancellationToken);

    private static async Task<int> ExecuteAsync(TccContext context, string sql, long? amount, CancellationToken cancellationToken)
    {
        await using DbCommand command = context.Connection!.CreateCommand();
        command.Transaction = context.Transaction;
        command.CommandText = sql;
        command.Parameters.Add(new SqliteParameter("@t", context.Tid));
        if (amount is not null)
        {
            command.Parameters.Add(new SqliteParameter("@a", amount.Value));
        }

        return await command.ExecuteNonQueryAsync(cancellationToken);
    }
}

/// <summary>The SDK wallet on Kestrel (127.0.0.1:0) with its own SQLite file.</summary>
internal sealed class SdkWallet : IAsyncDisposable
{
    public const string Token = "conformance-test-token";

    private readonly WebApplication app;
    private readonly DirectoryInfo folder;
    private readonly string connectionString;

    private SdkWallet(WebApplication app, DirectoryInfo folder, string connectionString)
    {
        this.app = app;
        this.folder = folder;
        this.connectionString = connectionString;
        Address = new Uri(app.Urls.First());
    }

    public Uri Address { get; }

    public static async Task<SdkWallet> StartAsync(TimeSpan reservationLifetime)
    {
        var folder = Directory.CreateTempSubdirectory("twist-conformance-");
        var connectionString = new SqliteConnectionStringBuilder { DataSource = Path.Combine(folder.FullName, "wallet.db") }.ToString();
        await using (var connection = new SqliteConnection(connectionString))
        {
            await connection.OpenAsync();
            await using var create = connection.CreateCommand();
            create.CommandText = """
                CREATE TABLE wallet (balance INTEGER NOT NULL, spent INTEGER NOT NULL);
                INSERT INTO wallet VALUES (1000, 0);
                CREATE TABLE holds (tid TEXT PRIMARY KEY, amount INTEGER NOT NULL);
                """;
            await create.ExecuteNonQueryAsync();
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddTwistParticipants();
        builder.Services.AddTwistParticipantOptions(o =>
        {
            o.CoordinatorCredential.BearerToken = Token;
            o.ReservationLifetime = reservationLifetime;
            o.SweepInterval = TimeSpan.FromMilliseconds(100);
        }).UseSqliteGuard(connectionString);
        var app = builder.Build();
        app.MapTwistParticipants();
        await app.StartAsync();
        return new SdkWallet(app, folder, connectionString);
    }

    public async Task<decimal> ReadAsync(string column, CancellationToken cancellationToken)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var read = connection.CreateCommand();
        read.CommandText = $"SELECT {column} FROM wallet";
        return Convert.ToDecimal(await read.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
        SqliteConnection.ClearAllPools();
        folder.Delete(recursive: true);
    }
}
