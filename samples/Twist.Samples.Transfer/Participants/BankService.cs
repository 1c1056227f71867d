using Microsoft.Data.Sqlite;
using Twist.Protocol;

namespace Twist.Samples.Transfer.Participants;

/// <summary>
/// BANK1: USER1's stored value. Try reserves (holds) the money, Confirm spends it, Cancel gives it back.
/// Money is whole dollars.
/// </summary>
internal sealed class BankService : IAsyncDisposable
{
    public const string Account = "USER1";
    public const long OpeningBalance = 1000;

    private readonly WebApplication app;

    private BankService(WebApplication app, ReservationLedger ledger, Uri baseAddress)
    {
        this.app = app;
        Ledger = ledger;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public ReservationLedger Ledger { get; }

    public static async Task<BankService> StartAsync(string databasePath, string coordinatorToken, bool verbose, CancellationToken cancellationToken)
    {
        var builder = ParticipantHost.CreateBuilder("BANK1", verbose);
        var ledger = new ReservationLedger(databasePath, new Rules(), TimeProvider.System);
        builder.Services.AddSingleton(ledger);
        builder.Services.AddHostedService<ReservationSweeper>();
        var app = builder.Build();

        app.MapPost("/api/bank/debits", (DebitRequest body, HttpRequest request) =>
        {
            var tid = request.Headers[TwistHeaders.TransactionId].ToString();
            if (string.IsNullOrEmpty(tid))
            {
                return Results.Problem(statusCode: 400, title: $"A debit is a TCC Try: send the {TwistHeaders.TransactionId} header.");
            }

            if (string.IsNullOrEmpty(body.Account) || body.Amount <= 0)
            {
                return Results.Problem(statusCode: 400, title: "Give an account and a positive whole-dollar amount.");
            }

            var (outcome, expires, reason) = ledger.Try(tid, body.Account, body.Amount, ParticipantHost.ReservationExpiry(request, TimeProvider.System));
            var link = new Uri(BaseUri(request), "api/bank/debits/" + Uri.EscapeDataString(tid));
            return outcome switch
            {
                TryOutcome.Reserved => ParticipantHost.TryAnswer(tid, link, expires, created: true),
                TryOutcome.Duplicate => ParticipantHost.TryAnswer(tid, link, expires, created: false),
                TryOutcome.AlreadyCancelled => Results.Problem(statusCode: 409, title: "The transaction was already cancelled.", detail: reason),
                _ => Results.Problem(statusCode: 409, title: "Insufficient funds.", detail: reason, type: "https://twist.example/problems/insufficient-funds"),
            };
        });

        app.MapPut("/api/bank/debits/{tid}", (string tid, HttpRequest request) =>
            ParticipantHost.IsCoordinator(request, coordinatorToken)
                ? ParticipantHost.PhaseResult(tid, "confirm", ledger.Confirm(tid))
                : ParticipantHost.Unauthorized());

        app.MapDelete("/api/bank/debits/{tid}", (string tid, HttpRequest request) =>
            ParticipantHost.IsCoordinator(request, coordinatorToken)
                ? ParticipantHost.PhaseResult(tid, "cancel", ledger.Cancel(tid))
                : ParticipantHost.Unauthorized());

        app.MapGet("/api/bank/accounts/{id}", (string id) =>
        {
            using var connection = ledger.Open();
            var balance = ReservationLedger.Scalar(connection, null, "SELECT balance FROM accounts WHERE id = $id", ("$id", id));
            if (balance is null)
            {
                return Results.Problem(statusCode: 404, title: $"No account {id}.");
            }

            var totals = ledger.Totals(id);
            return Results.Ok(new AccountView(id, balance.Value, totals.GetValueOrDefault("reserved"), totals.GetValueOrDefault("confirmed")));
        });

        var address = await ParticipantHost.StartAsync(app, cancellationToken);
        return new BankService(app, ledger, address);
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }

    private static Uri BaseUri(HttpRequest request) => new($"{request.Scheme}://{request.Host}/");

    internal sealed record DebitRequest(string Account, long Amount);

    /// <summary>An account: what is available, what is held by open transactions, what was spent.</summary>
    internal sealed record AccountView(string Id, long Balance, long Held, long Spent);

    private sealed class Rules : IReservationRules
    {
        public void CreateSchema(SqliteConnection connection, SqliteTransaction transaction)
        {
            ReservationLedger.Exec(connection, transaction, "CREATE TABLE IF NOT EXISTS accounts(id TEXT PRIMARY KEY, balance INTEGER NOT NULL CHECK (balance >= 0))");
            ReservationLedger.Exec(connection, transaction, "INSERT OR IGNORE INTO accounts(id, balance) VALUES($id, $b)", ("$id", Account), ("$b", OpeningBalance));
        }

        public string? Reserve(SqliteConnection connection, SqliteTransaction transaction, string subject, long amount)
        {
            // Hold the money now, so two transactions can never spend the same dollar.
            var held = ReservationLedger.Changes(connection, transaction,
                "UPDATE accounts SET balance = balance - $a WHERE id = $id AND balance >= $a", ("$a", amount), ("$id", subject));
            if (held == 1)
            {
                return null;
            }

            var balance = ReservationLedger.Scalar(connection, transaction, "SELECT balance FROM accounts WHERE id = $id", ("$id", subject));
            return balance is null ? $"no account {subject}" : $"{subject} has ${balance} available, ${amount} needed";
        }

        public void Apply(SqliteConnection connection, SqliteTransaction transaction, string subject, long amount)
        {
            // The money left the balance when it was held; confirming only marks the reservation spent.
        }

        public void Release(SqliteConnection connection, SqliteTransaction transaction, string subject, long amount) =>
            ReservationLedger.Exec(connection, transaction, "UPDATE accounts SET balance = balance + $a WHERE id = $id", ("$a", amount), ("$id", subject));
    }
}
