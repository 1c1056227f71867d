using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Rosen.Manager.Tests.Infrastructure;

namespace Rosen.Manager.Tests;

/// <summary>Services register, heartbeat and send spans with an agent key; the manager probes their health.</summary>
public sealed class AgentApiTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_registered_instance_is_probed_and_listed_with_its_health()
    {
        await using var manager = await ManagerHost.StartAsync();
        using var agent = Agent(manager);
        using (var ok = await agent.PostAsJsonAsync("/api/v1/instances", new { id = "self-1", service = "rosen-manager", kind = "service", address = manager.Address, healthPath = "/healthz", version = "1.2.3" }, Ct))
        {
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        using (var down = await agent.PostAsJsonAsync("/api/v1/instances", new { id = "gone-1", service = "gone", kind = "coordinator", address = "http://127.0.0.1:9" }, Ct))
        {
            Assert.Equal(HttpStatusCode.OK, down.StatusCode);
        }

        using var viewer = await manager.LoginAsync(ManagerHost.Viewer);
        var listed = await Eventually.GetAsync(
            async () => JsonDocument.Parse(await viewer.GetStringAsync("/api/v1/instances", Ct)),
            d => d.RootElement.EnumerateArray().All(i => i.GetProperty("health").GetString() != "unknown"),
            "both instances to be probed");
        var health = listed.RootElement.EnumerateArray().ToDictionary(i => i.GetProperty("id").GetString()!, i => i.GetProperty("health").GetString());
        Assert.Equal("healthy", health["self-1"]);
        Assert.Equal("unhealthy", health["gone-1"]);
        var page = await viewer.GetStringAsync("/", Ct);
        Assert.Contains("data-service=\"gone\"", page, StringComparison.Ordinal);

        using (var deleted = await agent.DeleteAsync("/api/v1/instances/gone-1", Ct))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }
    }

    [Fact]
    public async Task Registration_span_and_log_ingestion_refuse_missing_or_wrong_keys()
    {
        await using var manager = await ManagerHost.StartAsync();
        using var http = new HttpClient { BaseAddress = manager.Address };
        var body = new { id = "a", service = "a", kind = "service", address = "http://127.0.0.1:1" };
        using (var none = await http.PostAsJsonAsync("/api/v1/instances", body, Ct))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        }

        using var wrong = new HttpRequestMessage(HttpMethod.Post, "/api/v1/instances") { Content = JsonContent.Create(body) };
        wrong.Headers.Add("X-Rosen-Key", "not-the-agent-key-at-all");
        using (var response = await http.SendAsync(wrong, Ct))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        using var spans = new ByteArrayContent([]);
        spans.Headers.ContentType = new("application/x-protobuf");
        using (var response = await http.PostAsync("/v1/traces", spans, Ct))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        // Logs go through the same agent-key check as spans: none and a wrong one are both refused.
        foreach (var key in new[] { null, "not-the-agent-key-at-all" })
        {
            using var logs = new HttpRequestMessage(HttpMethod.Post, "/v1/logs") { Content = new ByteArrayContent([]) };
            logs.Content.Headers.ContentType = new("application/x-protobuf");
            if (key is not null)
            {
                logs.Headers.Add("X-Rosen-Key", key);
            }

            using var response = await http.SendAsync(logs, Ct);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        using (var accepted = new HttpRequestMessage(HttpMethod.Post, "/v1/logs") { Content = new ByteArrayContent([]) })
        {
            // The right key gets through to the collector (an empty export request is valid OTLP).
            accepted.Content.Headers.ContentType = new("application/x-protobuf");
            accepted.Headers.Add("X-Rosen-Key", ManagerHost.AgentKey);
            using var response = await http.SendAsync(accepted, Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        // A person's login is not an agent key.
        using var viewer = await manager.LoginAsync(ManagerHost.Admin);
        using (var response = await viewer.PostAsJsonAsync("/api/v1/instances", body, Ct))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }
    }

    [Fact]
    public async Task A_bad_registration_is_a_400_problem_that_names_each_field()
    {
        await using var manager = await ManagerHost.StartAsync();
        using var agent = Agent(manager);
        using (var garbage = await agent.PostAsync("/api/v1/instances", new StringContent("{not json", Encoding.UTF8, "application/json"), Ct))
        {
            Assert.Equal(HttpStatusCode.BadRequest, garbage.StatusCode);
            Assert.Equal("application/problem+json", garbage.Content.Headers.ContentType?.MediaType);
        }

        using var invalid = await agent.PostAsJsonAsync("/api/v1/instances", new { id = "bad id!", service = "", kind = "robot", address = "ftp://x", healthPath = "healthz" }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Equal("application/problem+json", invalid.Content.Headers.ContentType?.MediaType);

        using var missingKind = await agent.PostAsJsonAsync("/api/v1/instances", new { id = "bad id!", service = "", address = "ftp://x", healthPath = "healthz" }, Ct);
        using var problem = JsonDocument.Parse(await missingKind.Content.ReadAsStringAsync(Ct));
        var fields = problem.RootElement.GetProperty("errors").EnumerateObject().Select(p => p.Name).Order().ToArray();
        Assert.Equal(["address", "healthPath", "id", "kind", "service"], fields);

        using var text = await agent.PostAsync("/api/v1/instances", new StringContent("id=a", Encoding.UTF8, "text/plain"), Ct);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, text.StatusCode);
    }

    [Fact]
    public async Task Without_configured_users_a_one_time_admin_password_is_logged_once_and_works()
    {
        await using var manager = await ManagerHost.StartAsync(withUsers: false);
        var line = Assert.Single(manager.Logs, l => l.Contains("[6100]", StringComparison.Ordinal));
        var password = line.Split("one-time password ")[1].Split(' ')[0];
        await manager.LoginAsync(new Person("admin", password, "admin"));
    }

    [Fact]
    public async Task A_plain_text_password_in_the_configuration_fails_the_start()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => ManagerHost.StartAsync(s => s["Rosen:Manager:Users:0:PasswordHash"] = "hunter2"));
        Assert.Contains("Rosen:Manager:Users:0:PasswordHash", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Guessing_passwords_is_slowed_to_twenty_attempts_a_minute()
    {
        await using var manager = await ManagerHost.StartAsync();
        using var client = manager.NewClient();
        var token = await ManagerHost.TokenAsync(client, "/login");
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 21; i++)
        {
            using var response = await client.PostAsync("/login", ManagerHost.Form(token, ("username", "otto"), ("password", $"guess-{i}")), Ct);
            statuses.Add(response.StatusCode);
        }

        Assert.All(statuses.Take(20), s => Assert.Equal(HttpStatusCode.OK, s)); // the form again, with an error
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[20]);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/login", Ct)).StatusCode); // reading the form is not limited
    }

    [Fact]
    public async Task With_a_PostgreSQL_connection_string_spans_go_to_PostgreSQL()
    {
        var postgres = Environment.GetEnvironmentVariable("TWIST_TEST_POSTGRES");
        if (string.IsNullOrEmpty(postgres))
        {
            Assert.False(Environment.GetEnvironmentVariable("CI") == "true", "TWIST_TEST_POSTGRES is not set; .ci/run starts PostgreSQL and sets it.");
            Assert.Skip("Needs TWIST_TEST_POSTGRES.");
        }

        var schema = $"rosen_{Guid.NewGuid():N}";
        await using (var manager = await ManagerHost.StartAsync(s =>
        {
            s["Rosen:Manager:PostgreSqlConnectionString"] = postgres;
            s["Rosen:Manager:PostgreSqlSchema"] = schema;
        }))
        {
            Assert.IsType<Rosen.Collector.PostgreSql.PostgreSqlSpanStore>(manager.Store);
            using var http = new HttpClient { BaseAddress = manager.Address };
            Assert.Equal("Healthy", await http.GetStringAsync("/readyz", Ct));
        }

        await using var connection = new Npgsql.NpgsqlConnection(postgres);
        await connection.OpenAsync(Ct);
        await using var drop = new Npgsql.NpgsqlCommand($"DROP SCHEMA {schema} CASCADE", connection);
        await drop.ExecuteNonQueryAsync(Ct); // fails if the manager did not create it
    }

    [Fact]
    public async Task Health_and_readiness_answer_without_login()
    {
        await using var manager = await ManagerHost.StartAsync();
        using var http = new HttpClient { BaseAddress = manager.Address };
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/healthz", Ct)).StatusCode);
        Assert.Equal("Healthy", await http.GetStringAsync("/readyz", Ct));
    }

    private static HttpClient Agent(ManagerHost manager)
    {
        var client = new HttpClient { BaseAddress = manager.Address };
        client.DefaultRequestHeaders.Authorization = new("Bearer", ManagerHost.AgentKey);
        return client;
    }
}
