using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using Twist.Protocol;

namespace Twist.Coordinator.ClusterTests.Infrastructure;

/// <summary>
/// A participant service (Kestrel on a fixed loopback port) with the SDK's endpoints and guard, its accounts, holds and
/// guard rows in a schema of its own. It can be stopped and started again on the same port, as an outage; every
/// Confirm/Cancel it answers is recorded with the coordinator epoch it carried.
/// </summary>
internal sealed class ParticipantService : IAsyncDisposable
{
    public const string BearerToken = "cluster-test-participant-bearer-token";
    public const string HmacKey = "cluster-test-participant-hmac-key-0123456789";

    private readonly ClusterDatabase database;
    private readonly int port = FreePort();
    private readonly LedgerSettings settings = new();
    private NpgsqlDataSource? guardSource;
    private WebApplication? app;

    private ParticipantService(string name, ClusterDatabase database)
    {
        Name = name;
        this.database = database;
    }

    public string Name { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{port}");

    public ConcurrentQueue<PhaseCall> Calls { get; } = new();

    public static async Task<ParticipantService> StartAsync(string name, ClusterDatabase database, long openingBalance, TimeSpan confirmDelay = default)
    {
        await using (var create = database.DataSource.CreateCommand($"""
            CREATE SCHEMA {name};
            CREATE TABLE {name}.accounts (id text PRIMARY KEY, balance bigint NOT NULL);
            CREATE TABLE {name}.holds (tid text PRIMARY KEY, amount bigint NOT NULL, state text NOT NULL,
                confirms int NOT NULL DEFAULT 0, cancels int NOT NULL DEFAULT 0);
            INSERT INTO {name}.accounts VALUES ('main', {openingBalance});
            """))
        {
            await create.ExecuteNonQueryAsync();
        }

        var service = new ParticipantService(name, database);
        service.settings.ConfirmDelay = confirmDelay;
        await service.StartAsync();
        return service;
    }

    /// <summary>Starts (again) on the same port.</summary>
    public async Task StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port));
        builder.Services.AddSingleton(settings);
        builder.Services.AddTwistParticipant(LedgerParticipant.Registration());
        guardSource = NpgsqlDataSource.Create(database.WithPool(6, searchPath: Name));
        builder.Services.AddTwistParticipantOptions(o =>
        {
            o.CoordinatorCredential.BearerToken = BearerToken;
            o.CoordinatorCredential.HmacKey = HmacKey;

            // Longer than any outage a test plays: expiry must not cancel what the coordinator will confirm.
            o.ReservationLifetime = TimeSpan.FromMinutes(30);
            o.SweepInterval = TimeSpan.FromMinutes(30);
        }).UseGuard(guardSource);

        app = builder.Build();
        app.Use(async (context, next) =>
        {
            await next(context);
            if (context.Request.Method is "PUT" or "DELETE")
            {
                var epoch = long.TryParse(context.Request.Headers[TwistHeaders.Epoch].ToString(), CultureInfo.InvariantCulture, out var e) ? e : 0;
                Calls.Enqueue(new PhaseCall(context.Request.Method, context.Request.Path.Value![(context.Request.Path.Value!.LastIndexOf('/') + 1)..], epoch, context.Response.StatusCode, DateTimeOffset.UtcNow));
            }
        });
        app.MapTwistParticipants();
        await app.StartAsync();
    }

    /// <summary>Stops listening: calls are refused until <see cref="StartAsync()"/>.</summary>
    public async Task StopAsync()
    {
        if (app is not null)
        {
            await app.StopAsync();
            await app.DisposeAsync();
            app = null;
        }

        if (guardSource is not null)
        {
            await guardSource.DisposeAsync();
            guardSource = null;
        }
    }

    /// <summary>Runs this service's Try for <paramref name="tid"/>; returns the participant link, or null when it refused.</summary>
    public async Task<object?> TryAsync(HttpClient http, string tid, long amount, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(BaseAddress, "/twist/participants/" + LedgerParticipant.Name))
        {
            Content = JsonContent.Create(new LegRequest(amount)),
        };
        request.Headers.Add(TwistHeaders.TransactionId, tid);
        using var response = await http.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            return null;
        }

        var link = (await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken)).GetProperty("participantLink");
        return new { uri = link.GetProperty("uri").GetString(), expires = link.GetProperty("expires").GetDateTimeOffset() };
    }

    public Task<long> BalanceAsync() => database.ScalarAsync<long>($"SELECT balance FROM {Name}.accounts WHERE id = 'main'");

    /// <summary>Every hold with its state and how often Confirm and Cancel ran for it.</summary>
    public Task<List<Hold>> HoldsAsync() => database.ListAsync(
        $"SELECT tid, amount, state, confirms, cancels FROM {Name}.holds",
        r => new Hold(r.GetString(0), r.GetInt64(1), r.GetString(2), r.GetInt32(3), r.GetInt32(4)));

    /// <summary>The guard's rows: state and highest coordinator epoch seen, by transaction.</summary>
    public Task<List<(string Tid, string State, long Epoch)>> GuardRowsAsync() => database.ListAsync(
        $"SELECT tid, state, epoch FROM {Name}.twist_guard", r => (r.GetString(0), r.GetString(1), r.GetInt64(2)));

    public ValueTask DisposeAsync() => new(StopAsync());

    private static int FreePort() => Twist.Testing.LoopbackPorts.Free();

    public sealed record PhaseCall(string Method, string Tid, long Epoch, int Status, DateTimeOffset At);

    public sealed record Hold(string Tid, long Amount, string State, int Confirms, int Cancels);
}
