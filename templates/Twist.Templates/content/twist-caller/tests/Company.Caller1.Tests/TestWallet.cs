using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Twist.Participants;

namespace Company.Caller1.Tests;

/// <summary>A real wallet participant on a loopback port: it refuses debits over 1000 and records every phase it ran.</summary>
internal sealed class TestWallet : IAsyncDisposable
{
    public const string CoordinatorToken = "caller-tests-coordinator-token-0123456789";

    private readonly WebApplication app;
    private readonly string directory;

    private TestWallet(WebApplication app, string directory)
    {
        this.app = app;
        this.directory = directory;
        TryUri = new Uri(new Uri(app.Urls.First()), "/twist/participants/wallet-debit");
    }

    public Uri TryUri { get; }

    public WalletLedger Ledger => app.Services.GetRequiredService<WalletLedger>();

    public static async Task<TestWallet> StartAsync()
    {
        var directory = Directory.CreateTempSubdirectory("caller-tests-wallet-").FullName;
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<WalletLedger>();
        builder.Services.AddTwistParticipants();
        builder.Services.AddTwistParticipantOptions(o => o.CoordinatorCredential.BearerToken = CoordinatorToken)
            .UseSqliteGuard($"Data Source={Path.Combine(directory, "wallet.db")}");
        var app = builder.Build();
        app.MapTwistParticipants();
        await app.StartAsync();
        return new TestWallet(app, directory);
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(directory, recursive: true);
    }
}

public sealed record DebitRequest(string Account, long Amount);

/// <summary>The phases the wallet ran, per transaction.</summary>
public sealed class WalletLedger
{
    private readonly ConcurrentDictionary<string, string> phases = new();

    public string? PhaseOf(string tid) => phases.TryGetValue(tid, out var phase) ? phase : null;

    public void Record(string tid, string phase) => phases[tid] = phase;
}

[TccParticipant("wallet-debit")]
public sealed class WalletDebitParticipant(WalletLedger ledger)
{
    [Try]
    public Task ReserveAsync(DebitRequest request, TccContext context, CancellationToken cancellationToken)
    {
        if (request.Amount > 1000)
        {
            throw new TccRejectedException(409, $"{request.Account} cannot cover {request.Amount}.");
        }

        ledger.Record(context.Tid, "held");
        return Task.CompletedTask;
    }

    [Confirm]
    public Task ConfirmAsync(TccContext context, CancellationToken cancellationToken)
    {
        ledger.Record(context.Tid, "confirmed");
        return Task.CompletedTask;
    }

    [Cancel]
    public Task CancelAsync(TccContext context, CancellationToken cancellationToken)
    {
        ledger.Record(context.Tid, "cancelled");
        return Task.CompletedTask;
    }
}
