using System.Net;
using System.Net.Http.Json;
using Twist.Transactions;
using Company.Participant1.Wallet;

namespace Company.Participant1.Tests;

#if (links == "grpc")
/// <summary>
/// The wallet debit participant driven by a real coordinator, as in production: the Try over HTTP, Confirm and Cancel
/// through the grpc:// link it answers with, i.e. the twist.v1.Participant gRPC service on the HTTP/2 port.
/// </summary>
#else
/// <summary>The wallet debit participant driven by a real coordinator over HTTP, as in production.</summary>
#endif
public sealed class WalletDebitTests
{
    private const string TryRoute = "/twist/participants/wallet-debit";

    [Fact]
    public async Task A_confirmed_transaction_spends_the_held_amount()
    {
        await using var wallet = await WalletService.StartAsync();
        await using var coordinator = await EmbeddedCoordinator.StartAsync(wallet.Address);
        await wallet.OpenAccountAsync("alice", 1000);

        string tid;
        await using (var tx = await coordinator.Twist.BeginAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken))
        {
            using var tried = await coordinator.Wallet.PostAsJsonAsync(TryRoute, new DebitRequest("alice", 300), TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, tried.StatusCode);
            Assert.Equal(new WalletBalance("alice", 1000, 300), await wallet.BalanceAsync("alice"));
            // The coordinator delivers its decision to the link the Try answered with.
            Assert.Equal(new Uri($"{wallet.LinkBase}{TryRoute}/{tx.Tid}"), Assert.Single(tx.Participants).Uri);

            await tx.ConfirmAsync(TestContext.Current.CancellationToken);
            tid = tx.Tid;
        }

        Assert.Equal(TransactionStatus.Confirmed, await coordinator.CompletedAsync(tid));
        Assert.Equal(new WalletBalance("alice", 700, 0), await wallet.BalanceAsync("alice"));
    }

    [Fact]
    public async Task An_abandoned_transaction_releases_the_hold()
    {
        await using var wallet = await WalletService.StartAsync();
        await using var coordinator = await EmbeddedCoordinator.StartAsync(wallet.Address);
        await wallet.OpenAccountAsync("bob", 500);

        string tid;
        await using (var tx = await coordinator.Twist.BeginAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken))
        {
            using var tried = await coordinator.Wallet.PostAsJsonAsync(TryRoute, new DebitRequest("bob", 200), TestContext.Current.CancellationToken);
            tried.EnsureSuccessStatusCode();
            Assert.Equal(new Uri($"{wallet.LinkBase}{TryRoute}/{tx.Tid}"), Assert.Single(tx.Participants).Uri);
            tid = tx.Tid;
            // No ConfirmAsync: leaving the block cancels.
        }

        Assert.Equal(TransactionStatus.Cancelled, await coordinator.CompletedAsync(tid));
        Assert.Equal(new WalletBalance("bob", 500, 0), await wallet.BalanceAsync("bob"));
    }

    [Fact]
    public async Task A_debit_the_wallet_cannot_cover_is_refused_with_409_and_holds_nothing()
    {
        await using var wallet = await WalletService.StartAsync();
        await using var coordinator = await EmbeddedCoordinator.StartAsync(wallet.Address);
        await wallet.OpenAccountAsync("carol", 50);

        await using var tx = await coordinator.Twist.BeginAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        using var tried = await coordinator.Wallet.PostAsJsonAsync(TryRoute, new DebitRequest("carol", 80), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Conflict, tried.StatusCode);
        Assert.Equal("application/problem+json", tried.Content.Headers.ContentType?.MediaType);
        Assert.Empty(tx.Participants);
        Assert.Equal(new WalletBalance("carol", 50, 0), await wallet.BalanceAsync("carol"));
    }
}
