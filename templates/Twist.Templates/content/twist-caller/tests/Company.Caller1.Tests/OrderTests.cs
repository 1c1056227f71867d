using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Company.Caller1.Tests;

/// <summary>
/// The service as Program.cs builds it, with the embedded coordinator instead of a hosted one, placing orders against
/// a real wallet participant.
/// </summary>
public sealed class OrderTests : IAsyncLifetime
{
    private readonly string directory = Directory.CreateTempSubdirectory("caller-tests-").FullName;
    private TestWallet wallet = null!;
    private WebApplication caller = null!;
    private HttpClient http = null!;

    public async ValueTask InitializeAsync()
    {
        wallet = await TestWallet.StartAsync();
        caller = CallerApp.Build(
            [
                "--urls=http://127.0.0.1:0",
                "--Twist:Client:Coordinator=Embedded",
                $"--Checkout:WalletTryUri={wallet.TryUri}",
                "--Logging:LogLevel:Default=Warning",
            ],
            builder => builder.Services.AddTwistCoordinator(o =>
            {
                o.UseSqlite(Path.Combine(directory, "coordinator.db"));
                o.AllowedParticipantHosts.Add("127.0.0.1");
                o.ParticipantCredential.BearerToken = TestWallet.CoordinatorToken;
            }));
        await caller.StartAsync();
        http = new HttpClient { BaseAddress = new Uri(caller.Urls.First()) };
    }

    public async ValueTask DisposeAsync()
    {
        http.Dispose();
        await caller.StopAsync();
        await caller.DisposeAsync();
        await wallet.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public async Task An_order_holds_and_then_confirms_the_wallet_debit()
    {
        using var response = await http.PostAsJsonAsync("/orders", new { account = "alice", amount = 40 }, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var placed = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        var tid = placed.GetProperty("tid").GetString()!;
        Assert.Contains(placed.GetProperty("status").GetString(), new[] { "Confirmed", "Confirming" });
        Assert.Equal("confirmed", await PhaseEventuallyAsync(tid, "confirmed"));
    }

    [Fact]
    public async Task An_order_the_wallet_refuses_is_a_409_problem_and_is_never_confirmed()
    {
        using var response = await http.PostAsJsonAsync("/orders", new { account = "bob", amount = 5000 }, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        var tid = problem.GetProperty("tid").GetString()!;
        Assert.Null(wallet.Ledger.PhaseOf(tid));
    }

    [Fact]
    public async Task An_order_without_a_positive_amount_is_a_validation_problem()
    {
        using var response = await http.PostAsJsonAsync("/orders", new { account = "carol", amount = 0 }, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    private async Task<string?> PhaseEventuallyAsync(string tid, string expected)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (wallet.Ledger.PhaseOf(tid) != expected && DateTime.UtcNow < deadline)
        {
            await Task.Delay(25, TestContext.Current.CancellationToken);
        }

        return wallet.Ledger.PhaseOf(tid);
    }
}
