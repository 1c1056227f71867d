using System.Net;
using System.Text.Json;
using Twist.Coordinator.Api.Tests.Infrastructure;
using static Twist.Coordinator.Api.Tests.Infrastructure.Http;

namespace Twist.Coordinator.Api.Tests;

/// <summary>The caller REST API against the real engine, a SQLite file and real participant services.</summary>
public sealed class TransactionApiTests(CoordinatorFixture fixture)
{
    private HttpClient Client() => fixture.Host.CreateClient();

    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}";

    private async Task<string> BeginAsync(HttpClient client, string body = "{\"timeout\":30000}")
    {
        var (status, json, response) = await SendAsync(client, HttpMethod.Post, "/api/v1/transactions", body);
        Assert.Equal(HttpStatusCode.Created, status);
        var tid = json.GetProperty("tid").GetString()!;
        Assert.Equal(tid, json.GetProperty("transactionID").GetString());
        Assert.Equal("Active", json.GetProperty("status").GetString());
        Assert.True(json.GetProperty("success").GetBoolean());
        Assert.Equal($"/api/v1/transactions/{tid}", response.Headers.Location?.OriginalString);
        return tid;
    }

    [Fact]
    public async Task Begin_register_confirm_get_delivers_confirm_to_every_participant()
    {
        using var client = Client();
        var (a, b) = (Unique("a"), Unique("b"));
        var tid = await BeginAsync(client);

        var (registered, registerJson, _) = await SendAsync(client, HttpMethod.Put, $"/api/v1/transactions/{tid}", LinksBody(fixture.Participants.Link(a), fixture.Participants.Link(b)));
        Assert.Equal(HttpStatusCode.OK, registered);
        Assert.Equal(2, registerJson.GetProperty("participants").GetArrayLength());

        var (confirmed, confirmJson, _) = await SendAsync(client, HttpMethod.Post, $"/api/v1/transactions/{tid}/confirm", "{\"tid\":\"" + tid + "\"}");
        Assert.Equal(HttpStatusCode.OK, confirmed);
        Assert.Equal("Confirmed", confirmJson.GetProperty("status").GetString());
        Assert.True(confirmJson.GetProperty("success").GetBoolean());

        foreach (var name in new[] { a, b })
        {
            var call = Assert.Single(fixture.Participants.CallsFor(name));
            Assert.Equal("PUT", call.Method);
            Assert.Equal(tid, call.Tid);
            Assert.Equal("confirm", call.Phase);
        }

        var (got, getJson, _) = await SendAsync(client, HttpMethod.Get, $"/api/v1/transactions/{tid}");
        Assert.Equal(HttpStatusCode.OK, got);
        Assert.Equal("Confirmed", getJson.GetProperty("status").GetString());
        Assert.All(getJson.GetProperty("participants").EnumerateArray(), p => Assert.Equal("Confirmed", p.GetProperty("status").GetString()));
        Assert.True(getJson.TryGetProperty("decidedAt", out _));
    }

    [Fact]
    public async Task Seed_confirm_shape_registers_the_links_given_with_the_confirm()
    {
        using var client = Client();
        var name = Unique("seed");
        var tid = await BeginAsync(client, string.Empty);
        var body = $"{{\"tid\":\"{tid}\",\"participantLinks\":[{{\"uri\":\"{fixture.Participants.Link(name)}\",\"expires\":\"{Expires(TimeSpan.FromMinutes(1))}\"}}]}}";
        var (status, json, _) = await SendAsync(client, HttpMethod.Post, $"/api/v1/transactions/{tid}/confirm", body);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Confirmed", json.GetProperty("status").GetString());
        Assert.Equal("PUT", Assert.Single(fixture.Participants.CallsFor(name)).Method);
    }

    [Fact]
    public async Task Cancel_delivers_cancel_and_a_later_confirm_is_a_409_with_the_transaction()
    {
        using var client = Client();
        var name = Unique("c");
        var tid = await BeginAsync(client);
        await SendAsync(client, HttpMethod.Put, $"/api/v1/transactions/{tid}", LinksBody(fixture.Participants.Link(name)));

        var (cancelled, cancelJson, _) = await SendAsync(client, HttpMethod.Post, $"/api/v1/transactions/{tid}/cancel");
        Assert.Equal(HttpStatusCode.OK, cancelled);
        Assert.Equal("Cancelled", cancelJson.GetProperty("status").GetString());
        var call = Assert.Single(fixture.Participants.CallsFor(name));
        Assert.Equal("DELETE", call.Method);
        Assert.Equal("cancel", call.Phase);

        using var response = await client.SendAsync(Request(HttpMethod.Post, $"/api/v1/transactions/{tid}/confirm", "{}"), Ct);
        var problem = await AssertProblemAsync(response, 409, "transaction-conflict");
        Assert.Equal(tid, problem.GetProperty("tid").GetString());
        Assert.Equal("Cancelled", problem.GetProperty("transaction").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Cancel_after_confirm_is_a_409_confirmed()
    {
        using var client = Client();
        var tid = await BeginAsync(client);
        await SendAsync(client, HttpMethod.Put, $"/api/v1/transactions/{tid}", LinksBody(fixture.Participants.Link(Unique("x"))));
        var (confirmed, _, _) = await SendAsync(client, HttpMethod.Post, $"/api/v1/transactions/{tid}/confirm", "{}");
        Assert.Equal(HttpStatusCode.OK, confirmed);

        using var response = await client.SendAsync(Request(HttpMethod.Post, $"/api/v1/transactions/{tid}/cancel"), Ct);
        var problem = await AssertProblemAsync(response, 409, "transaction-conflict");
        Assert.Equal("Confirmed", problem.GetProperty("transaction").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Registering_the_same_link_twice_is_idempotent()
    {
        using var client = Client();
        var link = fixture.Participants.Link(Unique("idem"));
        var tid = await BeginAsync(client);
        await SendAsync(client, HttpMethod.Put, $"/api/v1/transactions/{tid}", LinksBody(link));
        var (status, json, _) = await SendAsync(client, HttpMethod.Put, $"/api/v1/transactions/{tid}", LinksBody(link));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(1, json.GetProperty("participants").GetArrayLength());
    }

    [Fact]
    public async Task Grpc_and_grpcs_links_are_accepted_because_delivery_speaks_both()
    {
        using var client = Client();
        var http = fixture.Participants.Link(Unique("tls"));
        var grpc = new UriBuilder(http) { Scheme = "grpc" }.Uri;
        var grpcs = new UriBuilder(http) { Scheme = "grpcs" }.Uri;
        var tid = await BeginAsync(client);

        var (status, json, _) = await SendAsync(client, HttpMethod.Put, $"/api/v1/transactions/{tid}", LinksBody(grpc, grpcs));

        Assert.Equal(HttpStatusCode.OK, status);
        var uris = json.GetProperty("participants").EnumerateArray().Select(p => p.GetProperty("uri").GetString()).ToList();
        Assert.Contains(uris, u => u!.StartsWith("grpc://", StringComparison.Ordinal));
        Assert.Contains(uris, u => u!.StartsWith("grpcs://", StringComparison.Ordinal));
        await SendAsync(client, HttpMethod.Post, $"/api/v1/transactions/{tid}/cancel");
    }

    [Fact]
    public async Task Confirm_that_waits_on_a_failing_participant_answers_202_confirming()
    {
        using var client = Client();
        var name = Unique("flaky");
        fixture.Participants.StatusByName[name] = 503;
        var tid = await BeginAsync(client);
        await SendAsync(client, HttpMethod.Put, $"/api/v1/transactions/{tid}", LinksBody(fixture.Participants.Link(name)));

        var (status, json, _) = await SendAsync(client, HttpMethod.Post, $"/api/v1/transactions/{tid}/confirm", "{}");
        Assert.Equal(HttpStatusCode.Accepted, status);
        Assert.Equal("Confirming", json.GetProperty("status").GetString());
        Assert.True(json.GetProperty("success").GetBoolean());
    }

    [Fact]
    public async Task Answers_are_camel_case_with_enums_as_strings()
    {
        using var client = Client();
        var tid = await BeginAsync(client);
        var (_, json, response) = await SendAsync(client, HttpMethod.Get, $"/api/v1/transactions/{tid}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(JsonValueKind.String, json.GetProperty("status").ValueKind);
        Assert.Equal(JsonValueKind.String, json.GetProperty("attention").ValueKind);
        Assert.All(json.EnumerateObject(), p => Assert.True(char.IsLower(p.Name[0]), p.Name));
    }
}
