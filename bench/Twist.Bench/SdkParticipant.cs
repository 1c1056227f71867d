using System.Data.Common;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Data.Sqlite;
using Twist.Participants;

namespace Twist.Bench;

/// <summary>
/// The same bank/game service as <see cref="BenchParticipant"/>, written with the Twist.Client participant SDK
/// (<c>AddTwistParticipant</c> + <c>MapTwistParticipants</c>): Try inserts the reservation, Confirm applies it, Cancel
/// deletes it, each in one local SQLite transaction that the handler joins through <see cref="TccContext"/>.
/// With a guard the SDK's guard runs on the participant's own database file, so the guard row commits in the business
/// transaction; without one a pass-through <see cref="ITccGuard"/> runs the same handler in the same kind of transaction
/// and writes no guard row, which isolates the guard's cost from the SDK's HTTP pipeline.
/// </summary>
internal sealed class SdkParticipant : IAsyncDisposable
{
    public const string BearerToken = "bench-participant-bearer-token-0123456789";

    private readonly WebApplication app;
    private readonly SqliteTunedDataSource database;

    private SdkParticipant(WebApplication app, SqliteTunedDataSource database, string name, SdkGuard guard)
    {
        this.app = app;
        this.database = database;
        Name = name;
        Guard = guard;
        BaseAddress = new Uri(app.Urls.First());
        TryUri = new Uri(BaseAddress, "/twist/participants/" + name);
    }

    public string Name { get; }

    public SdkGuard Guard { get; }

    public Uri BaseAddress { get; }

    public Uri TryUri { get; }

    public static async Task<SdkParticipant> StartAsync(string name, string directory, SdkGuard guard)
    {
        var path = Path.Combine(directory, $"{name}-sdk-{guard}.db".ToLowerInvariant());
        var connectionString = await BenchParticipant.CreateDatabaseAsync(path);
        var database = new SqliteTunedDataSource(connectionString);

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, SdkJson.Default));
        builder.Services.AddSingleton(database);
        if (guard == SdkGuard.Off)
        {
            // Registered before the runtime, whose own ITccGuard registration is a TryAdd.
            builder.Services.AddScoped<ITccGuard, PassThroughGuard>();
        }

        builder.Services.AddTwistParticipant(SdkAccounts.Registration(name));

        // The runtime refuses to start without a guard database, so the unguarded variant configures one too (the
        // twist_guard table is created but never written: the pass-through guard above replaces the guard).
        var participants = builder.Services.AddTwistParticipantOptions(o => o.CoordinatorCredential.BearerToken = BearerToken);
        if (guard == SdkGuard.SqliteDefaults)
        {
            // UseSqliteGuard as it comes: its connections (which the handlers write through) set busy_timeout but keep
            // SQLite's default synchronous=FULL, one fsync per commit.
            participants.UseSqliteGuard(connectionString);
        }
        else
        {
            participants.UseGuard(database);
        }

        var app = builder.Build();
        app.MapTwistParticipants();
        await app.StartAsync();
        return new SdkParticipant(app, database, name, guard);
    }

    /// <summary>Checks the database after a run: no reservation left, one confirmed guard row per transfer (guard on), balances.</summary>
    /// <returns>A description of each inconsistency found (empty when consistent).</returns>
    public async Task<List<string>> VerifyAsync(long confirmedTransfers, int amountPerTransfer)
    {
        var problems = new List<string>();
        await using var connection = await database.OpenConnectionAsync();
        async Task<long> ScalarAsync(string sql)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
        }

        var open = await ScalarAsync("SELECT COUNT(*) FROM reservations");
        if (open != 0)
        {
            problems.Add($"{Name}: {open} reservations left open");
        }

        // BenchParticipant.CreateDatabaseAsync seeds no account (see docs/benchmarks.md: its generate_series insert fails
        // silently), so Confirm's UPDATE matches no row; the balances are checked only when accounts exist.
        if (await ScalarAsync("SELECT COUNT(*) FROM accounts") > 0)
        {
            var delta = await ScalarAsync("SELECT SUM(balance) - COUNT(*) * 1000000000 FROM accounts");
            if (delta != confirmedTransfers * amountPerTransfer)
            {
                problems.Add($"{Name}: balances moved by {delta}, expected {confirmedTransfers * amountPerTransfer} ({confirmedTransfers} transfers)");
            }
        }

        var guardRows = await ScalarAsync("SELECT COUNT(*) FROM twist_guard");
        var confirmedRows = await ScalarAsync("SELECT COUNT(*) FROM twist_guard WHERE state = 'confirmed'");
        var expectedRows = Guard == SdkGuard.Off ? 0 : confirmedTransfers;
        if (guardRows != expectedRows || confirmedRows != expectedRows)
        {
            problems.Add($"{Name}: {guardRows} guard rows ({confirmedRows} confirmed), expected {expectedRows}");
        }

        return problems;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
        await database.DisposeAsync();
    }
}

/// <summary>How an SDK participant's phases are guarded.</summary>
internal enum SdkGuard
{
    /// <summary>No guard: <see cref="PassThroughGuard"/>.</summary>
    Off,

    /// <summary>The SDK guard on the participant's database, through <see cref="SqliteTunedDataSource"/> (same PRAGMAs as the business code elsewhere).</summary>
    Sqlite,

    /// <summary>The SDK guard through <c>UseSqliteGuard(connectionString)</c> with SQLite's default connection settings.</summary>
    SqliteDefaults,
}

/// <summary>The Try body of the SDK participants.</summary>
internal sealed record TransferRequest(int Account, int Amount);

/// <summary>The handlers: the same SQL as <see cref="BenchParticipant"/>, enlisted in the runtime's transaction.</summary>
internal sealed class SdkAccounts
{
    public static TccParticipantRegistration<SdkAccounts, TransferRequest, NoResult> Registration(string name) =>
        new(
            name,
            static async (p, r, c, t) =>
            {
                await p.TryAsync(r, c, t);
                return NoResult.Value;
            },
            static (p, c, t) => p.ConfirmAsync(c, t),
            static (p, c, t) => p.CancelAsync(c, t));

    public Task TryAsync(TransferRequest request, TccContext context, CancellationToken cancellationToken) =>
        ExecuteAsync(context, "INSERT INTO reservations (tid, account, amount) VALUES ($tid, $account, $amount)", cancellationToken, request);

    public Task ConfirmAsync(TccContext context, CancellationToken cancellationToken) =>
        ExecuteAsync(
            context,
            "UPDATE accounts SET balance = balance + (SELECT amount FROM reservations WHERE tid = $tid) WHERE id = (SELECT account FROM reservations WHERE tid = $tid); DELETE FROM reservations WHERE tid = $tid;",
            cancellationToken);

    public Task CancelAsync(TccContext context, CancellationToken cancellationToken) =>
        ExecuteAsync(context, "DELETE FROM reservations WHERE tid = $tid;", cancellationToken);

    private static async Task ExecuteAsync(TccContext context, string sql, CancellationToken cancellationToken, TransferRequest? request = null)
    {
        await using DbCommand command = context.Connection!.CreateCommand();
        command.Transaction = context.Transaction;
        command.CommandText = sql;
        Add(command, "$tid", context.Tid);
        if (request is not null)
        {
            Add(command, "$account", request.Account);
            Add(command, "$amount", request.Amount);
        }

        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static void Add(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}

/// <summary>
/// "Guard off": runs each phase's handler in one local transaction (BEGIN IMMEDIATE, as the guard and
/// <see cref="BenchParticipant"/> do) and always proceeds. No guard row, so no idempotence, null compensation or hanging
/// protection: for measuring only.
/// </summary>
internal sealed class PassThroughGuard(SqliteTunedDataSource database) : ITccGuard
{
    public async Task<TccGuardResult> TryAsync(
        string participant, string tid, DateTimeOffset expires, Func<DbConnection, DbTransaction, CancellationToken, Task> body, CancellationToken cancellationToken = default)
    {
        await RunAsync(body, cancellationToken);
        return new TccGuardResult(TccGuardOutcome.Proceed, expires);
    }

    public async Task<TccGuardResult> ConfirmAsync(string participant, string tid, Func<DbConnection, DbTransaction, CancellationToken, Task> body, CancellationToken cancellationToken = default)
    {
        await RunAsync(body, cancellationToken);
        return new TccGuardResult(TccGuardOutcome.Proceed);
    }

    public async Task<TccGuardResult> CancelAsync(string participant, string tid, Func<DbConnection, DbTransaction, CancellationToken, Task> body, CancellationToken cancellationToken = default)
    {
        await RunAsync(body, cancellationToken);
        return new TccGuardResult(TccGuardOutcome.Proceed);
    }

    public Task<TccGuardResult> BeginTryAsync(string participant, string tid, DateTimeOffset expires, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public Task<TccGuardResult> EnterTryAsync(DbTransaction transaction, string participant, string tid, DateTimeOffset expires, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public Task<TccGuardResult> EnterConfirmAsync(DbTransaction transaction, string participant, string tid, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public Task<TccGuardResult> EnterCancelAsync(DbTransaction transaction, string participant, string tid, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    private async Task RunAsync(Func<DbConnection, DbTransaction, CancellationToken, Task> body, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await body(connection, transaction, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }
}

/// <summary>
/// A SQLite data source whose connections get the per-connection settings <see cref="BenchParticipant"/> gives its own
/// (<c>synchronous=NORMAL</c>, <c>busy_timeout</c>), so the guard is measured on the same footing as the business writes.
/// </summary>
internal sealed class SqliteTunedDataSource(string connectionString) : DbDataSource
{
    private const string Pragmas = "PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;";

    public override string ConnectionString { get; } = connectionString;

    protected override DbConnection CreateDbConnection() => new SqliteConnection(ConnectionString);

    protected override DbConnection OpenDbConnection()
    {
        var connection = new SqliteConnection(ConnectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        command.ExecuteNonQuery();
        return connection;
    }

    protected override async ValueTask<DbConnection> OpenDbConnectionAsync(CancellationToken cancellationToken = default)
    {
        var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        await command.ExecuteNonQueryAsync(cancellationToken);
        return connection;
    }
}

internal static class SdkCaller
{
    /// <summary>The caller's Try against an SDK participant: JSON body, the transaction id header; answers the participant link.</summary>
    public static async Task<Uri> TryAsync(HttpClient http, SdkParticipant participant, string tid, int account, int amount)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, participant.TryUri)
        {
            Content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(new TransferRequest(account, amount), SdkJson.Default.TransferRequest)),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add("Twist-Transaction-ID", tid);
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        var answer = await response.Content.ReadFromJsonAsync(BenchJson.Default.TryAnswer);
        return new Uri(answer!.ParticipantLink.Uri);
    }
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(TransferRequest))]
internal sealed partial class SdkJson : JsonSerializerContext;
