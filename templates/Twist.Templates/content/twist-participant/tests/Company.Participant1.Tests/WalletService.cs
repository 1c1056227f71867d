using System.Net.Http.Json;
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

    private WalletService(WebApplication app, string directory)
    {
        this.app = app;
        this.directory = directory;
        Address = new Uri(app.Urls.First());
        Http = new HttpClient { BaseAddress = Address };
    }

    public Uri Address { get; }

    public HttpClient Http { get; }

    public static async Task<WalletService> StartAsync()
    {
        var directory = Directory.CreateTempSubdirectory("wallet-tests-").FullName;
        var app = ParticipantApp.Build(
        [
            "--urls=http://127.0.0.1:0",
            $"--ConnectionStrings:Wallet=Data Source={Path.Combine(directory, "wallet.db")}",
            $"--Twist:Participant:CoordinatorCredential:BearerToken={CoordinatorToken}",
            "--Logging:LogLevel:Default=Warning",
        ]);
        await app.StartAsync();
        return new WalletService(app, directory);
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
}
