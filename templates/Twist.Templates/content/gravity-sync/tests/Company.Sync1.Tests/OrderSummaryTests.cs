using System.Text.Json;
using Gravity.Sync.Events;
using Gravity.Sync.Operations;
using Gravity.Sync.Outbox;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Company.Sync1.Tests;

/// <summary>
/// The worker as Program.cs builds it: the orders service writes its events to its outbox in its own transactions, and
/// the order_summary view follows by rules.json (OrderPlaced) and the [Projection] attributes of Events.cs.
/// </summary>
public sealed class OrderSummaryTests : IAsyncLifetime
{
    private readonly string directory = Directory.CreateTempSubdirectory("sync-tests-").FullName;
    private IHost worker = null!;

    private string OrdersDatabase => $"Data Source={Path.Combine(directory, "orders.db")}";

    public async ValueTask InitializeAsync()
    {
        await using (var connection = new SqliteConnection(OrdersDatabase))
        {
            await connection.OpenAsync();
            await GravityOutbox.EnsureTableAsync(connection);
        }

        worker = SyncApp.Build(
        [
            $"--ConnectionStrings:Orders={OrdersDatabase}",
            $"--Gravity:Sync:DataDirectory={Path.Combine(directory, "data")}",
            "--Gravity:Sync:OutboxPollInterval=00:00:00.050",
            "--Gravity:Sync:CheckpointInterval=00:00:00.050",
            "--Logging:LogLevel:Default=Warning",
        ]);
        await worker.StartAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await worker.StopAsync();
        worker.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public async Task Placed_and_shipped_orders_appear_in_the_summary_view()
    {
        await PublishAsync(
            Placed("o-1", "alice", 120.50m),
            Placed("o-2", "bob", 9.99m),
            new OrderShipped("o-1", "shipped").ToGravityEvent());

        await CaughtUpAsync(events: 3);

        Assert.Equal(["o-1 alice 120.50 shipped", "o-2 bob 9.99 placed"], await SummaryAsync());
    }

    [Fact]
    public async Task A_cancelled_order_leaves_the_summary_view()
    {
        await PublishAsync(
            Placed("o-3", "carol", 40m),
            new OrderCancelled("o-3").ToGravityEvent());

        await CaughtUpAsync(events: 2);

        Assert.Empty(await SummaryAsync());
    }

    /// <summary>An OrderPlaced event: its rule in rules.json reads any JSON with these fields.</summary>
    private static GravityEventData Placed(string orderId, string customer, decimal total) =>
        GravityEventData.FromJson("OrderPlaced", JsonSerializer.Serialize(new { orderId, customer, total, status = "placed" }));

    /// <summary>Writes events as the orders service does: in one local transaction with its own rows.</summary>
    private async Task PublishAsync(params GravityEventData[] events)
    {
        await using var connection = new SqliteConnection(OrdersDatabase);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        foreach (var data in events)
        {
            await GravityOutbox.AppendAsync(transaction, data);
        }

        await transaction.CommitAsync();
    }

    private async Task CaughtUpAsync(int events)
    {
        var gravity = worker.Services.GetRequiredService<IGravitySyncOperator>();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var status = await gravity.GetStatusAsync();
            if (status.All(s => s.CaughtUp && s.HeadPosition >= events))
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, $"Gravity did not catch up with {events} events: {string.Join(", ", status)}");
            await Task.Delay(50);
        }
    }

    private async Task<List<string>> SummaryAsync()
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(directory, "data", "views.db")};Mode=ReadOnly");
        await connection.OpenAsync();
        await using var query = connection.CreateCommand();
        query.CommandText = "SELECT order_id, customer, total, status FROM order_summary ORDER BY order_id";
        await using var reader = await query.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            var total = Convert.ToDecimal(reader.GetValue(2), System.Globalization.CultureInfo.InvariantCulture);
            rows.Add($"{reader.GetString(0)} {reader.GetString(1)} {total.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture)} {reader.GetString(3)}");
        }

        return rows;
    }
}
