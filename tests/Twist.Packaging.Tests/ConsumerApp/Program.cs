// A stranger's app, built only from the packed packages: a points service whose participant is declared with attributes
// (AddTwistParticipants is written by the generator inside the Twist.Client package), and a caller with an embedded
// coordinator that confirms one grant and abandons another. It prints what happened and exits 0 only if the confirmed
// points arrived and the abandoned ones were cancelled, and the Gravity rule declared with [Projection] (written by the
// generator inside the Gravity.Sync package) resolved with its payload writer.
using ConsumerApp;
using Gravity.Sync.Events;
using Gravity.Sync.Rules;
using Microsoft.Data.Sqlite;
using Twist.Client;
using Twist.Transactions;

const string CoordinatorToken = "consumer-app-coordinator-token-0123456789";
var work = Directory.CreateTempSubdirectory("twist-consumer-app-");
var pointsDatabase = $"Data Source={Path.Combine(work.FullName, "points.db")}";
await using (var setup = new SqliteConnection(pointsDatabase))
{
    await setup.OpenAsync();
    await using var create = setup.CreateCommand();
    create.CommandText = "CREATE TABLE pending (tid TEXT PRIMARY KEY, user TEXT NOT NULL, points INTEGER NOT NULL); CREATE TABLE balance (user TEXT PRIMARY KEY, points INTEGER NOT NULL);";
    await create.ExecuteNonQueryAsync();
}

// The points service: its own Kestrel on loopback; the guard lives in its own database.
var serviceBuilder = WebApplication.CreateSlimBuilder(args);
serviceBuilder.Logging.ClearProviders();
serviceBuilder.WebHost.UseUrls("http://127.0.0.1:0");
serviceBuilder.Services.AddTwistParticipants();
serviceBuilder.Services.AddTwistParticipantOptions(o => o.CoordinatorCredential.BearerToken = CoordinatorToken).UseSqliteGuard(pointsDatabase);
await using var service = serviceBuilder.Build();
service.MapTwistParticipants();
await service.StartAsync();
var serviceAddress = new Uri(service.Urls.First());

// The caller: the embedded coordinator and the Twist client.
var callerBuilder = Host.CreateApplicationBuilder(args);
callerBuilder.Logging.ClearProviders();
callerBuilder.Services.AddTwistCoordinator(o =>
{
    o.UseSqlite(Path.Combine(work.FullName, "coordinator.db"));
    o.AllowedParticipantHosts.Add("127.0.0.1");
    o.ParticipantCredential.BearerToken = CoordinatorToken;
});
callerBuilder.Services.AddTwistClient();
callerBuilder.Services.AddHttpClient("points", c => c.BaseAddress = serviceAddress).AddTwistTransactionPropagation();
using var caller = callerBuilder.Build();
await caller.StartAsync();
var twist = caller.Services.GetRequiredService<ITwistClient>();
var http = caller.Services.GetRequiredService<IHttpClientFactory>().CreateClient("points");

string confirmedTid;
await using (var tx = await twist.BeginAsync(TimeSpan.FromSeconds(30)))
{
    (await http.PostAsJsonAsync("/twist/participants/points", new Grant("USER1", 100))).EnsureSuccessStatusCode();
    await tx.ConfirmAsync();
    confirmedTid = tx.Tid;
}

string abandonedTid;
await using (var tx = await twist.BeginAsync(TimeSpan.FromSeconds(30)))
{
    (await http.PostAsJsonAsync("/twist/participants/points", new Grant("USER1", 50))).EnsureSuccessStatusCode();
    abandonedTid = tx.Tid;
    // Leaving the block without ConfirmAsync cancels.
}

var confirmed = await FinalStatusAsync(confirmedTid);
var abandoned = await FinalStatusAsync(abandonedTid);
var (balance, pending) = await PointsAsync();
Console.WriteLine($"grant of 100: {confirmed}");
Console.WriteLine($"grant of 50 (abandoned): {abandoned}");
Console.WriteLine($"USER1 has {balance} points, {pending} pending");
var gravityRules = new GravityRuleSetBuilder()
    .AddDatabase(new DatabaseDefinition { Name = "views", Type = DatabaseDefinition.Sqlite, DbName = "views.db" })
    .AddGeneratedProjections()
    .Build();
var granted = new PointsGranted("USER1", 100).ToGravityEvent();
var gravityRule = string.Join(", ", gravityRules.Rules.Select(r => $"{r.Event} -> {r.Table} ({string.Join(",", r.Mapping.Select(m => m.Source + ":" + m.Target))})"));
Console.WriteLine($"gravity rules: {gravityRule}; event {granted.Name} key {granted.Key}: {System.Text.Encoding.UTF8.GetString(granted.Payload.Span)}");
var ok = confirmed == TransactionStatus.Confirmed && abandoned == TransactionStatus.Cancelled && balance == 100 && pending == 0
    && gravityRule == "pointsGranted -> points (user:user,points:granted)" && granted.Key == "USER1";
Console.WriteLine(ok ? "RESULT: OK" : "RESULT: MISMATCH");

await caller.StopAsync();
await service.StopAsync();
SqliteConnection.ClearAllPools();
work.Delete(recursive: true);
return ok ? 0 : 1;

async Task<TransactionStatus> FinalStatusAsync(string tid)
{
    var deadline = DateTime.UtcNow.AddSeconds(20);
    while (true)
    {
        var info = await twist.Coordinator.GetAsync(tid);
        if (info.Status is TransactionStatus.Confirmed or TransactionStatus.Cancelled || DateTime.UtcNow > deadline)
        {
            return info.Status;
        }

        await Task.Delay(50);
    }
}

async Task<(long Balance, long Pending)> PointsAsync()
{
    await using var connection = new SqliteConnection(pointsDatabase);
    await connection.OpenAsync();
    await using var query = connection.CreateCommand();
    query.CommandText = "SELECT (SELECT COALESCE(SUM(points), 0) FROM balance WHERE user = 'USER1'), (SELECT COUNT(*) FROM pending)";
    await using var reader = await query.ExecuteReaderAsync();
    await reader.ReadAsync();
    return (reader.GetInt64(0), reader.GetInt64(1));
}
