using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Twist.Coordinator.Diagnostics;
using Twist.Coordinator.Hosting;
using Twist.Coordinator.Operations;
using Twist.Transactions;

namespace Twist.Coordinator.PostgreSql.Tests.Cluster;

/// <summary>
/// Several embedded coordinators (one host each) on one PostgreSQL database: who drives a decided transaction, how
/// a coordinator that lost it is fenced, and how a backlog drains when a participant comes back.
/// </summary>
public sealed class ClusterCoordinatorTests(PostgreSqlServer server) : IAsyncLifetime
{
    private readonly List<IHost> _hosts = [];
    private string? _connectionString;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _connectionString = await server.CreateDatabaseAsync();

    public async ValueTask DisposeAsync()
    {
        foreach (var host in _hosts)
        {
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await host.StopAsync(stop.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            host.Dispose();
        }

        if (_connectionString is not null)
        {
            await server.DropDatabaseAsync(_connectionString);
        }
    }

    [Fact]
    public async Task Only_the_deciding_coordinator_drives_a_transaction_and_every_call_carries_its_epoch()
    {
        await using var participant = await EpochCheckingParticipant.StartAsync();
        var a = await StartAsync();
        var b = await StartAsync();
        var tid = (await Coordinator(a).BeginAsync(null, Ct)).Tid;

        // A second confirm through the other coordinator finds the decision made and leaves the drive to its owner.
        var first = await Coordinator(a).ConfirmAsync(tid, [Link(participant, tid)], Ct);
        var again = await Coordinator(b).ConfirmAsync(tid, [Link(participant, tid)], Ct);

        Assert.Equal(TransactionStatus.Confirmed, first.Status);
        Assert.Equal(TransactionStatus.Confirmed, again.Status);
        var call = Assert.Single(participant.Calls);
        Assert.Equal((tid, 1L, 200), (call.Tid, call.Epoch, call.Status));
    }

    [Fact]
    public async Task A_coordinator_overtaken_by_an_operator_takeover_stops_driving_and_records_nothing()
    {
        await using var participant = await EpochCheckingParticipant.StartAsync();
        participant.Down = true;
        var a = await StartAsync(decisionWait: TimeSpan.FromMilliseconds(300));
        var b = await StartAsync();
        using var fenced = new MetricCollector<long>(a.Services.GetRequiredService<IMeterFactory>(), TwistCoordinatorTelemetry.Name, "twist.coordinator.lease.fenced");
        var tid = (await Coordinator(a).BeginAsync(null, Ct)).Tid;
        Assert.Equal(TransactionStatus.Confirming, (await Coordinator(a).ConfirmAsync(tid, [Link(participant, tid)], Ct)).Status);
        await EventuallyAsync(() => Task.FromResult(participant.Calls.Count), n => n >= 2);

        // B takes the transaction over while the participant is still down, then the participant comes back: whichever
        // coordinator reaches it first, A (epoch 1) cannot finish: its call is refused or its write is.
        var retry = b.Services.GetRequiredService<ITwistOperator>().RetryParticipantAsync(tid, 1, new OperatorContext("ops", "test"), Ct);
        await EventuallyAsync(() => Task.FromResult(participant.Calls.Any(c => c.Epoch == 2)), taken => taken);
        participant.Down = false;
        var retried = await retry;

        Assert.Equal(TransactionStatus.Confirmed, retried.Status);
        await EventuallyAsync(() => Task.FromResult(fenced.GetMeasurementSnapshot().Count), n => n > 0);
        Assert.Single(fenced.GetMeasurementSnapshot());
        var stored = await Coordinator(b).GetAsync(tid, Ct);
        Assert.Equal(TransactionStatus.Confirmed, stored.Status);
        var firstAccepted = participant.Calls.First(c => c is { Epoch: 2, Status: 200 });
        Assert.All(participant.Calls.Where(c => c.Epoch == 1 && c.At > firstAccepted.At), c => Assert.Equal(412, c.Status));
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM twist.transactions WHERE owner IS NOT NULL AND epoch = 2"));
    }

    [Fact]
    public async Task A_coordinator_cut_off_from_its_database_stops_calling_participants_before_another_takes_over()
    {
        var lease = TimeSpan.FromSeconds(1.5);
        await using var participant = await EpochCheckingParticipant.StartAsync();
        participant.Down = true;
        var builder = new NpgsqlConnectionStringBuilder(_connectionString);
        await using var proxy = new TcpProxy(builder.Host!, builder.Port);
        var viaProxy = new NpgsqlConnectionStringBuilder(_connectionString) { Host = "127.0.0.1", Port = proxy.Port, Timeout = 2, CommandTimeout = 3 }.ConnectionString;
        var a = await StartAsync(viaProxy, decisionWait: TimeSpan.FromMilliseconds(300), lease: lease);
        var tid = (await Coordinator(a).BeginAsync(null, Ct)).Tid;
        await Coordinator(a).ConfirmAsync(tid, [Link(participant, tid)], Ct);
        await EventuallyAsync(() => Task.FromResult(participant.Calls.Count), n => n >= 2);

        var cutAt = DateTime.UtcNow;
        proxy.Cut();
        var b = await StartAsync(lease: lease);
        await EventuallyAsync(() => Task.FromResult(participant.Calls.Any(c => c.Epoch == 2)), taken => taken, TimeSpan.FromSeconds(30));
        participant.Down = false;
        var final = await EventuallyAsync(() => Coordinator(b).GetAsync(tid, Ct), t => t.Status == TransactionStatus.Confirmed, TimeSpan.FromSeconds(30));

        Assert.Equal(TransactionStatus.Confirmed, final.Status);
        var lastStale = participant.Calls.Where(c => c.Epoch == 1).Max(c => c.At);
        var firstNew = participant.Calls.Where(c => c.Epoch == 2).Min(c => c.At);
        Assert.True(lastStale < firstNew, $"The cut-off coordinator called at {lastStale:O}, after the new owner's first call at {firstNew:O}.");
        Assert.True(lastStale < cutAt + lease, $"The cut-off coordinator kept calling {lastStale - cutAt} after the cut, past its {lease} lease.");
        Assert.False(a.Services.GetRequiredService<ICoordinatorReadiness>().IsReady, "A coordinator without its lease still reports ready.");
        Assert.True(b.Services.GetRequiredService<ICoordinatorReadiness>().IsReady);
    }

    [Fact]
    public async Task A_coordinator_stopping_gracefully_hands_its_unfinished_transactions_over_at_once()
    {
        var lease = TimeSpan.FromSeconds(20);
        await using var participant = await EpochCheckingParticipant.StartAsync();
        participant.Down = true;
        var a = await StartAsync(decisionWait: TimeSpan.FromMilliseconds(300), lease: lease);
        var b = await StartAsync(lease: lease);
        var tids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var tid = (await Coordinator(a).BeginAsync(null, Ct)).Tid;
            await Coordinator(a).ConfirmAsync(tid, [Link(participant, tid)], Ct);
            tids.Add(tid);
        }

        await a.StopAsync(Ct);
        var stopped = Stopwatch.StartNew();
        participant.Down = false;
        foreach (var tid in tids)
        {
            var final = await EventuallyAsync(() => Coordinator(b).GetAsync(tid, Ct), t => t.Status == TransactionStatus.Confirmed, TimeSpan.FromSeconds(15));
            Assert.Equal(TransactionStatus.Confirmed, final.Status);
        }

        Assert.True(stopped.Elapsed < lease / 2, $"The hand-over took {stopped.Elapsed}; it should not wait for the {lease} lease to run out.");
    }

    [Fact]
    public async Task After_a_participant_outage_every_waiting_delivery_retries_as_soon_as_it_answers_again()
    {
        const int Count = 150;
        await using var participant = await EpochCheckingParticipant.StartAsync();
        participant.Down = true;

        // Back-off grows to seconds during the outage; each delivery's next attempt is in the store.
        var a = await StartAsync(decisionWait: TimeSpan.Zero, retryMax: TimeSpan.FromSeconds(30));
        await Task.WhenAll(Enumerable.Range(0, Count).Select(async _ =>
        {
            var tid = (await Coordinator(a).BeginAsync(null, Ct)).Tid;
            await Coordinator(a).ConfirmAsync(tid, [Link(participant, tid)], Ct);
        }));
        await Task.Delay(TimeSpan.FromSeconds(6), Ct);
        var lastScheduled = await TimeAsync("SELECT max(next_attempt_at) FROM twist.participants WHERE status = 3");

        participant.Down = false;
        var back = DateTimeOffset.UtcNow;
        await EventuallyAsync(() => CountAsync("SELECT count(*) FROM twist.transactions WHERE status = 2"), n => n == Count, TimeSpan.FromSeconds(60));
        var lastDone = await TimeAsync("SELECT max(completed_at) FROM twist.transactions");

        // Without the wake-up the last transaction could not finish before its scheduled retry.
        Assert.Equal(Count, await CountAsync("SELECT count(*) FROM twist.transactions WHERE status = 2"));
        Assert.True(lastDone < lastScheduled, $"The last transaction finished at {lastDone:O}, not before the last scheduled retry at {lastScheduled:O}.");
        TestContext.Current.SendDiagnosticMessage(
            $"{Count} transactions finished {(lastDone - back).TotalMilliseconds:0} ms after the participant came back; the last retry was scheduled {(lastScheduled - back).TotalMilliseconds:0} ms after it.");
    }

    private static ITwistCoordinator Coordinator(IHost host) => host.Services.GetRequiredService<ITwistCoordinator>();

    private static ParticipantLink Link(EpochCheckingParticipant participant, string tid) =>
        new(participant.Link(tid), DateTimeOffset.UtcNow.AddMinutes(5));

    private async Task<IHost> StartAsync(
        string? connectionString = null, TimeSpan? decisionWait = null, TimeSpan? lease = null, TimeSpan? retryMax = null)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(5));
        builder.Services.AddTwistCoordinator(o =>
        {
            o.UsePostgreSql(connectionString ?? _connectionString!);
            o.AllowedParticipantHosts.Add("127.0.0.1");
            o.DecisionWaitTimeout = decisionWait ?? TimeSpan.FromSeconds(15);
            o.RetryBaseDelay = TimeSpan.FromMilliseconds(50);
            o.RetryMaxDelay = retryMax ?? TimeSpan.FromMilliseconds(200);
            o.RecoveryInterval = TimeSpan.FromMilliseconds(200);
            o.TimeoutSweepInterval = TimeSpan.FromMilliseconds(100);
            o.ParticipantCallTimeout = TimeSpan.FromSeconds(2);
            o.MaxAttemptsPerParticipant = 1000;
            o.LeaseDuration = lease ?? TimeSpan.FromSeconds(10);
        });
        var host = builder.Build();
        _hosts.Add(host);
        await host.StartAsync(Ct);
        return host;
    }

    private async Task<DateTimeOffset> TimeAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(sql, connection);
        return new DateTimeOffset((DateTime)(await command.ExecuteScalarAsync(Ct))!); // timestamptz arrives as a UTC DateTime
    }

    private async Task<long> CountAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(sql, connection);
        return (long)(await command.ExecuteScalarAsync(Ct))!;
    }

    /// <summary>Polls until the condition holds; the deadline only bounds the test.</summary>
    private static async Task<T> EventuallyAsync<T>(Func<Task<T>> read, Func<T, bool> condition, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(20));
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
