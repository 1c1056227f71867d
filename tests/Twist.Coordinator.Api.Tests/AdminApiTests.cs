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
    public async Task Resolving_a_heuristic_participant_by_hand_finishes_the_transaction_and_is_audited()
    {
        using var caller = fixture.Host.CreateClient();
        using var ops = fixture.Host.CreateClient(TestKeys.Operator);
        var (healthy, stuck) = ($"ok-{Guid.NewGuid():N}", $"heur-{Guid.NewGuid():N}");
        fixture.Participants.StatusByName[stuck] = 409;
        var (_, tx, _) = await SendAsync(caller, HttpMethod.Post, "/api/v1/transactions", "{}");
        var tid = tx.GetProperty("tid").GetString()!;
        await SendAsync(caller, HttpMethod.Put, $"/api/v1/transactions/{tid}", LinksBody(fixture.Participants.Link(healthy), fixture.Participants.Link(stuck)));
        var (confirmStatus, confirmed, _) = await SendAsync(caller, HttpMethod.Post, $"/api/v1/transactions/{tid}/confirm", "{}");
        Assert.Equal(HttpStatusCode.Accepted, confirmStatus);
        Assert.Equal("Confirming", confirmed.GetProperty("status").GetString());
        var stuckId = await WaitForParticipantStatusAsync(ops, tid, "Heuristic");

        using var noReason = await ops.SendAsync(Request(HttpMethod.Post, $"/api/v1/admin/transactions/{tid}/participants/{stuckId}/resolve", "{}"), Ct);
        await AssertProblemAsync(noReason, 400, "invalid-request");
        using var healthyOne = await ops.SendAsync(Request(HttpMethod.Post, $"/api/v1/admin/transactions/{tid}/participants/{3 - stuckId}/resolve", "{\"reason\":\"wrong one\"}"), Ct);
        await AssertProblemAsync(healthyOne, 409, "transaction-conflict");

        var (status, json, _) = await SendAsync(ops, HttpMethod.Post, $"/api/v1/admin/transactions/{tid}/participants/{stuckId}/resolve", "{\"reason\":\"refund INC-7 settled by finance\"}");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Confirmed", json.GetProperty("status").GetString());
        Assert.All(json.GetProperty("participants").EnumerateArray(), p => Assert.Equal("Confirmed", p.GetProperty("status").GetString()));
        Assert.Single(fixture.Participants.CallsFor(stuck));
        var (_, audit, _) = await SendAsync(ops, HttpMethod.Get, $"/api/v1/admin/audit?tid={tid}&limit=10");
        var entries = audit.GetProperty("items").EnumerateArray().ToList();
        var applied = Assert.Single(entries, e => e.GetProperty("reason").GetString() == "refund INC-7 settled by finance");
        Assert.Equal("resolve-participant", applied.GetProperty("action").GetString());
        Assert.Equal(TestKeys.OperatorName, applied.GetProperty("actor").GetString());
        Assert.Contains(entries, e => e.GetProperty("outcome").GetString()!.StartsWith("refused", StringComparison.Ordinal));

        using var again = await ops.SendAsync(Request(HttpMethod.Post, $"/api/v1/admin/transactions/{tid}/participants/{stuckId}/resolve", "{\"reason\":\"twice\"}"), Ct);
        await AssertProblemAsync(again, 409, "transaction-conflict");
    }

    [Fact]
    public async Task Resolve_needs_the_operator_role()
    {
        using var caller = fixture.Host.CreateClient();
        using var response = await caller.SendAsync(Request(HttpMethod.Post, "/api/v1/admin/transactions/any/participants/1/resolve", "{\"reason\":\"x\"}"), Ct);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    private static async Task<int> WaitForParticipantStatusAsync(HttpClient ops, string tid, string participantStatus)
    {
        for (var i = 0; i < 100; i++)
        {
            var (_, details, _) = await SendAsync(ops, HttpMethod.Get, $"/api/v1/admin/transactions/{tid}");
            var match = details.GetProperty("transaction").GetProperty("participants").EnumerateArray()
                .FirstOrDefault(p => p.GetProperty("status").GetString() == participantStatus);
            if (match.ValueKind != System.Text.Json.JsonValueKind.Undefined)
            {
                return match.GetProperty("id").GetInt32();
            }

            await Task.Delay(100, Ct);
        }

        throw new TimeoutException($"No participant of {tid} became {participantStatus}.");
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
