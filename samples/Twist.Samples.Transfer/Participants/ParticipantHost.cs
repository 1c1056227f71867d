using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Twist.Protocol;

namespace Twist.Samples.Transfer.Participants;

/// <summary>
/// What the Bank and the Game share: a Kestrel app on 127.0.0.1 with a dynamic port, its own SQLite file, a sweeper
/// that releases expired reservations, and the check of the coordinator's bearer token on Confirm/Cancel.
/// </summary>
internal static class ParticipantHost
{
    /// <summary>How long a reservation outlives the transaction's deadline, so the coordinator's timeout cancel still finds it.</summary>
    public static readonly TimeSpan ReservationGrace = TimeSpan.FromSeconds(5);

    public static WebApplicationBuilder CreateBuilder(string name, bool verbose)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = name, Args = [] });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        if (verbose)
        {
            builder.Logging.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = $"HH:mm:ss.fff '[{name}]' ";
            });
            builder.Logging.AddFilter("Microsoft", LogLevel.Warning).AddFilter("System", LogLevel.Warning);
        }

        builder.Services.AddProblemDetails();
        return builder;
    }

    public static async Task<Uri> StartAsync(WebApplication app, CancellationToken cancellationToken)
    {
        await app.StartAsync(cancellationToken);
        var address = app.Urls.First(); // the port Kestrel picked for 127.0.0.1:0
        return new Uri(address.TrimEnd('/') + "/");
    }

    /// <summary>The transaction's deadline from the Try request, else a minute from now; plus the grace.</summary>
    public static DateTimeOffset ReservationExpiry(HttpRequest request, TimeProvider time)
    {
        var header = request.Headers[TwistHeaders.Deadline].ToString();
        var deadline = DateTimeOffset.TryParse(header, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var d)
            ? d
            : time.GetUtcNow().AddMinutes(1);
        return deadline + ReservationGrace;
    }

    /// <summary>Checks <c>Authorization: Bearer &lt;token&gt;</c> in constant time.</summary>
    public static bool IsCoordinator(HttpRequest request, string token)
    {
        var header = request.Headers.Authorization.ToString();
        var expected = "Bearer " + token;
        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(header), Encoding.UTF8.GetBytes(expected));
    }

    public static IResult Unauthorized() => Results.Problem(
        statusCode: StatusCodes.Status401Unauthorized,
        title: "Only the coordinator may confirm or cancel.",
        detail: "Send the coordinator's credential: Authorization: Bearer <token>.");

    /// <summary>Maps a Confirm/Cancel outcome to the answer the coordinator expects (specs/twist-protocol.md).</summary>
    public static IResult PhaseResult(string tid, string phase, PhaseOutcome outcome) => outcome switch
    {
        PhaseOutcome.Done or PhaseOutcome.AlreadyDone or PhaseOutcome.Tombstone =>
            Results.Ok(new PhaseAnswer(tid, phase, outcome.ToString())),
        PhaseOutcome.NotFound => Results.Problem(statusCode: StatusCodes.Status404NotFound, title: $"Nothing was reserved for transaction {tid}."),
        _ => Results.Problem(statusCode: StatusCodes.Status409Conflict, title: $"Transaction {tid} cannot be {phase}ed here: the other phase already happened."),
    };

    /// <summary>The Try answer of the seed: <c>{"tid","participantLink":{"uri","expires"}}</c>.</summary>
    public static IResult TryAnswer(string tid, Uri link, DateTimeOffset expires, bool created) =>
        created
            ? Results.Json(new TryAnswerBody(tid, new LinkBody(link, expires)), statusCode: StatusCodes.Status201Created)
            : Results.Json(new TryAnswerBody(tid, new LinkBody(link, expires)));

    internal sealed record TryAnswerBody(string Tid, LinkBody ParticipantLink);

    internal sealed record LinkBody(Uri Uri, DateTimeOffset Expires);

    internal sealed record PhaseAnswer(string Tid, string Phase, string Outcome);
}

/// <summary>Releases reservations whose link expired, every half second.</summary>
internal sealed class ReservationSweeper(ReservationLedger ledger, ILogger<ReservationSweeper> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(500));
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                var released = ledger.ReleaseExpired();
                if (released > 0 && logger.IsEnabled(LogLevel.Information))
                {
                    logger.LogInformation("Released {Count} expired reservations", released);
                }
            }
            catch (Microsoft.Data.Sqlite.SqliteException ex)
            {
                logger.LogWarning(ex, "The reservation sweep failed; it runs again shortly");
            }
        }
    }
}
