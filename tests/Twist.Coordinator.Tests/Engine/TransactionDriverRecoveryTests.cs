using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Twist.Coordinator.Diagnostics;
using Twist.Coordinator.Engine;
using Twist.Coordinator.Storage;
using Twist.Transactions;

namespace Twist.Coordinator.Tests.Engine;

public sealed class TransactionDriverRecoveryTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_recovery_listing_read_before_a_drive_finished_does_not_complete_the_transaction_again()
    {
        var path = Path.Combine(Path.GetTempPath(), $"twist-driver-{Guid.NewGuid():N}.db");
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddTwistCoordinator(o =>
        {
            o.UseSqlite(path);
            o.RecoveryInterval = TimeSpan.FromHours(1); // only this test's drive runs
        });
        using var host = builder.Build();
        await host.StartAsync(Ct);
        try
        {
            var coordinator = host.Services.GetRequiredService<ITwistCoordinator>();
            var tid = (await coordinator.BeginAsync(null, Ct)).Tid;
            Assert.Equal(TransactionStatus.Cancelled, (await coordinator.CancelAsync(tid, Ct)).Status);
            var driver = host.Services.GetRequiredService<TransactionDriver>();
            await driver.WhenRecordedAsync(tid); // the answer may come before the outcome is written
            var store = await host.Services.GetRequiredService<StoreAccessor>().GetAsync(Ct);
            var finished = (await store.GetAsync(tid, Ct))!;
            Assert.Equal(TransactionStatus.Cancelled, finished.Status);

            // What a recovery page read just before the first drive wrote its outcome still says.
            var stale = finished with { Status = TransactionStatus.Cancelling, CompletedAt = null };
            var completions = 0;
            var completed = host.Services.GetRequiredService<CoordinatorInstruments>().Completed; // this host's counter only
            using var listener = new MeterListener();
            listener.InstrumentPublished = (instrument, l) =>
            {
                if (ReferenceEquals(instrument, completed))
                {
                    l.EnableMeasurementEvents(instrument);
                }
            };
            listener.SetMeasurementEventCallback<long>((_, _, _, _) => Interlocked.Increment(ref completions));
            listener.Start();

            var driven = await driver.DriveAsync(stale, refresh: true, recovered: true).WaitAsync(TimeSpan.FromSeconds(10), Ct);

            Assert.Equal(TransactionStatus.Cancelled, driven.Status);
            Assert.Equal(0, completions);
            Assert.Equal(finished.CompletedAt, (await store.GetAsync(tid, Ct))!.CompletedAt);
        }
        finally
        {
            await host.StopAsync(Ct);
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (var suffix in new[] { string.Empty, "-wal", "-shm" })
            {
                File.Delete(path + suffix);
            }
        }
    }
}
