using Microsoft.Data.Sqlite;
using Twist.Protocol;

namespace Twist.Samples.Transfer.Participants;

/// <summary>
/// GAME1: game points. Try records a pending credit, Confirm adds it to the user's points, Cancel drops it.
/// GAME1 sells at most <see cref="MaxPointsPerPurchase"/> points per purchase and rejects larger ones at Try.
/// </summary>
internal sealed class GameService : IAsyncDisposable
{
    public const long MaxPointsPerPurchase = 300;

    private readonly WebApplication app;

    private GameService(WebApplication app, ReservationLedger ledger, Uri baseAddress)
    {
        this.app = app;
        Ledger = ledger;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public ReservationLedger Ledger { get; }

    public static async Task<GameService> StartAsync(string databasePath, string coordinatorToken, bool verbose, CancellationToken cancellationToken)
    {
        var builder = ParticipantHost.CreateBuilder("GAME1", verbose);
        var ledger = new ReservationLedger(databasePath, new Rules(), TimeProvider.System);
        builder.Services.AddSingleton(ledger);
        builder.Services.AddHostedService<ReservationSweeper>();
        var app = builder.Build();

        app.MapPost("/api/game/points", (CreditRequest body, HttpRequest request) =>
        {
            var tid = request.Headers[TwistHeaders.TransactionId].ToString();
            if (string.IsNullOrEmpty(tid))
            {
                return Results.Problem(statusCode: 400, title: $"A points purchase is a TCC Try: send the {TwistHeaders.TransactionId} header.");
            }

            if (string.IsNullOrEmpty(body.User) || body.Points <= 0)
            {
                return Results.Problem(statusCode: 400, title: "Give a user and a positive number of points.");
            }

            if (body.Points > MaxPointsPerPurchase)
            {
                return Results.Problem(statusCode: 422, title: "GAME1 rejected the purchase.", detail: $"GAME1 sells at most {MaxPointsPerPurchase} points per purchase; {body.Points} were asked.");
            }

            var (outcome, expires, reason) = ledger.Try(tid, body.User, body.Points, ParticipantHost.ReservationExpiry(request, TimeProvider.System));
            var link = new Uri(new Uri($"{request.Scheme}://{request.Host}/"), "api/game/points/" + Uri.EscapeDataString(tid));
            return outcome switch
            {
                TryOutcome.Reserved => ParticipantHost.TryAnswer(tid, link, expires, created: true),
                TryOutcome.Duplicate => ParticipantHost.TryAnswer(tid, link, expires, created: false),
                _ => Results.Problem(statusCode: 409, title: "The transaction was already cancelled.", detail: reason),
            };
        });

        app.MapPut("/api/game/points/{tid}", (string tid, HttpRequest request) =>
            ParticipantHost.IsCoordinator(request, coordinatorToken)
                ? ParticipantHost.PhaseResult(tid, "confirm", ledger.Confirm(tid))
                : ParticipantHost.Unauthorized());

        app.MapDelete("/api/game/points/{tid}", (string tid, HttpRequest request) =>
            ParticipantHost.IsCoordinator(request, coordinatorToken)
                ? ParticipantHost.PhaseResult(tid, "cancel", ledger.Cancel(tid))
                : ParticipantHost.Unauthorized());

        app.MapGet("/api/game/users/{user}", (string user) =>
        {
            using var connection = ledger.Open();
            var points = ReservationLedger.Scalar(connection, null, "SELECT points FROM points WHERE user = $u", ("$u", user)) ?? 0;
            var totals = ledger.Totals(user);
            return Results.Ok(new PointsView(user, points, totals.GetValueOrDefault("reserved"), totals.GetValueOrDefault("confirmed")));
        });

        var address = await ParticipantHost.StartAsync(app, cancellationToken);
        return new GameService(app, ledger, address);
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }

    internal sealed record CreditRequest(string User, long Points);

    /// <summary>A user's points, the points pending in open transactions, and all points ever credited.</summary>
    internal sealed record PointsView(string User, long Points, long Pending, long Credited);

    private sealed class Rules : IReservationRules
    {
        public void CreateSchema(SqliteConnection connection, SqliteTransaction transaction) =>
            ReservationLedger.Exec(connection, transaction, "CREATE TABLE IF NOT EXISTS points(user TEXT PRIMARY KEY, points INTEGER NOT NULL)");

        public string? Reserve(SqliteConnection connection, SqliteTransaction transaction, string subject, long amount) => null; // the pending credit is the reservation row

        public void Apply(SqliteConnection connection, SqliteTransaction transaction, string subject, long amount) =>
            ReservationLedger.Exec(connection, transaction,
                "INSERT INTO points(user, points) VALUES($u, $p) ON CONFLICT(user) DO UPDATE SET points = points + $p", ("$u", subject), ("$p", amount));

        public void Release(SqliteConnection connection, SqliteTransaction transaction, string subject, long amount)
        {
            // Nothing was credited yet: dropping the pending row (done by the ledger) is the whole cancel.
        }
    }
}
