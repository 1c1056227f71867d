using System.Net;
using Rosen.Manager.Audit;
using Rosen.Manager.Tests.Infrastructure;
using Twist.Transactions;

namespace Rosen.Manager.Tests;

/// <summary>Every operator action needs a login with the operator role, carries a CSRF token, and is audited.</summary>
public sealed class OperatorActionAuthTests : IAsyncLifetime
{
    private ManagerHost manager = null!;
    private TwistCluster cluster = null!;
    private ManagerHost operated = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        manager = await ManagerHost.StartAsync();
        cluster = await TwistCluster.StartAsync(manager.TracesUri, maxAttempts: 2);
        operated = await ManagerHost.StartAsync(s =>
        {
            s["Rosen:Manager:Coordinators:0:Name"] = "main";
            s["Rosen:Manager:Coordinators:0:Address"] = cluster.CoordinatorAddress.ToString();
            s["Rosen:Manager:Coordinators:0:ApiKey"] = TwistCluster.OperatorKey;
        });
    }

    public async ValueTask DisposeAsync()
    {
        await operated.DisposeAsync();
        await cluster.DisposeAsync();
        await manager.DisposeAsync();
    }

    [Fact]
    public async Task Retrying_a_parked_participant_needs_the_operator_role_and_every_attempt_is_audited()
    {
        var tid = await ParkedTransactionAsync();
        var page = $"/transactions/{tid}";
        var form = new[] { ("coordinator", "main"), ("participantId", "1") };

        // Anonymous: sent to the login form, nothing happens.
        using var anonymous = operated.NewClient();
        using (var response = await anonymous.PostAsync(page + "?handler=Retry", ManagerHost.Form(null, form), Ct))
        {
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.StartsWith("/login", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        }

        // Viewer: 403, audited as denied, participant still parked.
        using var viewer = await operated.LoginAsync(ManagerHost.Viewer);
        using (var response = await viewer.PostAsync(page + "?handler=Retry", ManagerHost.Form(await ManagerHost.TokenAsync(viewer, page), form), Ct))
        {
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Contains("operator role", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }

        var denied = Assert.Single(await operated.Audit.ListAsync(action: "retry-participant", cancellationToken: Ct));
        Assert.Equal((ManagerHost.Viewer.Name, AuditLog.Denied), (denied.Actor, denied.Outcome));
        Assert.Equal(ParticipantStatus.Parked, (await cluster.Coordinator.GetAsync(tid, Ct)).Participants.Single().Status);

        // Operator without the CSRF token: refused before anything runs.
        using var operatorClient = await operated.LoginAsync(ManagerHost.Operator);
        using (var response = await operatorClient.PostAsync(page + "?handler=Retry", ManagerHost.Form(null, form), Ct))
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        }

        // Operator with the token: the coordinator retries now and the transaction completes; audited as ok.
        using (var response = await operatorClient.PostAsync(page + "?handler=Retry", ManagerHost.Form(await ManagerHost.TokenAsync(operatorClient, page), form), Ct))
        {
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.Equal(page, response.Headers.Location!.OriginalString);
        }

        await Eventually.GetAsync(() => cluster.Coordinator.GetAsync(tid, Ct), t => t.Status == TransactionStatus.Confirmed, "the retried transaction to be confirmed");
        var entries = await operated.Audit.ListAsync(action: "retry-participant", cancellationToken: Ct);
        Assert.Equal([(ManagerHost.Operator.Name, AuditLog.Allowed), (ManagerHost.Viewer.Name, AuditLog.Denied)], entries.Select(e => (e.Actor, e.Outcome)));
        Assert.Equal($"{tid} participant 1", entries[0].Target);
        var shown = await operatorClient.GetStringAsync(page, Ct);
        Assert.Contains("will be retried now", shown, StringComparison.Ordinal); // the flash after the redirect
    }

    [Fact]
    public async Task Resolving_a_parked_participant_by_hand_needs_the_operator_role_and_a_reason()
    {
        var tid = await ParkedTransactionAsync();
        var page = $"/transactions/{tid}";
        (string, string)[] Form(string reason) => [("coordinator", "main"), ("participantId", "1"), ("reason", reason)];

        using var viewer = await operated.LoginAsync(ManagerHost.Viewer);
        using (var response = await viewer.PostAsync(page + "?handler=Resolve", ManagerHost.Form(await ManagerHost.TokenAsync(viewer, page), Form("settled")), Ct))
        {
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        }

        using var operatorClient = await operated.LoginAsync(ManagerHost.Operator);
        Assert.Contains("data-testid=\"resolve-1\"", await operatorClient.GetStringAsync(page, Ct), StringComparison.Ordinal);
        using (var response = await operatorClient.PostAsync(page + "?handler=Resolve", ManagerHost.Form(await ManagerHost.TokenAsync(operatorClient, page), Form(" ")), Ct))
        {
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        }

        Assert.Equal(ParticipantStatus.Parked, (await cluster.Coordinator.GetAsync(tid, Ct)).Participants.Single().Status);
        using (var response = await operatorClient.PostAsync(page + "?handler=Resolve", ManagerHost.Form(await ManagerHost.TokenAsync(operatorClient, page), Form("booked by hand, INC-9")), Ct))
        {
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        }

        var resolved = await cluster.Coordinator.GetAsync(tid, Ct);
        Assert.Equal(TransactionStatus.Confirmed, resolved.Status);
        Assert.Equal(ParticipantStatus.Confirmed, resolved.Participants.Single().Status);
        var entries = await operated.Audit.ListAsync(action: "resolve-participant", cancellationToken: Ct);
        Assert.Equal([(ManagerHost.Operator.Name, AuditLog.Allowed), (ManagerHost.Viewer.Name, AuditLog.Denied)], entries.Select(e => (e.Actor, e.Outcome)));
        Assert.Contains("settled by hand", await operatorClient.GetStringAsync(page, Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Force_cancel_and_replay_are_refused_to_viewers_and_force_cancel_needs_a_reason()
    {
        var tx = await cluster.Coordinator.BeginAsync(TimeSpan.FromMinutes(5), Ct);
        await cluster.Coordinator.RegisterAsync(tx.Tid, [cluster.Link("hold", tx.Tid)], Ct);
        var page = $"/transactions/{tx.Tid}";

        using var viewer = await operated.LoginAsync(ManagerHost.Viewer);
        using (var response = await viewer.PostAsync(page + "?handler=ForceCancel", ManagerHost.Form(await ManagerHost.TokenAsync(viewer, page), ("coordinator", "main"), ("reason", "stuck")), Ct))
        {
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        }

        using (var response = await viewer.PostAsync("/sync?handler=Replay", ManagerHost.Form(await ManagerHost.TokenAsync(viewer, page), ("synchronizer", "s"), ("database", "d"), ("table", "t"), ("key", "[1]")), Ct))
        {
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        }

        using var operatorClient = await operated.LoginAsync(ManagerHost.Operator);
        using (var response = await operatorClient.PostAsync(page + "?handler=ForceCancel", ManagerHost.Form(await ManagerHost.TokenAsync(operatorClient, page), ("coordinator", "main"), ("reason", "  ")), Ct))
        {
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        }

        Assert.Equal(TransactionStatus.Active, (await cluster.Coordinator.GetAsync(tx.Tid, Ct)).Status);
        using (var response = await operatorClient.PostAsync(page + "?handler=ForceCancel", ManagerHost.Form(await ManagerHost.TokenAsync(operatorClient, page), ("coordinator", "main"), ("reason", "customer gave up")), Ct))
        {
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        }

        var cancelled = await Eventually.GetAsync(() => cluster.Coordinator.GetAsync(tx.Tid, Ct), t => t.Status == TransactionStatus.Cancelled, "the force-cancelled transaction");
        Assert.Equal(TransactionStatus.Cancelled, cancelled.Status);
        var audit = await operated.Audit.ListAsync(cancellationToken: Ct);
        Assert.Contains(audit, e => e.Action == "force-cancel" && e.Actor == ManagerHost.Operator.Name && e.Outcome == AuditLog.Allowed && e.Reason == "customer gave up");
        Assert.Contains(audit, e => e.Action == "force-cancel" && e.Actor == ManagerHost.Viewer.Name && e.Outcome == AuditLog.Denied);
        Assert.Contains(audit, e => e.Action == "replay-parked-key" && e.Actor == ManagerHost.Viewer.Name && e.Outcome == AuditLog.Denied);
    }

    [Fact]
    public async Task Pages_need_a_login_and_the_audit_log_needs_the_operator_role()
    {
        using var anonymous = operated.NewClient();
        foreach (var path in new[] { "/", "/transactions", "/sync", "/audit" })
        {
            using var response = await anonymous.GetAsync(path, Ct);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.StartsWith("/login", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        }

        using (var response = await anonymous.GetAsync("/api/v1/instances", Ct))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        using var viewer = await operated.LoginAsync(ManagerHost.Viewer);
        using (var response = await viewer.GetAsync("/audit", Ct))
        {
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        }

        using var admin = await operated.LoginAsync(ManagerHost.Admin);
        var audit = await admin.GetStringAsync("/audit", Ct);
        Assert.Contains("login", audit, StringComparison.Ordinal);

        using var wrong = operated.NewClient();
        using var failed = await wrong.PostAsync("/login", ManagerHost.Form(await ManagerHost.TokenAsync(wrong, "/login"), ("username", "otto"), ("password", "not-it")), Ct);
        Assert.Equal(HttpStatusCode.OK, failed.StatusCode);
        Assert.Contains("not right", await failed.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Contains(await operated.Audit.ListAsync(action: "login", cancellationToken: Ct), e => e.Actor == "otto" && e.Outcome == AuditLog.Denied);
    }

    private async Task<string> ParkedTransactionAsync()
    {
        cluster.FailFirst("parked", 2);
        var tx = await cluster.Coordinator.BeginAsync(null, Ct);
        await cluster.Coordinator.ConfirmAsync(tx.Tid, [cluster.Link("parked", tx.Tid)], Ct);
        await Eventually.GetAsync(() => cluster.Coordinator.GetAsync(tx.Tid, Ct), t => t.Participants.Single().Status == ParticipantStatus.Parked, "the participant to be parked");
        return tx.Tid;
    }
}
