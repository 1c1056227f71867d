using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Twist;
using Twist.Client;
using Twist.Transactions;

namespace Company.Participant1.Tests;

/// <summary>A caller with the real embedded Twist coordinator, allowed to call the wallet on loopback.</summary>
internal sealed class EmbeddedCoordinator : IAsyncDisposable
{
    private readonly IHost host;
    private readonly string directory;

    private EmbeddedCoordinator(IHost host, string directory)
    {
        this.host = host;
        this.directory = directory;
        Twist = host.Services.GetRequiredService<ITwistClient>();
        Wallet = host.Services.GetRequiredService<IHttpClientFactory>().CreateClient("wallet");
    }

    public ITwistClient Twist { get; }

    /// <summary>Gets an HttpClient that carries the current transaction to the wallet and registers its Try answers.</summary>
    public HttpClient Wallet { get; }

    public static async Task<EmbeddedCoordinator> StartAsync(Uri wallet)
    {
        var directory = Directory.CreateTempSubdirectory("wallet-tests-coordinator-").FullName;
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddTwistCoordinator(o =>
        {
            o.UseSqlite(Path.Combine(directory, "coordinator.db"));
            o.AllowedParticipantHosts.Add("127.0.0.1");
            o.ParticipantCredential.BearerToken = WalletService.CoordinatorToken;
        });
        builder.Services.AddTwistClient();
        builder.Services.AddHttpClient("wallet", c => c.BaseAddress = wallet).AddTwistTransactionPropagation();
        var host = builder.Build();
        await host.StartAsync();
        return new EmbeddedCoordinator(host, directory);
    }

    /// <summary>Waits until every participant has applied the decision.</summary>
    public async Task<TransactionStatus> CompletedAsync(string tid)
    {
        var coordinator = host.Services.GetRequiredService<ITwistCoordinator>();
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            var info = await coordinator.GetAsync(tid);
            if (info.Status is TransactionStatus.Confirmed or TransactionStatus.Cancelled || DateTime.UtcNow > deadline)
            {
                return info.Status;
            }

            await Task.Delay(25);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await host.StopAsync();
        host.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(directory, recursive: true);
    }
}
