using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Twist.Participants;

namespace Twist.Samples.Transfer.Game;

/// <summary>
/// GAME1: game points, with the <see cref="GameCredit"/> participant at <c>/api/game/points</c> (Try <c>POST</c>, Confirm
/// <c>PUT {tid}</c>, Cancel <c>DELETE {tid}</c>, all answered by the Twist participant SDK) and
/// <c>GET /api/game/users/{user}</c>. Its one plain-http port also speaks cleartext HTTP/2, so with
/// <c>Twist:Participant:PublicBaseAddress</c> set to <c>grpc://host:port</c> its Try answers hand out <c>grpc://</c> links
/// and the coordinator confirms and cancels through the <c>twist.v1.Participant</c> gRPC service instead of REST.
/// </summary>
public static class GameService
{
    /// <summary>The configuration section of the game's own settings.</summary>
    public const string Section = "Game";

    /// <summary>The default largest purchase GAME1 accepts, in points.</summary>
    public const long DefaultMaxPointsPerPurchase = 300;

    /// <summary>
    /// Builds the service from its command line and environment: <c>--urls</c>, <c>--Game:Database</c>,
    /// <c>--Game:MaxPointsPerPurchase</c> and the SDK's <c>Twist:Participant:*</c> keys.
    /// </summary>
    /// <param name="args">The command line.</param>
    /// <returns>The app, ready to run.</returns>
    public static WebApplication Build(string[] args)
    {
        var builder = ParticipantService.CreateBuilder("GAME1", args, Section, new Dictionary<string, string?>
        {
            ["urls"] = "http://127.0.0.1:5082",
            [$"{Section}:Database"] = "game1.db",
            [$"{Section}:MaxPointsPerPurchase"] = DefaultMaxPointsPerPurchase.ToString(CultureInfo.InvariantCulture),
        }, CreateSchema);
        builder.Services.AddTwistParticipants(); // generated from GameCredit, the only [TccParticipant] of this assembly

        // The Try and the reads arrive as HTTP/1.1; the coordinator's gRPC calls for grpc:// links arrive as HTTP/2 with
        // prior knowledge on the same port. Without this Kestrel answers only HTTP/1.1 on a plain-http port.
        builder.WebHost.UseTwistCleartextHttp2();

        var app = builder.Build();
        GameLog.CleartextHttp2Enabled(app.Logger);
        app.MapTwistParticipants();
        app.MapGet("/api/game/users/{user}", GetUserAsync);
        return app;
    }

    /// <summary>Starts the game in this process on a free loopback port, handing out <c>http://</c> links.</summary>
    /// <param name="args">The command line, e.g. <c>--Game:Database=…</c> and the coordinator's token.</param>
    /// <param name="cancellationToken">The token to cancel the start.</param>
    /// <returns>The running app and its base address; dispose the app to stop it.</returns>
    public static Task<(WebApplication App, Uri BaseAddress)> StartAsync(string[] args, CancellationToken cancellationToken) =>
        StartAsync(args, GameLinks.Http, cancellationToken);

    /// <summary>Starts the game in this process on a free loopback port, handing out the given kind of links.</summary>
    /// <param name="args">The command line, e.g. <c>--Game:Database=…</c> and the coordinator's token.</param>
    /// <param name="links">The participant links its Try answers carry.</param>
    /// <param name="cancellationToken">The token to cancel the start.</param>
    /// <returns>The running app and its base address; dispose the app to stop it.</returns>
    public static async Task<(WebApplication App, Uri BaseAddress)> StartAsync(string[] args, GameLinks links, CancellationToken cancellationToken)
    {
        string[] listen = ["--urls=http://127.0.0.1:0"];
        if (links == GameLinks.Grpc)
        {
            // A grpc:// link names its port, and the SDK reads PublicBaseAddress before Kestrel binds, so the port is
            // picked first instead of letting Kestrel choose one.
            var port = FreeLoopbackPort();
            listen = [$"--urls=http://127.0.0.1:{port}", $"--Twist:Participant:PublicBaseAddress=grpc://127.0.0.1:{port}"];
        }

        var app = Build([.. listen, .. args]);
        return (app, await ParticipantService.StartAsync(app, cancellationToken));
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static void CreateSchema(System.Data.Common.DbTransaction transaction, IConfiguration configuration)
    {
        Sql.Execute(transaction, "CREATE TABLE IF NOT EXISTS points(user TEXT PRIMARY KEY, points INTEGER NOT NULL)");
        Sql.Execute(transaction, "CREATE TABLE IF NOT EXISTS credits(tid TEXT PRIMARY KEY, user TEXT NOT NULL, points INTEGER NOT NULL, state TEXT NOT NULL)");
    }

    private static async Task<IResult> GetUserAsync(string user, ServiceDatabase database, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var points = await Sql.ScalarAsync(connection, null, "SELECT points FROM points WHERE user = $u", cancellationToken, ("$u", user)) ?? 0;
        var pending = await Sql.ScalarAsync(connection, null, "SELECT SUM(points) FROM credits WHERE user = $u AND state = 'pending'", cancellationToken, ("$u", user)) ?? 0;
        var credited = await Sql.ScalarAsync(connection, null, "SELECT SUM(points) FROM credits WHERE user = $u AND state = 'credited'", cancellationToken, ("$u", user)) ?? 0;
        return Results.Ok(new PointsView(user, points, pending, credited));
    }
}
