using System.Text.RegularExpressions;
using System.Net;
using Rosen.Manager.Audit;
using Rosen.Manager.Tests.Infrastructure;

namespace Rosen.Manager.Tests;

/// <summary>The Sync page reads a real synchronizer's operator API; an operator replays a parked key from it.</summary>
public sealed class SyncPageTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_operator_sees_lag_and_parked_keys_and_replays_a_key_once_its_cause_is_fixed()
    {
        var port = TwistCluster.FreePort();
        await using var manager = await ManagerHost.StartAsync(s =>
        {
            s["Rosen:Manager:Synchronizers:0:Name"] = "profile-sync";
            s["Rosen:Manager:Synchronizers:0:Address"] = $"http://127.0.0.1:{port}/gravity";
            s["Rosen:Manager:Synchronizers:0:ApiKey"] = SyncHost.ApiKey;
        });
        await using var sync = await SyncHost.StartAsync(port);
        await sync.SaveUserAsync(1, "a@x", "one");
        await sync.SaveUserAsync(2, "a@x", "two"); // the e-mail is taken: key [2] parks
        await Eventually.GetAsync(() => sync.Operator.ListParkedAsync(null, Ct), p => p.Count == 1, "key [2] to park");

        using var viewer = await manager.LoginAsync(ManagerHost.Viewer);
        var page = WebUtility.HtmlDecode(await viewer.GetStringAsync("/sync", Ct));
        Assert.Contains("data-testid=\"sync-targets\"", page, StringComparison.Ordinal);
        Assert.Contains("UNIQUE constraint failed", page, StringComparison.Ordinal);
        Assert.DoesNotContain(">Replay<", page, StringComparison.Ordinal); // no action button for a viewer

        // Per rule: one row applied, one held back (the key that parked).
        var rule = Regex.Match(page, "<tr data-rule=\"userSaved/profiles/users\".*?</tr>", RegexOptions.Singleline).Value;
        Assert.Equal(["userSaved → users", "profiles", "Upsert", "1", "1"], Regex.Matches(rule, "<td[^>]*>(.*?)</td>", RegexOptions.Singleline).Take(6).Select(m => Regex.Replace(m.Groups[1].Value, "<[^>]+>", string.Empty).Trim()).Where((_, i) => i != 4));

        using var operatorClient = await manager.LoginAsync(ManagerHost.Operator);
        var form = new[] { ("synchronizer", "profile-sync"), ("database", "profiles"), ("table", "users"), ("key", "[2]") };
        using (var early = await operatorClient.PostAsync("/sync?handler=Replay", ManagerHost.Form(await ManagerHost.TokenAsync(operatorClient, "/sync"), form), Ct))
        {
            Assert.Equal(HttpStatusCode.Redirect, early.StatusCode);
        }

        Assert.Contains("still parked", WebUtility.HtmlDecode(await operatorClient.GetStringAsync("/sync", Ct)), StringComparison.Ordinal);
        await sync.SaveUserAsync(1, "b@x", "one moved"); // frees a@x
        await Eventually.GetAsync(() => sync.Operator.GetStatusAsync(Ct), s => s.All(t => t.CaughtUp), "the synchronizer to catch up");
        using (var replay = await operatorClient.PostAsync("/sync?handler=Replay", ManagerHost.Form(await ManagerHost.TokenAsync(operatorClient, "/sync"), form), Ct))
        {
            Assert.Equal(HttpStatusCode.Redirect, replay.StatusCode);
        }

        Assert.Empty(await sync.Operator.ListParkedAsync(null, Ct));
        Assert.Contains("no longer parked", WebUtility.HtmlDecode(await operatorClient.GetStringAsync("/sync", Ct)), StringComparison.Ordinal);
        var audit = await manager.Audit.ListAsync(action: "replay-parked-key", cancellationToken: Ct);
        Assert.Equal([AuditLog.Allowed, AuditLog.Failed], audit.Select(a => a.Outcome));
        Assert.All(audit, a => Assert.Equal("profile-sync/profiles/users/[2]", a.Target));
    }

    [Fact]
    public async Task The_synchronizer_operator_api_refuses_calls_without_its_key()
    {
        var port = TwistCluster.FreePort();
        await using var sync = await SyncHost.StartAsync(port);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        using (var none = await http.GetAsync("/gravity/status", Ct))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
            Assert.Equal("application/problem+json", none.Content.Headers.ContentType?.MediaType);
        }

        http.DefaultRequestHeaders.Add("X-Api-Key", SyncHost.ApiKey);
        Assert.Contains("\"database\":\"profiles\"", await http.GetStringAsync("/gravity/status", Ct), StringComparison.Ordinal);
        using var bad = await http.PostAsync("/gravity/replay", new StringContent("{\"database\":\"nope\",\"table\":\"users\",\"key\":\"[1]\"}", System.Text.Encoding.UTF8, "application/json"), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }
}
