using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Twist.Transactions;

namespace Twist.Coordinator.PostgreSql.Tests;

/// <summary>The real embedded coordinator, configured with <c>UsePostgreSql</c>, driving a real participant over HTTP.</summary>
public sealed class CoordinatorOnPostgreSqlTests(PostgreSqlServer server) : IAsyncLifetime
{
    private string? _connectionString;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _connectionString = await server.CreateDatabaseAsync();

    public async ValueTask DisposeAsync()
    {
        if (_connectionString is not null)
        {
            await server.DropDatabaseAsync(_connectionString);
        }
    }

    [Fact]
    public async Task Begin_then_confirm_delivers_PUT_and_finishes_Confirmed()
    {
        await using var participant = await LoopbackParticipant.StartAsync();
        using var host = await StartCoordinatorAsync();
        var coordinator = host.Services.GetRequiredService<ITwistCoordinator>();

        var tx = await coordinator.BeginAsync(null, Ct);
        var result = await coordinator.ConfirmAsync(tx.Tid, [new ParticipantLink(participant.Link(tx.Tid), DateTimeOffset.UtcNow.AddMinutes(1))], Ct);

        Assert.Equal(TransactionStatus.Confirmed, result.Status);
        Assert.Equal([("PUT", tx.Tid)], participant.Calls);
        var stored = await coordinator.GetAsync(tx.Tid, Ct);
        Assert.Equal(TransactionStatus.Confirmed, stored.Status);
        Assert.Equal(ParticipantStatus.Confirmed, Assert.Single(stored.Participants).Status);
        await host.StopAsync(Ct);
    }

    [Fact]
    public async Task A_new_coordinator_on_the_same_database_finishes_a_transaction_decided_before_a_restart()
    {
        await using var participant = await LoopbackParticipant.StartAsync();
        participant.Status = 503;
        string tid;
        using (var first = await StartCoordinatorAsync(decisionWait: TimeSpan.FromSeconds(1)))
        {
            var coordinator = first.Services.GetRequiredService<ITwistCoordinator>();
            tid = (await coordinator.BeginAsync(null, Ct)).Tid;
            var decided = await coordinator.ConfirmAsync(tid, [new ParticipantLink(participant.Link(tid), DateTimeOffset.UtcNow.AddMinutes(1))], Ct);
            Assert.Equal(TransactionStatus.Confirming, decided.Status);

            // The participant was reached and refused, so what the restart resumes is a real retry, not a first try.
            await EventuallyAsync(() => Task.FromResult(participant.Calls.Count), n => n > 0);
            await first.StopAsync(Ct);
        }

        participant.Status = 200;
        var failedCalls = participant.Calls.Count;
        Assert.True(failedCalls > 0, "The first coordinator never reached the participant.");
        using var second = await StartCoordinatorAsync();
        var resumed = second.Services.GetRequiredService<ITwistCoordinator>();

        var final = await EventuallyAsync(() => resumed.GetAsync(tid, Ct), t => t.Status == TransactionStatus.Confirmed);

        Assert.Equal(TransactionStatus.Confirmed, final.Status);
        Assert.True(participant.Calls.Count > failedCalls, "The second coordinator did not deliver the confirm.");
        Assert.All(participant.Calls, c => Assert.Equal(("PUT", tid), c));
        await second.StopAsync(Ct);
    }

    /// <param name="decisionWait">How long a confirm waits for the participant before answering Confirming.</param>
    private async Task<IHost> StartCoordinatorAsync(TimeSpan? decisionWait = null)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddTwistCoordinator(o =>
        {
            o.UsePostgreSql(_connectionString!);
            o.AllowedParticipantHosts.Add("127.0.0.1");
            o.DecisionWaitTimeout = decisionWait ?? TimeSpan.FromSeconds(15);
            o.RetryBaseDelay = TimeSpan.FromMilliseconds(50);
            o.RetryMaxDelay = TimeSpan.FromMilliseconds(200);
            o.RecoveryInterval = TimeSpan.FromMilliseconds(200);
            o.TimeoutSweepInterval = TimeSpan.FromMilliseconds(100);
            o.ParticipantCallTimeout = TimeSpan.FromSeconds(2);
            o.MaxAttemptsPerParticipant = 1000;
        });
        var host = builder.Build();
        await host.StartAsync(Ct);
        return host;
    }

    /// <summary>Polls until the condition holds; the deadline only bounds the test.</summary>
    private static async Task<T> EventuallyAsync<T>(Func<Task<T>> read, Func<T, bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var value = await read();
            if (condition(value) || DateTime.UtcNow > deadline)
            {
                return value;
            }

            await Task.Delay(50, Ct);
        }
    }
}
