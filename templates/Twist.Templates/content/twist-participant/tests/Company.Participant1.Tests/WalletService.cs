using System.Net.Http.Json;
#if (links == "grpc")
using System.Net;
using System.Net.Sockets;
#endif
using Microsoft.AspNetCore.Builder;
using Microsoft.Data.Sqlite;
using Company.Participant1.Wallet;

namespace Company.Participant1.Tests;

/// <summary>The service exactly as Program.cs builds it, on a free loopback port with its own database file.</summary>
internal sealed class WalletService : IAsyncDisposable
{
    public const string CoordinatorToken = "wallet-tests-coordinator-token-0123456789";

    private readonly WebApplication app;
    private readonly string directory;

    private WalletService(WebApplication app, string directory, Uri address, string linkBase)
    {
        this.app = app;
        this.directory = directory;
        Address = address;
        LinkBase = linkBase;
        Http = new HttpClient { BaseAddress = Address };
    }

    /// <summary>Gets where callers send the Try and the wallet requests.</summary>
    public Uri Address { get; }

    /// <summary>Gets the scheme, host and port of the participant links the Try answers with (what the coordinator calls).</summary>
    public string LinkBase { get; }

    public HttpClient Http { get; }

    public static async Task<WalletService> StartAsync()
    {
        var directory = Directory.CreateTempSubdirectory("wallet-tests-").FullName;
#if (links == "grpc")
        // The grpc:// links name the gRPC port, so it is chosen before the service starts.
        var grpcPort = FreeLoopbackPort();
#endif
        var app = ParticipantApp.Build(
        [
#if (links == "grpc")
            "--Kestrel:Endpoints:Http:Url=http://127.0.0.1:0",
            $"--Kestrel:Endpoints:Grpc:Url=http://127.0.0.1:{grpcPort}",
            $"--Twist:Participant:PublicBaseAddress=grpc://127.0.0.1:{grpcPort}",
#else
            "--urls=http://127.0.0.1:0",
#endif
            $"--ConnectionStrings:Wallet=Data Source={Path.Combine(directory, "wallet.db")}",
            $"--Twist:Participant:CoordinatorCredential:BearerToken={CoordinatorToken}",
            "--Logging:LogLevel:Default=Warning",
        ]);
        await app.StartAsync();
#if (links == "grpc")
        var address = app.Urls.Select(url => new Uri(url)).First(url => url.Port != grpcPort);
        return new WalletService(app, directory, address, $"grpc://127.0.0.1:{grpcPort}");
#else
        var address = new Uri(app.Urls.First());
        return new WalletService(app, directory, address, address.GetLeftPart(UriPartial.Authority));
#endif
    }

    public async Task OpenAccountAsync(string account, long balance)
    {
        using var response = await Http.PutAsJsonAsync("/wallets", new OpenAccount(account, balance));
        response.EnsureSuccessStatusCode();
    }

    public async Task<WalletBalance> BalanceAsync(string account) =>
        (await Http.GetFromJsonAsync<WalletBalance>($"/wallets/{account}"))!;

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await app.StopAsync();
        await app.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(directory, recursive: true);
    }
#if (links == "grpc")

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
#endif
}
