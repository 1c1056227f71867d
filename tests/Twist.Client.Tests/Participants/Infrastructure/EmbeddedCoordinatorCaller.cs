using System.Net;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Twist.Transactions;

namespace Twist.Client.Tests.Participants.Infrastructure;

/// <summary>
/// A caller app with the real embedded coordinator (its own SQLite file, deleted on dispose) that sends the
/// participant host's bearer token and HMAC, and a "wallet" HttpClient that propagates the transaction to the participant.
/// </summary>
public sealed class EmbeddedCoordinatorCaller : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly string _database;

    private EmbeddedCoordinatorCaller(IHost host, string database)
    {
        _host = host;
        _database = database;
    }

    public ITwistClient Twist => _host.Services.GetRequiredService<ITwistClient>();

    public HttpClient Wallet => _host.Services.GetRequiredService<IHttpClientFactory>().CreateClient("wallet");

    /// <summary>Starts the caller. With <paramref name="http2Only"/>, the wallet client speaks HTTP/2 with prior knowledge.</summary>
    public static async Task<EmbeddedCoordinatorCaller> StartAsync(Uri participantAddress, bool http2Only = false)
    {
        var database = Path.Combine(Path.GetTempPath(), $"twist-coordinator-{Guid.NewGuid():N}.db");
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddTwistCoordinator(o =>
        {
            o.UseSqlite(database);
            o.AllowedParticipantHosts.Add("127.0.0.1");
            o.ParticipantCredential.BearerToken = ParticipantHost.BearerToken;
            o.ParticipantCredential.HmacKey = ParticipantHost.HmacKey;
            o.DecisionWaitTimeout = TimeSpan.FromSeconds(5);
        });
        builder.Services.AddTwistClient();
        builder.Services.AddHttpClient("wallet", c =>
        {
            c.BaseAddress = participantAddress;
            if (http2Only)
            {
                c.DefaultRequestVersion = HttpVersion.Version20;
                c.DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact;
            }
        }).AddTwistTransactionPropagation();
        var host = builder.Build();
        await host.StartAsync(TestContext.Current.CancellationToken);
        return new EmbeddedCoordinatorCaller(host, database);
    }

    /// <summary>Polls the coordinator until the transaction is Confirmed or Cancelled, or 10 s pass; returns what it last read.</summary>
    public async Task<TransactionInfo> WaitForTerminalAsync(string tid)
    {
        var coordinator = _host.Services.GetRequiredService<ITwistCoordinator>();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var info = await coordinator.GetAsync(tid, TestContext.Current.CancellationToken);
            if (info.Status is TransactionStatus.Confirmed or TransactionStatus.Cancelled || DateTime.UtcNow > deadline)
            {
                return info;
            }

            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync(CancellationToken.None);
        _host.Dispose();
        SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { string.Empty, "-wal", "-shm" })
        {
            File.Delete(_database + suffix);
        }
    }
}
