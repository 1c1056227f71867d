using System.Net;
using Twist.Coordinator.Api.Tests.Infrastructure;
using static Twist.Coordinator.Api.Tests.Infrastructure.Http;

namespace Twist.Coordinator.Api.Tests;

/// <summary>The operator API: listing, details, force-cancel and retry, audited under the key's name.</summary>
public sealed class AdminApiTests(CoordinatorFixture fixture)
{
    [Fact]
    public async Task Force_cancel_is_audited_with_the_operator_name_and_reason()
    {
        using var caller = fixture.Host.CreateClient();
        using var ops = fixture.Host.CreateClient(TestKeys.Operator);
        var name = $"fc-{Guid.NewGuid():N}";
        var (_, tx, _) = await SendAsync(caller, HttpMethod.Post, "/api/v1/transactions", "{}");
        var tid = tx.GetProperty("tid").GetString()!;
        await SendAsync(caller, HttpMethod.Put, $"/api/v1/transactions/{tid}", LinksBody(fixture.Participants.Link(name)));

        var (status, json, _) = await SendAsync(ops, HttpMethod.Post, $"/api/v1/admin/transactions/{tid}/force-cancel", "{\"reason\":\"stuck order 42\"}");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains(json.GetProperty("status").GetString(), new[] { "Cancelling", "Cancelled" });
        Assert.False(json.TryGetProperty("success", out _));

        var (_, audit, _) = await SendAsync(ops, HttpMethod.Get, $"/api/v1/admin/audit?tid={tid}&limit=10");
        var entry = Assert.Single(audit.GetProperty("items").EnumerateArray());
        Assert.Equal(TestKeys.OperatorName, entry.GetProperty("actor").GetString());
        Assert.Equal("stuck order 42", entry.GetProperty("reason").GetString());
        Assert.Equal(tid, entry.GetProperty("tid").GetString());

        var (detailStatus, details, _) = await SendAsync(ops, HttpMethod.Get, $"/api/v1/admin/transactions/{tid}");
        Assert.Equal(HttpStatusCode.OK, detailStatus);
        Assert.Equal(tid, details.GetProperty("transaction").GetProperty("tid").GetString());
        Assert.Single(details.GetProperty("transaction").GetProperty("participants").EnumerateArray());
        Assert.NotEmpty(details.GetProperty("audit").EnumerateArray());
        Assert.Equal(JsonValueKindArray, details.GetProperty("attempts").ValueKind);
    }

    [Fact]
    public async Task Force_cancel_of_a_decided_transaction_is_409()
    {
        using var caller = fixture.Host.CreateClient();
        using var ops = fixture.Host.CreateClient(TestKeys.Operator);
        var (_, tx, _) = await SendAsync(caller, HttpMethod.Post, "/api/v1/transactions", "{}");
        var tid = tx.GetProperty("tid").GetString()!;
        await SendAsync(caller, HttpMethod.Post, $"/api/v1/transactions/{tid}/cancel");
        using var response = await ops.SendAsync(Request(HttpMethod.Post, $"/api/v1/admin/transactions/{tid}/force-cancel", "{\"reason\":\"again\"}"), Ct);
        await AssertProblemAsync(response, 409, "transaction-conflict");
    }

    [Fact]
    public async Task Retry_of_a_parked_participant_delivers_again()
    {
        using var caller = fixture.Host.CreateClient();
        using var ops = fixture.Host.CreateClient(TestKeys.Operator);
        var name = $"park-{Guid.NewGuid():N}";
        fixture.Participants.StatusByName[name] = 503;
        var (_, tx, _) = await SendAsync(caller, HttpMethod.Post, "/api/v1/transactions", "{}");
        var tid = tx.GetProperty("tid").GetString()!;
        await SendAsync(caller, HttpMethod.Put, $"/api/v1/transactions/{tid}", LinksBody(fixture.Participants.Link(name)));
        var (confirmStatus, _, _) = await SendAsync(caller, HttpMethod.Post, $"/api/v1/transactions/{tid}/confirm", "{}");
        Assert.Equal(HttpStatusCode.Accepted, confirmStatus);

        // The test host parks after 3 attempts 50-200 ms apart; wait for it, then heal the participant and retry.
        var parked = false;
        for (var i = 0; i < 100 && !parked; i++)
        {
            var (_, list, _) = await SendAsync(ops, HttpMethod.Get, "/api/v1/admin/transactions?attention=Parked&status=Confirming&limit=500");
            parked = list.GetProperty("items").EnumerateArray().Any(t => t.GetProperty("tid").GetString() == tid);
            if (!parked)
            {
                await Task.Delay(100, Ct);
            }
        }

        Assert.True(parked, "The participant was not parked.");
        fixture.Participants.StatusByName[name] = 200;
        var (status, json, _) = await SendAsync(ops, HttpMethod.Post, $"/api/v1/admin/transactions/{tid}/participants/1/retry", "{\"reason\":\"service is back\"}");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains(json.GetProperty("status").GetString(), new[] { "Confirming", "Confirmed" });

        using var missing = await ops.SendAsync(Request(HttpMethod.Post, $"/api/v1/admin/transactions/{tid}/participants/99/retry"), Ct);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("application/problem+json", missing.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task List_accepts_filters_and_durations_in_both_formats()
    {
        using var ops = fixture.Host.CreateClient(TestKeys.Operator);
        foreach (var query in new[] { "?olderThan=00:00:00", "?olderThan=PT0S", "?status=Active,Confirmed&limit=5", "?status=active&status=cancelled", "?attention=None" })
        {
            var (status, json, _) = await SendAsync(ops, HttpMethod.Get, "/api/v1/admin/transactions" + query);
            Assert.True(status == HttpStatusCode.OK, query);
            Assert.Equal(JsonValueKindArray, json.GetProperty("items").ValueKind);
        }
    }

    [Fact]
    public async Task List_pages_with_a_continuation_token()
    {
        using var caller = fixture.Host.CreateClient();
        using var ops = fixture.Host.CreateClient(TestKeys.Operator);
        for (var i = 0; i < 3; i++)
        {
            await SendAsync(caller, HttpMethod.Post, "/api/v1/transactions", "{}");
        }

        var (_, first, _) = await SendAsync(ops, HttpMethod.Get, "/api/v1/admin/transactions?limit=2");
        Assert.Equal(2, first.GetProperty("items").GetArrayLength());
        var token = first.GetProperty("continuationToken").GetString()!;
        var (status, second, _) = await SendAsync(ops, HttpMethod.Get, "/api/v1/admin/transactions?limit=2&continuationToken=" + Uri.EscapeDataString(token));
        Assert.Equal(HttpStatusCode.OK, status);
        var firstIds = first.GetProperty("items").EnumerateArray().Select(t => t.GetProperty("tid").GetString()).ToHashSet();
        Assert.DoesNotContain(second.GetProperty("items").EnumerateArray(), t => firstIds.Contains(t.GetProperty("tid").GetString()));
    }

    private const System.Text.Json.JsonValueKind JsonValueKindArray = System.Text.Json.JsonValueKind.Array;
}
