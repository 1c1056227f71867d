using System.Globalization;

namespace Twist.Samples.Transfer.Bank;

/// <summary>
/// BANK1: stored-value accounts (USER1 … USERn, each opened with <c>Bank:OpeningBalance</c> dollars), the
/// <see cref="BankDebit"/> participant at <c>/api/bank/debits</c> (Try <c>POST</c>, Confirm <c>PUT {tid}</c>, Cancel
/// <c>DELETE {tid}</c>, all answered by the Twist participant SDK) and <c>GET /api/bank/accounts/{id}</c>.
/// </summary>
public static class BankService
{
    /// <summary>The configuration section of the bank's own settings.</summary>
    public const string Section = "Bank";

    /// <summary>The account of the seed's story.</summary>
    public const string Account = "USER1";

    /// <summary>The default opening balance of each account, in dollars.</summary>
    public const long DefaultOpeningBalance = 1000;

    /// <summary>
    /// Builds the service from its command line and environment: <c>--urls</c>, <c>--Bank:Database</c>,
    /// <c>--Bank:Users</c>, <c>--Bank:OpeningBalance</c> and the SDK's <c>Twist:Participant:*</c> keys.
    /// </summary>
    /// <param name="args">The command line.</param>
    /// <returns>The app, ready to run.</returns>
    public static WebApplication Build(string[] args)
    {
        var builder = ParticipantService.CreateBuilder("BANK1", args, Section, new Dictionary<string, string?>
        {
            ["urls"] = "http://127.0.0.1:5081",
            [$"{Section}:Database"] = "bank1.db",
            [$"{Section}:Users"] = "1",
            [$"{Section}:OpeningBalance"] = DefaultOpeningBalance.ToString(CultureInfo.InvariantCulture),
        }, CreateSchema);
        builder.Services.AddTwistParticipants(); // generated from BankDebit, the only [TccParticipant] of this assembly

        var app = builder.Build();
        app.MapTwistParticipants();
        app.MapGet("/api/bank/accounts/{id}", GetAccountAsync);
        return app;
    }

    /// <summary>Starts the bank in this process on a free loopback port.</summary>
    /// <param name="args">The command line, e.g. <c>--Bank:Database=…</c> and the coordinator's token.</param>
    /// <param name="cancellationToken">The token to cancel the start.</param>
    /// <returns>The running app and its base address; dispose the app to stop it.</returns>
    public static async Task<(WebApplication App, Uri BaseAddress)> StartAsync(string[] args, CancellationToken cancellationToken)
    {
        var app = Build(["--urls=http://127.0.0.1:0", .. args]);
        return (app, await ParticipantService.StartAsync(app, cancellationToken));
    }

    private static void CreateSchema(System.Data.Common.DbTransaction transaction, IConfiguration configuration)
    {
        Sql.Execute(transaction, "CREATE TABLE IF NOT EXISTS accounts(id TEXT PRIMARY KEY, balance INTEGER NOT NULL CHECK (balance >= 0), spent INTEGER NOT NULL DEFAULT 0)");
        Sql.Execute(transaction, "CREATE TABLE IF NOT EXISTS holds(tid TEXT PRIMARY KEY, account TEXT NOT NULL, amount INTEGER NOT NULL, state TEXT NOT NULL)");
        var users = configuration.GetValue($"{Section}:Users", 1);
        var opening = configuration.GetValue($"{Section}:OpeningBalance", DefaultOpeningBalance);
        for (var user = 1; user <= users; user++)
        {
            Sql.Execute(transaction, "INSERT OR IGNORE INTO accounts(id, balance) VALUES($id, $b)", ("$id", $"USER{user}"), ("$b", opening));
        }
    }

    private static async Task<IResult> GetAccountAsync(string id, ServiceDatabase database, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var balance = await Sql.ScalarAsync(connection, null, "SELECT balance FROM accounts WHERE id = $id", cancellationToken, ("$id", id));
        if (balance is null)
        {
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: $"BANK1 has no account {id}.");
        }

        var spent = await Sql.ScalarAsync(connection, null, "SELECT spent FROM accounts WHERE id = $id", cancellationToken, ("$id", id)) ?? 0;
        var held = await Sql.ScalarAsync(connection, null, "SELECT SUM(amount) FROM holds WHERE account = $id AND state = 'held'", cancellationToken, ("$id", id)) ?? 0;
        return Results.Ok(new AccountView(id, balance.Value, held, spent));
    }
}
