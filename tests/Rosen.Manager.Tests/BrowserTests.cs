using System.Diagnostics;
using System.Net.Http.Json;
using Microsoft.Playwright;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Rosen.Manager.Tests.Infrastructure;
using Twist.Transactions;

namespace Rosen.Manager.Tests;

/// <summary>
/// A person's walk through the manager in headless Chromium (Debian's /usr/bin/chromium driven by Playwright): log in,
/// look at the topology, find a transaction, read its timeline and logs, retry a parked participant, check the audit log; then,
/// as an admin, reset a damaged read-model database from a snapshot of another. Screenshots of each page land in
/// screenshots/ beside the test binary.
/// </summary>
public sealed class BrowserTests
{
    private const string Chromium = "/usr/bin/chromium";
    private static readonly ActivitySource Caller = new("Demo.Caller");
    private static readonly ActivitySource Sync = new("Demo.Sync");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact(Timeout = 180_000)]
    public async Task An_operator_finds_a_parked_transaction_and_retries_it_from_the_browser()
    {
        RequireChromium();
        var coordinatorPort = TwistCluster.FreePort();
        var syncPort = TwistCluster.FreePort();
        await using var manager = await ManagerHost.StartAsync(s =>
        {
            s["Rosen:Manager:Synchronizers:0:Name"] = "profile-sync";
            s["Rosen:Manager:Synchronizers:0:Address"] = $"http://127.0.0.1:{syncPort}/gravity";
            s["Rosen:Manager:Synchronizers:0:ApiKey"] = SyncHost.ApiKey;
            s["Rosen:Manager:Coordinators:0:Name"] = "twist-coordinator";
            s["Rosen:Manager:Coordinators:0:Address"] = $"http://127.0.0.1:{coordinatorPort}";
            s["Rosen:Manager:Coordinators:0:ApiKey"] = TwistCluster.OperatorKey;
        });
        await using var cluster = await TwistCluster.StartAsync(manager.TracesUri, maxAttempts: 2, coordinatorPort);
        await using var sync = await SyncHost.StartAsync(syncPort, manager.TracesUri, withReplica: true);
        await sync.SaveUserAsync(1, "ada@example.com", "Ada");
        await sync.SaveUserAsync(2, "ada@example.com", "Grace"); // a duplicate e-mail parks key [2] (in profiles and its replica)
        await Eventually.GetAsync(() => sync.Operator.ListParkedAsync(null, Ct), p => p.Count == 2, "key [2] to park");
        var (retried, parked) = await StoryAsync(manager, cluster);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
            Timeout = 30_000,
        });
        await using var context = await browser.NewContextAsync(new() { ViewportSize = new() { Width = 1360, Height = 900 }, BaseURL = manager.Address.ToString() });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(30_000); // the first login of a cold browser took over 15 s while CI ran other test projects beside it
        page.SetDefaultNavigationTimeout(30_000);
        var shots = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "screenshots")).FullName;

        // Log in.
        await page.GotoAsync("/");
        Assert.Contains("/login", page.Url, StringComparison.Ordinal);
        await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "login.png") });
        await LogInAsync(page, ManagerHost.Operator);

        // Topology: the coordinator calls the bank; both registered and probed healthy.
        await Assertions.Expect(page.Locator("[data-service='bank']")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-service='twist-coordinator']")).ToBeVisibleAsync();
        await Eventually.GetAsync(async () => { await page.ReloadAsync(); return await page.Locator("table[data-testid='instances'] .tone-good").CountAsync(); }, n => n >= 4, "the instances to be probed healthy");
        await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "topology.png"), FullPage = true });

        // Transactions: search by participant, open the one with retries.
        await page.GetByRole(AriaRole.Link, new() { Name = "Transactions", Exact = true }).ClickAsync();
        await page.GetByLabel("Participant or service").FillAsync("bank");
        await page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = retried })).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "transactions.png"), FullPage = true });
        await page.GetByRole(AriaRole.Link, new() { Name = retried }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("timeline")).ToBeVisibleAsync();
        Assert.Equal(3, await page.Locator(".timeline-row[data-phase='confirm'][data-attempt]:not([data-attempt=''])").CountAsync()); // data-* attributes render even when empty: the drive span has no attempt
        await Assertions.Expect(page.GetByText("Read model 'profiles' updated (1 events)")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("logs")).ToContainTextAsync("DeliveryRetrying (1010)"); // the coordinator's logs, under the timeline
        await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "timeline.png"), FullPage = true });

        // The parked one: retry participant 1 now.
        await page.GotoAsync($"/transactions/{parked}");
        await Assertions.Expect(page.GetByTestId("status")).ToHaveTextAsync("Confirming");
        await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "parked.png"), FullPage = true });
        await page.GetByTestId("retry-1").ClickAsync();
        await Assertions.Expect(page.GetByTestId("flash")).ToContainTextAsync("will be retried now");
        await Eventually.GetAsync(async () => { await page.ReloadAsync(); return await page.GetByTestId("status").InnerTextAsync(); }, s => s == "Confirmed", "the page to show the retried transaction confirmed");
        await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "retried.png"), FullPage = true });
        Assert.Equal(0, await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")); // no sideways scrolling

        // Audit and sync.
        await page.GetByRole(AriaRole.Link, new() { Name = "Audit log" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("audit")).ToContainTextAsync("retry-participant");
        await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "audit.png"), FullPage = true });
        await page.GetByRole(AriaRole.Link, new() { Name = "Sync", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("sync-activity")).ToContainTextAsync("profiles");
        await Assertions.Expect(page.GetByTestId("parked")).ToContainTextAsync("UNIQUE constraint failed");
        await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "sync.png"), FullPage = true });
        await Assertions.Expect(page.GetByTestId("reset-replica")).ToHaveCountAsync(0); // an operator may replay, not reset

        // The replica lost its rows behind the synchronizer's back: an admin refills it from a snapshot of profiles.
        var healthy = await sync.ReadUsersAsync("profiles");
        await sync.ExecuteAsync("replica", "DELETE FROM users");
        await page.GetByRole(AriaRole.Button, new() { Name = "Log out" }).ClickAsync();
        await LogInAsync(page, ManagerHost.Admin);
        await page.GotoAsync("/sync");
        await page.GetByTestId("reset-replica").ClickAsync();
        await Assertions.Expect(page.GetByLabel("Fill it from")).ToHaveValueAsync("profiles");
        await page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("reset-warning")).ToContainTextAsync("every row, checkpoint and parked event of replica");
        await page.GetByLabel("Type replica to confirm").FillAsync("replica");
        await page.GetByLabel("Reason").FillAsync("the replica lost its rows");
        await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "sync-reset-confirm.png"), FullPage = true });
        await page.GetByRole(AriaRole.Button, new() { Name = "Empty replica and reload from profiles" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("flash")).ToContainTextAsync("being emptied and filled again from a snapshot of profiles");
        await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "sync-reset.png"), FullPage = true });
        Assert.Equal(0, await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth"));
        await Eventually.GetAsync(() => sync.ReadUsersAsync("replica"), u => u.SequenceEqual(healthy), "the replica to be refilled");
        await Eventually.GetAsync(async () => { await page.ReloadAsync(); return await page.GetByTestId("snapshot-loading").CountAsync(); }, n => n == 0, "the page to show the load done");
        await page.GetByRole(AriaRole.Link, new() { Name = "Audit log" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("audit")).ToContainTextAsync("profile-sync/replica from profiles");

        Assert.Equal(TransactionStatus.Confirmed, (await cluster.Coordinator.GetAsync(parked, TestContext.Current.CancellationToken)).Status);
    }

    private static async Task LogInAsync(IPage page, Person person)
    {
        await page.WaitForURLAsync(url => url.Contains("/login", StringComparison.Ordinal));
        await page.GetByLabel("User name").FillAsync(person.Name);
        await page.GetByLabel("Password").FillAsync(person.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();
        await page.WaitForURLAsync(url => !url.Contains("/login", StringComparison.Ordinal));
        Assert.Equal(person.Role, await page.GetByTestId("user-role").TextContentAsync());
    }

    private static void RequireChromium()
    {
        if (File.Exists(Chromium))
        {
            return;
        }

        // CI installs chromium (.ci/run); there a missing browser is a failure, not a skip.
        Assert.False(Environment.GetEnvironmentVariable("CI") == "true", $"{Chromium} is missing; .ci/run installs the Debian package chromium.");
        Assert.Skip($"{Chromium} is not installed (apt-get install chromium).");
    }

    /// <summary>Registers the services and makes two transactions: one confirmed after two retries (with a read-model update), one parked.</summary>
    private static async Task<(string Retried, string Parked)> StoryAsync(ManagerHost manager, TwistCluster cluster)
    {
        using var agent = new HttpClient { BaseAddress = manager.Address };
        agent.DefaultRequestHeaders.Add("X-Rosen-Key", ManagerHost.AgentKey);
        (await agent.PostAsJsonAsync("/api/v1/instances", new { id = "bank-1", service = "bank", kind = "service", address = cluster.BankAddress, version = "1.4.0" }, Ct)).EnsureSuccessStatusCode();
        (await agent.PostAsJsonAsync("/api/v1/instances", new { id = "shop-api-1", service = "shop-api", kind = "service", address = manager.Address, version = "2.0.1" }, Ct)).EnsureSuccessStatusCode();

        cluster.FailFirst("debit", 1);
        var retried = await cluster.Coordinator.BeginAsync(null, Ct);
        await cluster.Coordinator.ConfirmAsync(retried.Tid, [cluster.Link("debit", retried.Tid), cluster.Link("points", retried.Tid)], Ct);
        await cluster.Coordinator.CancelAsync((await cluster.Coordinator.BeginAsync(null, Ct)).Tid, Ct);

        // The caller publishes an event in the transaction; the synchronizer's batch applies it (linked, not parented).
        using (var callerProvider = Provider("shop-api", Caller.Name, manager))
        using (var syncProvider = Provider("profile-sync", Sync.Name, manager))
        {
            ActivityContext published;
            using (var send = Caller.StartActivity("send user.events", ActivityKind.Producer)!)
            {
                send.SetTag("twist.transaction.id", retried.Tid).SetTag("messaging.system", "nats");
                published = send.Context;
            }

            using (var apply = Sync.StartActivity("gravity.sync.apply", ActivityKind.Consumer, parentContext: default, links: [new ActivityLink(published)])!)
            {
                apply.SetTag("gravity.database", "profiles").SetTag("messaging.batch.message_count", 1);
            }
        }

        cluster.FailFirst("parked", 2);
        var parked = await cluster.Coordinator.BeginAsync(null, Ct);
        await cluster.Coordinator.ConfirmAsync(parked.Tid, [cluster.Link("parked", parked.Tid)], Ct);
        await Eventually.GetAsync(() => cluster.Coordinator.GetAsync(parked.Tid, Ct), t => t.Participants.Single().Status == ParticipantStatus.Parked, "the participant to be parked");
        await Eventually.GetAsync(() => manager.Store.GetTransactionSpansAsync(retried.Tid, cancellationToken: Ct), s => s.Any(x => x.Name == "gravity.sync.apply"), "the spans to arrive");
        return (retried.Tid, parked.Tid);
    }

    private static TracerProvider Provider(string service, string source, ManagerHost manager) =>
        Sdk.CreateTracerProviderBuilder()
            .SetResourceBuilder(ResourceBuilder.CreateEmpty().AddService(service, serviceInstanceId: service + "-1"))
            .AddSource(source)
            .AddOtlpExporter(o =>
            {
                o.Endpoint = manager.TracesUri;
                o.Protocol = OtlpExportProtocol.HttpProtobuf;
                o.Headers = $"X-Rosen-Key={ManagerHost.AgentKey}";
                o.ExportProcessorType = ExportProcessorType.Simple;
            })
            .Build();
}
