// Seed 000's CQRS story on Gravity's embedded defaults (no servers): the User service handles "Add User" commands,
// writing each user and its UserAdded event in one local transaction (the outbox). Gravity relays the events into its
// durable log and projects them, by rules.json and [Projection] attributes (Events.cs), into three views in three SQLite databases: UserProfile (for the
// profile service), Finance (for the finance service) and IncomeStatistics (for analytics). The sample prints the
// views and exits 0 only if each equals the fold of the events.
using Gravity.Samples.UserProfile;
using Gravity.Sync.Operations;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

var keep = args.Contains("--keep");
var data = Path.Combine(Path.GetTempPath(), "gravity-user-profile-" + Guid.NewGuid().ToString("N")[..8]);
Directory.CreateDirectory(data);
var appDatabase = $"Data Source={Path.Combine(data, "user-service.db")}";

var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, DisableDefaults = true });
builder.Logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(args.Contains("--verbose") ? LogLevel.Information : LogLevel.Warning);
builder.Services.AddGravitySync(o =>
{
    o.RulesFiles.Add(Path.Combine(AppContext.BaseDirectory, "rules", "rules.json"));
    o.DatabasesFile = Path.Combine(AppContext.BaseDirectory, "rules", "databases.json");
    o.DataDirectory = data; // the event log and the three view databases live here
    o.OutboxPollInterval = TimeSpan.FromMilliseconds(50);
    o.CheckpointInterval = TimeSpan.FromMilliseconds(50);
})
.AddGeneratedProjections() // the [Projection] rules of Events.cs, merged with rules.json into one rule set
.AddSqliteOutboxRelay(appDatabase);

using var host = builder.Build();
var users = new UserService(appDatabase);
await users.InitializeAsync();
await host.StartAsync();

Console.WriteLine("User service: adding 12 users, changing 3 incomes, removing 1 user (each in one transaction with its event).");
foreach (var user in Story.Users)
{
    await users.AddUserAsync(user);
}

foreach (var change in Story.IncomeChanges)
{
    await users.ChangeIncomeAsync(change);
}

foreach (var removed in Story.Removals)
{
    await users.RemoveUserAsync(removed);
}

var expectedEvents = Story.Users.Count + Story.IncomeChanges.Count + Story.Removals.Count;
var status = await WaitForViewsAsync(host.Services.GetRequiredService<IGravitySyncOperator>(), expectedEvents);
Console.WriteLine($"Gravity: {string.Join(", ", status.Select(s => $"{s.Database} at position {s.Position}/{s.HeadPosition}"))}.");
Console.WriteLine();

var (profile, finance, statistics) = Story.Fold();
var ok = true;
ok &= await ShowAsync("UserProfile view (user-profile.db)", "user-profile.db", "SELECT user_id, name, gender, city, birth_of_day, address FROM user_profile ORDER BY user_id", profile);
ok &= await ShowAsync("Finance view (finance.db)", "finance.db", "SELECT user_id, national_unique_id, account_number, bank_name, account_type, employer, income, expenditure FROM finance ORDER BY user_id", finance);
ok &= await ShowAsync("IncomeStatistics view (analytics.db)", "analytics.db", "SELECT user_id, income, birth_of_day, city, gender FROM income_statistics ORDER BY user_id", statistics);

// The analytics service queries its flat view directly; no join across services.
Console.WriteLine("Income by city (a query on the IncomeStatistics view):");
foreach (var row in await QueryAsync("analytics.db", "SELECT city, count(*), round(avg(income), 2) FROM income_statistics GROUP BY city ORDER BY city"))
{
    Console.WriteLine("   " + row);
}

Console.WriteLine();
await host.StopAsync();
Console.WriteLine(ok ? "Result: OK, every view equals the fold of the events." : "Result: MISMATCH, a view differs from the fold of the events.");
SqliteConnection.ClearAllPools();
if (keep)
{
    Console.WriteLine($"Data kept in {data}");
}
else
{
    Directory.Delete(data, recursive: true);
}

return ok ? 0 : 1;

async Task<IReadOnlyList<TargetStatus>> WaitForViewsAsync(IGravitySyncOperator gravity, int events)
{
    var deadline = DateTime.UtcNow.AddSeconds(30);
    while (true)
    {
        var current = await gravity.GetStatusAsync();
        if ((current.All(s => s.CaughtUp && s.HeadPosition >= events)) || DateTime.UtcNow > deadline)
        {
            return current;
        }

        await Task.Delay(50);
    }
}

async Task<bool> ShowAsync(string title, string file, string sql, List<string> expected)
{
    var rows = await QueryAsync(file, sql);
    var match = rows.SequenceEqual(expected);
    Console.WriteLine($"{title}: {rows.Count} rows [{(match ? "ok" : "MISMATCH")}]");
    foreach (var row in rows)
    {
        Console.WriteLine("   " + row);
    }

    if (!match)
    {
        Console.WriteLine("   expected:");
        expected.ForEach(r => Console.WriteLine("   " + r));
    }

    Console.WriteLine();
    return match;
}

async Task<List<string>> QueryAsync(string file, string sql)
{
    await using var connection = new SqliteConnection($"Data Source={Path.Combine(data, file)};Mode=ReadOnly");
    await connection.OpenAsync();
    await using var command = connection.CreateCommand();
    command.CommandText = sql;
    await using var reader = await command.ExecuteReaderAsync();
    var rows = new List<string>();
    while (await reader.ReadAsync())
    {
        var cells = new object?[reader.FieldCount];
        for (var i = 0; i < cells.Length; i++)
        {
            cells[i] = reader.IsDBNull(i) ? null : reader.GetValue(i) switch
            {
                double d => Story.Money((decimal)d),
                long l when reader.GetDataTypeName(i) == "DECIMAL" => Story.Money(l),
                var v => v,
            };
        }

        rows.Add(Story.Row(cells));
    }

    return rows;
}
