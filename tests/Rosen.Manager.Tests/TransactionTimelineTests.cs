using System.Net;
using Rosen.Manager.Tests.Infrastructure;
using Rosen.Manager.Transactions;
using Twist.Transactions;

namespace Rosen.Manager.Tests;

/// <summary>Spans of a real Twist transaction, sent by the real OTLP exporter, become the manager's timeline.</summary>
public sealed class TransactionTimelineTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_timeline_of_a_real_transaction_shows_every_attempt_of_a_retried_participant()
    {
        await using var manager = await ManagerHost.StartAsync();
        await using var cluster = await TwistCluster.StartAsync(manager.TracesUri);
        cluster.FailFirst("debit", 2);
        var tx = await cluster.Coordinator.BeginAsync(null, Ct);

        var result = await cluster.Coordinator.ConfirmAsync(tx.Tid, [cluster.Link("debit", tx.Tid)], Ct);

        Assert.Equal(TransactionStatus.Confirmed, result.Status);
        var spans = await Eventually.GetAsync(
            () => manager.Store.GetTransactionSpansAsync(tx.Tid, cancellationToken: Ct),
            s => s.Count(x => x.Name == "twist.participant confirm") == 3 && s.Count(x => x.ServiceName == "bank") == 3,
            "three confirm attempts and the bank's three server spans");
        var timeline = TimelineBuilder.Build(tx.Tid, spans);

        var attempts = timeline.Entries.Where(e => e.Phase == TimelinePhase.Confirm && e.Attempt is not null).ToList();
        Assert.Equal([1, 2, 3], attempts.Select(a => a.Attempt!.Value));
        Assert.Equal(["Transient", "Transient", "Done"], attempts.Select(a => a.Outcome));
        Assert.All(attempts.Take(2), a => Assert.True(a.Failed));
        Assert.Contains(timeline.Entries, e => e.Phase == TimelinePhase.Begin);
        Assert.Contains(timeline.Entries, e => e.Phase == TimelinePhase.Decision && e.Label.Contains("Confirming", StringComparison.Ordinal));
        var delivery = Assert.Single(timeline.Participants);
        Assert.Equal((3, "Done"), (delivery.ConfirmAttempts, delivery.LastOutcome));

        // The same story on the page a person opens.
        using var browser = await manager.LoginAsync(ManagerHost.Viewer);
        var html = WebUtility.HtmlDecode(await browser.GetStringAsync($"/transactions/{tx.Tid}", Ct));
        Assert.Contains("Confirm attempt 1 → participant 1 (127.0.0.1): HTTP 503", html, StringComparison.Ordinal);
        Assert.Contains("Confirm attempt 2 → participant 1 (127.0.0.1): HTTP 503", html, StringComparison.Ordinal);
        Assert.Contains("Confirm attempt 3 → participant 1 (127.0.0.1): HTTP 200", html, StringComparison.Ordinal);

        // The coordinator calls the bank: the topology has that edge, and the list finds the transaction by participant.
        var edges = await manager.Store.GetServiceEdgesAsync(DateTimeOffset.UtcNow.AddMinutes(-5), Ct);
        Assert.Contains(edges, e => e.From == "twist-coordinator" && e.To == "bank" && !e.Messaging && e.Count >= 3);
        var list = await browser.GetStringAsync("/transactions?participant=bank&age=15m", Ct);
        Assert.Contains(tx.Tid, list, StringComparison.Ordinal);
        var topology = await browser.GetStringAsync("/", Ct);
        Assert.Contains("data-service=\"bank\"", topology, StringComparison.Ordinal);
        Assert.Contains("data-service=\"twist-coordinator\"", topology, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_page_shows_the_coordinators_retry_and_completion_logs_of_the_transaction_and_not_those_of_another()
    {
        await using var manager = await ManagerHost.StartAsync();
        await using var cluster = await TwistCluster.StartAsync(manager.TracesUri);
        cluster.FailFirst("debit", 2);
        var tx = await cluster.Coordinator.BeginAsync(null, Ct);
        Assert.Equal(TransactionStatus.Confirmed, (await cluster.Coordinator.ConfirmAsync(tx.Tid, [cluster.Link("debit", tx.Tid)], Ct)).Status);
        var other = await cluster.Coordinator.BeginAsync(null, Ct);
        await cluster.Coordinator.CancelAsync(other.Tid, Ct);

        var logs = await Eventually.GetAsync(
            () => manager.Store.GetTransactionLogsAsync(tx.Tid, cancellationToken: Ct),
            l => l.Count(r => r.EventId == 1010) == 2 && l.Any(r => r.EventId == 1002),
            "the coordinator's two retry lines and its completion line");
        await Eventually.GetAsync(
            () => manager.Store.GetTransactionLogsAsync(other.Tid, cancellationToken: Ct),
            l => l.Any(r => r.EventId == 1002),
            "the other transaction's completion line");
        var retries = logs.Where(r => r.EventId == 1010).ToList();
        Assert.All(retries, r => Assert.Equal(("DeliveryRetrying", "Warning", "twist-coordinator", tx.Tid), (r.EventName, r.SeverityText, r.ServiceName, r.TransactionId)));
        Assert.Equal(["1", "2"], retries.Select(r => r.Attribute("Attempt")));
        var completed = logs.Single(r => r.EventId == 1002);
        Assert.Equal($"Transaction {tx.Tid} finished Confirmed", completed.Body);
        Assert.DoesNotContain(logs, r => r.Body?.Contains(other.Tid, StringComparison.Ordinal) == true);

        using var browser = await manager.LoginAsync(ManagerHost.Viewer);
        var html = WebUtility.HtmlDecode(await browser.GetStringAsync($"/transactions/{tx.Tid}", Ct));
        Assert.Contains("data-testid=\"logs\"", html, StringComparison.Ordinal);
        foreach (var retry in retries)
        {
            Assert.Contains(retry.Body!, html, StringComparison.Ordinal);
        }

        Assert.Contains($"Transaction {tx.Tid} finished Confirmed", html, StringComparison.Ordinal);
        Assert.Contains("DeliveryRetrying (1010)", html, StringComparison.Ordinal);
        Assert.Contains("TransactionCompleted (1002)", html, StringComparison.Ordinal);
        Assert.Contains(">Warning<", html, StringComparison.Ordinal);
        Assert.DoesNotContain(other.Tid, html, StringComparison.Ordinal);

        // A transaction nobody logged about says so instead of showing an empty table.
        var silent = WebUtility.HtmlDecode(await browser.GetStringAsync("/transactions/tx-nobody-logged", Ct));
        Assert.Contains("data-testid=\"logs-empty\"", silent, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"logs\"", silent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_the_coordinator_configured_the_page_shows_its_participants_and_attempts()
    {
        await using var manager = await ManagerHost.StartAsync();
        await using var cluster = await TwistCluster.StartAsync(manager.TracesUri);
        await using var configured = await ManagerHost.StartAsync(s =>
        {
            s["Rosen:Manager:Coordinators:0:Name"] = "main";
            s["Rosen:Manager:Coordinators:0:Address"] = cluster.CoordinatorAddress.ToString();
            s["Rosen:Manager:Coordinators:0:ApiKey"] = TwistCluster.OperatorKey;
        });
        cluster.FailFirst("debit", 1);
        var tx = await cluster.Coordinator.BeginAsync(null, Ct);
        await cluster.Coordinator.ConfirmAsync(tx.Tid, [cluster.Link("debit", tx.Tid)], Ct);

        using var browser = await configured.LoginAsync(ManagerHost.Viewer);
        using var response = await browser.GetAsync($"/transactions/{tx.Tid}", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync(Ct);
        Assert.Contains("data-testid=\"participants\"", html, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"attempts\"", html, StringComparison.Ordinal);
        Assert.Contains(">Confirmed<", html, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"retry-1\"", html, StringComparison.Ordinal); // a viewer gets no action buttons
    }
}
