using System.Net;
using System.Net.Http.Json;
using System.Text;
using Gravity.Sync.EventLog;
using Gravity.Sync.Events;
using Gravity.Sync.Operations;
using Gravity.Sync.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gravity.Sync.Tests.Snapshots;

/// <summary><c>POST {prefix}/snapshot</c> of the operator HTTP API: behind the key, bad names answered at once, the load in the background.</summary>
public sealed class OperatorApiSnapshotTests
{
    private const string ApiKey = "gravity-operator-key-0123";

    [Fact]
    public async Task A_reset_over_http_checks_its_names_at_once_and_refills_the_database_in_the_background()
    {
        var ct = TestContext.Current.CancellationToken;
        var directory = TempDirectory.Create();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddGravitySync(o =>
        {
            o.DataDirectory = directory;
            o.PollInterval = TimeSpan.FromMilliseconds(50);
            o.CheckpointInterval = TimeSpan.FromMilliseconds(20);
            o.MaxBatchRows = 10;
        }).UseRules(SyncHarness.Rules(SnapshotScenario.TwoDatabases("db1", "db2"), SyncHarness.Sqlite("db1", directory), SyncHarness.Sqlite("db2", directory)));
        await using var app = builder.Build();
        app.MapGravitySyncOperatorApi("/gravity", ApiKey);
        await app.StartAsync(ct);
        try
        {
            var history = UserModel.History(keys: 500, events: 2000, seed: 47);
            await app.Services.GetRequiredService<IGravityEventLog>().AppendAsync([.. history.Select(h => GravityEventData.FromJson(h.Name, h.Json))], ct);
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
            using var http = new HttpClient { BaseAddress = new Uri(address) };
            await WaitAsync(http, ApiKey, s => s.All(t => t.CaughtUp));
            await SnapshotScenario.ExecuteAsync(Path.Combine(directory, "db2.db"), "DELETE FROM users WHERE id % 2 = 0");

            using (var unauthorized = await http.PostAsync("/gravity/snapshot", Json("""{"database":"db2","from":"db1"}"""), ct))
            {
                Assert.Equal(HttpStatusCode.Unauthorized, unauthorized.StatusCode);
            }

            http.DefaultRequestHeaders.Add("X-Api-Key", ApiKey);
            using (var unknown = await http.PostAsync("/gravity/snapshot", Json("""{"database":"db2","from":"db9"}"""), ct))
            {
                Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
                Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);
                using var problem = System.Text.Json.JsonDocument.Parse(await unknown.Content.ReadAsStringAsync(ct));
                Assert.StartsWith("\"db9\" is neither a database", problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
            }

            using (var incomplete = await http.PostAsync("/gravity/snapshot", Json("""{"database":"db2"}"""), ct))
            {
                Assert.Equal(HttpStatusCode.BadRequest, incomplete.StatusCode);
            }

            using (var accepted = await http.PostAsync("/gravity/snapshot", Json("""{"database":"db2","from":"db1"}"""), ct))
            {
                Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
                Assert.Equal("/gravity/status", accepted.Headers.Location?.ToString());
            }

            // The rows deleted above come back only through the reset; until then, or while it loads, status is not caught up.
            var fold = UserModel.Fold(history);
            for (var i = 0; i < 500 && !fold.SequenceEqual(await SnapshotScenario.ReadUsersAsync(directory, "db2")); i++)
            {
                await Task.Delay(20, ct);
            }

            await WaitAsync(http, null, s => s.All(t => t.CaughtUp && t.Snapshot is null));
            Assert.Equal(fold, await SnapshotScenario.ReadUsersAsync(directory, "db2"));
        }
        finally
        {
            await app.StopAsync(CancellationToken.None);
            TempDirectory.Delete(directory);
        }
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static async Task WaitAsync(HttpClient http, string? key, Func<IReadOnlyList<TargetStatus>, bool> done)
    {
        for (var i = 0; i < 1500; i++)
        {
            using var message = new HttpRequestMessage(HttpMethod.Get, "/gravity/status");
            if (key is not null)
            {
                message.Headers.Add("X-Api-Key", key);
            }

            using var response = await http.SendAsync(message, TestContext.Current.CancellationToken);
            var status = await response.Content.ReadFromJsonAsync<List<TargetStatus>>(TestContext.Current.CancellationToken);
            if (status is { Count: > 0 } && done(status))
            {
                return;
            }

            await Task.Delay(20, TestContext.Current.CancellationToken);
        }

        throw new TimeoutException("The synchronizer did not reach the expected status over HTTP.");
    }
}
