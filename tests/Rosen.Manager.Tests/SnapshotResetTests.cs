using System.Net;
using Rosen.Manager.Audit;
using Rosen.Manager.Tests.Infrastructure;

namespace Rosen.Manager.Tests;

/// <summary>
/// An admin resets a Gravity target database from a snapshot through the Sync page, against a real synchronizer with
/// two SQLite databases: admin only, confirmed by name, audited, and refused with a message (never a 500) when the
/// synchronizer says no or cannot be reached.
/// </summary>
public sealed class SnapshotResetTests
{
    private const string Page = "/sync/reset";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_admin_resets_a_damaged_sqlite_database_from_another_and_it_follows_the_live_stream_again()
    {
        var port = TwistCluster.FreePort();
        await using var manager = await ManagerHost.StartAsync(s =>
        {
            Configure(s, 0, "profile-sync", port);
            Configure(s, 1, "gone-sync", TwistCluster.FreePort()); // nothing listens there
        });
        await using var sync = await SyncHost.StartAsync(port, withReplica: true, replicaSnapshotFrom: "profiles");
        for (var id = 1; id <= 3; id++)
        {
            await sync.SaveUserAsync(id, $"user{id}@example.com", $"User {id}");
        }

        var healthy = await Eventually.GetAsync(() => sync.ReadUsersAsync("replica"), u => u.Count == 3, "the replica to apply the users");
        await Eventually.GetAsync(() => sync.ReadUsersAsync("profiles"), u => u.SequenceEqual(healthy), "profiles to apply the same users"); // each database has its own pipeline
        await sync.ExecuteAsync("replica", "DELETE FROM users WHERE id = 2; UPDATE users SET name = 'garbled' WHERE id = 3");

        using var admin = await manager.LoginAsync(ManagerHost.Admin);
        Assert.Contains("data-testid=\"reset-replica\"", await admin.GetStringAsync("/sync", Ct), StringComparison.Ordinal);
        var choose = WebUtility.HtmlDecode(await admin.GetStringAsync($"{Page}?synchronizer=profile-sync&database=replica", Ct));
        Assert.Contains("Choose the origin", choose, StringComparison.Ordinal);
        Assert.Contains("<option value=\"profiles\">", choose, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"configured-origin\">profiles<", choose, StringComparison.Ordinal);
        var confirmPage = $"{Page}?synchronizer=profile-sync&database=replica&from=profiles";
        Assert.Contains("Empty replica and fill it from profiles?", WebUtility.HtmlDecode(await admin.GetStringAsync(confirmPage, Ct)), StringComparison.Ordinal);

        // Typing another name than the database's resets nothing and goes back to the confirmation.
        using (var response = await PostAsync(admin, "profile-sync", "replica", "profiles", confirm: "profiles"))
        {
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.Equal(confirmPage, response.Headers.Location!.OriginalString);
        }

        Assert.Contains("type the database name", await admin.GetStringAsync(confirmPage, Ct), StringComparison.Ordinal);

        // The synchronizer refuses an origin it does not know; the admin reads why on the Sync page.
        using (var response = await PostAsync(admin, "profile-sync", "replica", "nowhere", confirm: "replica"))
        {
            Assert.Equal("/sync", response.Headers.Location!.OriginalString);
        }

        Assert.Contains("\"nowhere\" is neither a database this synchronizer writes", WebUtility.HtmlDecode(await admin.GetStringAsync("/sync", Ct)), StringComparison.Ordinal);

        // A synchronizer that does not answer is a message too.
        using (var response = await PostAsync(admin, "gone-sync", "replica", "profiles", confirm: "replica"))
        {
            Assert.Equal("/sync", response.Headers.Location!.OriginalString);
        }

        Assert.Contains("gone-sync did not answer", await admin.GetStringAsync("/sync", Ct), StringComparison.Ordinal);
        Assert.NotEqual(healthy, await sync.ReadUsersAsync("replica"));

        using (var response = await PostAsync(admin, "profile-sync", "replica", "profiles", confirm: "replica", reason: "restored from an old backup"))
        {
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.Equal("/sync", response.Headers.Location!.OriginalString);
        }

        Assert.Contains("being emptied and filled again from a snapshot of profiles", await admin.GetStringAsync("/sync", Ct), StringComparison.Ordinal);
        await Eventually.GetAsync(() => sync.ReadUsersAsync("replica"), u => u.SequenceEqual(healthy), "the replica to be a copy of profiles again");
        await Eventually.GetAsync(() => sync.Operator.GetStatusAsync(Ct), s => s.All(t => t.CaughtUp && t.Snapshot is null), "the load to end");
        var state = WebUtility.HtmlDecode(await admin.GetStringAsync("/sync", Ct));
        Assert.Contains("loaded from profiles · 3 rows", state, StringComparison.Ordinal); // the reset's copy of the three users
        Assert.Contains("· origin profiles", state, StringComparison.Ordinal);

        // Live again: a new event reaches the reset database.
        await sync.SaveUserAsync(4, "user4@example.com", "User 4");
        var after = await Eventually.GetAsync(() => sync.ReadUsersAsync("replica"), u => u.Count == 4, "the replica to apply a new event");
        await Eventually.GetAsync(() => sync.ReadUsersAsync("profiles"), u => u.SequenceEqual(after), "profiles to hold the same four users"); // its own pipeline

        var audit = await manager.Audit.ListAsync(action: "reset-from-snapshot", cancellationToken: Ct);
        Assert.Equal([AuditLog.Allowed, AuditLog.Failed, AuditLog.Failed, AuditLog.Failed], audit.Select(a => a.Outcome));
        Assert.All(audit, a => Assert.Equal((ManagerHost.Admin.Name, "admin"), (a.Actor, a.Role)));
        Assert.Equal(("profile-sync/replica from profiles", "restored from an old backup"), (audit[0].Target, audit[0].Reason));
        Assert.Contains("being emptied", audit[0].Detail, StringComparison.Ordinal);
        Assert.Contains("type the database name", audit[3].Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_load_in_progress_shows_on_the_sync_page_and_the_same_reset_again_is_refused()
    {
        var port = TwistCluster.FreePort();
        await using var manager = await ManagerHost.StartAsync(s => Configure(s, 0, "profile-sync", port));
        await using var sync = await SyncHost.StartAsync(port, withReplica: true);
        await sync.SaveUserAsync(1, "one@example.com", "One");
        await Eventually.GetAsync(() => sync.Operator.GetStatusAsync(Ct), s => s.Count == 2 && s.All(t => t.CaughtUp), "both databases to catch up");

        using var admin = await manager.LoginAsync(ManagerHost.Admin);
        using (var response = await PostAsync(admin, "profile-sync", "replica", HeldSnapshotSource.SourceName, confirm: "replica"))
        {
            Assert.Equal("/sync", response.Headers.Location!.OriginalString);
        }

        await Eventually.GetAsync(() => sync.Operator.GetStatusAsync(Ct), s => s.Single(t => t.Database == "replica").Snapshot?.From == HeldSnapshotSource.SourceName, "the load to start");
        using var viewer = await manager.LoginAsync(ManagerHost.Viewer);
        Assert.Contains($"loading from {HeldSnapshotSource.SourceName}", await viewer.GetStringAsync("/sync", Ct), StringComparison.Ordinal);
        Assert.Contains("shows a load from held-source", await admin.GetStringAsync($"{Page}?synchronizer=profile-sync&database=replica&from=profiles", Ct), StringComparison.Ordinal);

        using (var response = await PostAsync(admin, "profile-sync", "replica", HeldSnapshotSource.SourceName, confirm: "replica"))
        {
            Assert.Equal("/sync", response.Headers.Location!.OriginalString);
        }

        Assert.Contains("already being loaded from held-source", await admin.GetStringAsync("/sync", Ct), StringComparison.Ordinal);
        sync.Held!.Release();
        await Eventually.GetAsync(() => sync.ReadUsersAsync("replica"), u => u.SequenceEqual([HeldSnapshotSource.User]), "the held load to fill the replica");
        await Eventually.GetAsync(() => sync.Operator.GetStatusAsync(Ct), s => s.All(t => t.Snapshot is null), "the load to end");
        Assert.Equal(["1|one@example.com|One"], await sync.ReadUsersAsync("profiles"));
        var audit = await manager.Audit.ListAsync(action: "reset-from-snapshot", cancellationToken: Ct);
        Assert.Equal([AuditLog.Failed, AuditLog.Allowed], audit.Select(a => a.Outcome));
    }

    [Fact]
    public async Task Resetting_a_database_needs_the_admin_role_a_csrf_token_and_every_attempt_is_audited()
    {
        var port = TwistCluster.FreePort();
        await using var manager = await ManagerHost.StartAsync(s => Configure(s, 0, "profile-sync", port));
        await using var sync = await SyncHost.StartAsync(port, withReplica: true);
        await sync.SaveUserAsync(1, "one@example.com", "One");
        await Eventually.GetAsync(() => sync.ReadUsersAsync("replica"), u => u.Count == 1, "the replica to apply the user");
        await sync.ExecuteAsync("replica", "DELETE FROM users");
        var form = new[] { ("synchronizer", "profile-sync"), ("database", "replica"), ("from", "profiles"), ("confirm", "replica") };

        // Anonymous: sent to the login form.
        using var anonymous = manager.NewClient();
        using (var response = await anonymous.PostAsync(Page, ManagerHost.Form(null, form), Ct))
        {
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.StartsWith("/login", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        }

        // Viewer and operator: no button, no confirmation page, 403 on the post, audited as denied.
        foreach (var person in new[] { ManagerHost.Viewer, ManagerHost.Operator })
        {
            using var client = await manager.LoginAsync(person);
            Assert.DoesNotContain("Reset from snapshot", await client.GetStringAsync("/sync", Ct), StringComparison.Ordinal);
            using (var response = await client.GetAsync($"{Page}?synchronizer=profile-sync&database=replica&from=profiles", Ct))
            {
                Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            }

            using (var response = await client.PostAsync(Page, ManagerHost.Form(await ManagerHost.TokenAsync(client, "/sync"), form), Ct))
            {
                Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
                Assert.Contains("admin role", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
            }
        }

        // Admin without the CSRF token: refused before anything runs.
        using var admin = await manager.LoginAsync(ManagerHost.Admin);
        using (var response = await admin.PostAsync(Page, ManagerHost.Form(null, form), Ct))
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        }

        Assert.Empty(await sync.ReadUsersAsync("replica"));
        var denied = await manager.Audit.ListAsync(action: "reset-from-snapshot", cancellationToken: Ct);
        Assert.Equal([(ManagerHost.Operator.Name, AuditLog.Denied), (ManagerHost.Viewer.Name, AuditLog.Denied)], denied.Select(e => (e.Actor, e.Outcome)));
        Assert.All(denied, e => Assert.Equal("the admin role is required", e.Detail));

        // Admin with the token: the reset runs.
        using (var response = await admin.PostAsync(Page, ManagerHost.Form(await ManagerHost.TokenAsync(admin, "/sync"), form), Ct))
        {
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        }

        await Eventually.GetAsync(() => sync.ReadUsersAsync("replica"), u => u.SequenceEqual(["1|one@example.com|One"]), "the admin's reset to refill the replica");
        Assert.Equal((ManagerHost.Admin.Name, AuditLog.Allowed), (await manager.Audit.ListAsync(action: "reset-from-snapshot", cancellationToken: Ct)).Select(e => (e.Actor, e.Outcome)).First());
    }

    private static void Configure(Dictionary<string, string?> settings, int index, string name, int port)
    {
        settings[$"Rosen:Manager:Synchronizers:{index}:Name"] = name;
        settings[$"Rosen:Manager:Synchronizers:{index}:Address"] = $"http://127.0.0.1:{port}/gravity";
        settings[$"Rosen:Manager:Synchronizers:{index}:ApiKey"] = SyncHost.ApiKey;
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, string synchronizer, string database, string from, string confirm, string? reason = null) =>
        await client.PostAsync(
            Page,
            ManagerHost.Form(await ManagerHost.TokenAsync(client, "/sync"), ("synchronizer", synchronizer), ("database", database), ("from", from), ("confirm", confirm), ("reason", reason ?? string.Empty)),
            Ct);
}
