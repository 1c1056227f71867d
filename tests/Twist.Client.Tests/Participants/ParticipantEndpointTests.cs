using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Twist.Client.Tests.Participants.Infrastructure;
using Twist.Participants;
using Twist.Protocol;

namespace Twist.Client.Tests.Participants;

/// <summary>The HTTP contract of the participant endpoints: the seed's Try answer, problem+json errors, header rules.</summary>
public sealed class ParticipantEndpointTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Try_answers_the_seeds_participant_link_and_the_result()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 11, 0, 15, 0, TimeSpan.Zero));
        await using var db = await GuardDatabase.CreateAsync(GuardDatabase.Sqlite);
        await using var host = await ParticipantHost.StartAsync(db, time: time);
        var tid = ParticipantHost.NewTid();

        using var request = new HttpRequestMessage(HttpMethod.Post, ParticipantHost.WalletRoute) { Content = JsonContent.Create(new DebitRequest(100)) };
        request.Headers.Add(TwistHeaders.TransactionId, tid);
        request.Headers.Add(TwistHeaders.Deadline, "2026-03-11T00:15:30.000Z");
        using var response = await host.Http.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        var root = body.RootElement;
        Assert.Equal(tid, root.GetProperty("tid").GetString());
        var link = root.GetProperty("participantLink");
        Assert.Equal(new Uri(host.Address, ParticipantHost.WalletRoute + "/" + tid).AbsoluteUri, link.GetProperty("uri").GetString());
        // The reservation outlives the caller's deadline (30 s away) by ReservationLifetime (60 s).
        Assert.Equal(time.GetUtcNow().AddSeconds(90), link.GetProperty("expires").GetDateTimeOffset());
        Assert.Equal("hold-" + tid, root.GetProperty("result").GetProperty("holdId").GetString());
        Assert.Equal(100, root.GetProperty("result").GetProperty("amount").GetInt64());
        Assert.Equal(new DateTimeOffset(2026, 3, 11, 0, 15, 30, TimeSpan.Zero), host.Probe.LastDeadline);
    }

    [Theory]
    [InlineData(null, 60)]
    [InlineData(10, 70)]
    [InlineData(-30, 60)]
    [InlineData(600, 660)]
    [InlineData(3 * 86_400, 86_400)]
    public async Task The_link_expires_ReservationLifetime_after_the_callers_deadline_capped_by_MaxReservationLifetime(int? deadlineInSeconds, int expectedSeconds)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 11, 0, 15, 0, TimeSpan.Zero));
        await using var db = await GuardDatabase.CreateAsync(GuardDatabase.Sqlite);
        await using var host = await ParticipantHost.StartAsync(db, time: time);

        using var request = new HttpRequestMessage(HttpMethod.Post, ParticipantHost.WalletRoute) { Content = JsonContent.Create(new DebitRequest(1)) };
        request.Headers.Add(TwistHeaders.TransactionId, ParticipantHost.NewTid());
        if (deadlineInSeconds is { } seconds)
        {
            request.Headers.Add(TwistHeaders.Deadline, time.GetUtcNow().AddSeconds(seconds).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture));
        }

        using var response = await host.Http.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        Assert.Equal(time.GetUtcNow().AddSeconds(expectedSeconds), body.RootElement.GetProperty("participantLink").GetProperty("expires").GetDateTimeOffset());
    }

    [Fact]
    public async Task A_duplicate_Try_answers_the_same_link_without_calling_the_handler()
    {
        await using var db = await GuardDatabase.CreateAsync(GuardDatabase.Sqlite);
        await using var host = await ParticipantHost.StartAsync(db);
        var tid = ParticipantHost.NewTid();

        using var first = await host.TryAsync(tid, new DebitRequest(100));
        using var second = await host.TryAsync(tid, new DebitRequest(100));

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        using var a = JsonDocument.Parse(await first.Content.ReadAsStringAsync(Ct));
        using var b = JsonDocument.Parse(await second.Content.ReadAsStringAsync(Ct));
        Assert.Equal(a.RootElement.GetProperty("participantLink").GetRawText(), b.RootElement.GetProperty("participantLink").GetRawText());
        Assert.False(b.RootElement.TryGetProperty("result", out _));
        Assert.Equal(1, host.Probe.Calls(tid, "try"));
    }

    [Fact]
    public async Task A_Try_returning_a_plain_Task_answers_without_result_on_its_own_route()
    {
        await using var db = await GuardDatabase.CreateAsync(GuardDatabase.Sqlite);
        await using var host = await ParticipantHost.StartAsync(db);
        var tid = ParticipantHost.NewTid();

        using var request = new HttpRequestMessage(HttpMethod.Post, "/audit/entries") { Content = JsonContent.Create(new AuditEntry("x")) };
        request.Headers.Add(TwistHeaders.TransactionId, tid);
        using var response = await host.Http.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        Assert.False(body.RootElement.TryGetProperty("result", out _));
        Assert.EndsWith("/audit/entries/" + tid, body.RootElement.GetProperty("participantLink").GetProperty("uri").GetString(), StringComparison.Ordinal);
        using var confirm = await host.ConfirmAsync(tid, "/audit/entries");
        Assert.Equal(HttpStatusCode.OK, confirm.StatusCode);
        Assert.Equal(1, host.Probe.Calls(tid, "audit-confirm"));
    }

    [Fact]
    public async Task Links_are_built_from_the_public_base_address_when_one_is_set()
    {
        await using var db = await GuardDatabase.CreateAsync(GuardDatabase.Sqlite);
        await using var host = await ParticipantHost.StartAsync(db, o => o.PublicBaseAddress = new Uri("https://wallet.example:8443/base/"));
        var tid = ParticipantHost.NewTid();

        using var response = await host.TryAsync(tid, new DebitRequest(1));

        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        Assert.Equal(
            "https://wallet.example:8443/base" + ParticipantHost.WalletRoute + "/" + tid,
            body.RootElement.GetProperty("participantLink").GetProperty("uri").GetString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("has space")]
    [InlineData("0123456789012345678901234567890123456789012345678901234567890123456789")]
    public async Task A_Try_without_a_well_formed_transaction_id_is_a_400_problem(string? tid)
    {
        await using var db = await GuardDatabase.CreateAsync(GuardDatabase.Sqlite);
        await using var host = await ParticipantHost.StartAsync(db);

        using var request = new HttpRequestMessage(HttpMethod.Post, ParticipantHost.WalletRoute) { Content = JsonContent.Create(new DebitRequest(1)) };
        if (tid is not null)
        {
            request.Headers.TryAddWithoutValidation(TwistHeaders.TransactionId, tid);
        }

        using var response = await host.Http.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid-request", await ParticipantGuardTests.ProblemCodeAsync(response));
        Assert.Contains(TwistHeaders.TransactionId, await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("application/json", "{not json", HttpStatusCode.BadRequest)]
    [InlineData("application/json", "null", HttpStatusCode.BadRequest)]
    [InlineData("text/plain", "{}", HttpStatusCode.UnsupportedMediaType)]
    public async Task A_malformed_Try_body_is_a_4xx_problem_and_never_reaches_the_guard(string contentType, string content, HttpStatusCode expected)
    {
        await using var db = await GuardDatabase.CreateAsync(GuardDatabase.Sqlite);
        await using var host = await ParticipantHost.StartAsync(db);
        var tid = ParticipantHost.NewTid();

        using var request = new HttpRequestMessage(HttpMethod.Post, ParticipantHost.WalletRoute) { Content = new StringContent(content, Encoding.UTF8, contentType) };
        request.Headers.Add(TwistHeaders.TransactionId, tid);
        using var response = await host.Http.SendAsync(request, Ct);

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Null(await db.GuardStateAsync(WalletParticipant.Name, tid));
    }

    [Fact]
    public async Task A_malformed_deadline_is_a_400_problem()
    {
        await using var db = await GuardDatabase.CreateAsync(GuardDatabase.Sqlite);
        await using var host = await ParticipantHost.StartAsync(db);

        using var request = new HttpRequestMessage(HttpMethod.Post, ParticipantHost.WalletRoute) { Content = JsonContent.Create(new DebitRequest(1)) };
        request.Headers.Add(TwistHeaders.TransactionId, ParticipantHost.NewTid());
        request.Headers.Add(TwistHeaders.Deadline, "tomorrow-ish");
        using var response = await host.Http.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task A_handler_refusal_answers_its_status_and_detail()
    {
        await using var db = await GuardDatabase.CreateAsync(GuardDatabase.Sqlite);
        await using var host = await ParticipantHost.StartAsync(db);
        var tid = ParticipantHost.NewTid();

        using var response = await host.TryAsync(tid, new DebitRequest(1_000_000, Mode: "reject"));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal(TccProblemCodes.Rejected, await ParticipantGuardTests.ProblemCodeAsync(response));
        Assert.Contains("Insufficient funds.", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Null(await db.HoldStateAsync(tid));
    }

    [Fact]
    public async Task Phase_headers_that_contradict_the_method_or_the_path_are_400()
    {
        await using var db = await GuardDatabase.CreateAsync(GuardDatabase.Sqlite);
        await using var host = await ParticipantHost.StartAsync(db);
        var tid = ParticipantHost.NewTid();

        using var wrongPhase = host.Signed(HttpMethod.Put, tid);
        wrongPhase.Headers.Remove(TwistHeaders.PhaseCompat);
        wrongPhase.Headers.Add(TwistHeaders.PhaseCompat, "cancel");
        using var phaseAnswer = await host.Http.SendAsync(wrongPhase, Ct);

        using var wrongTid = host.Signed(HttpMethod.Put, tid);
        wrongTid.Headers.Remove(TwistHeaders.TransactionId);
        wrongTid.Headers.Add(TwistHeaders.TransactionId, "another");
        using var tidAnswer = await host.Http.SendAsync(wrongTid, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, phaseAnswer.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, tidAnswer.StatusCode);
    }

    [Fact]
    public async Task Brobridge_v1_coordinators_sending_only_Twist_Phrase_are_understood()
    {
        await using var db = await GuardDatabase.CreateAsync(GuardDatabase.Sqlite);
        await using var host = await ParticipantHost.StartAsync(db);
        var tid = ParticipantHost.NewTid();
        (await host.TryAsync(tid, new DebitRequest(1))).Dispose();

        using var request = host.Signed(HttpMethod.Put, tid);
        request.Headers.Remove(TwistHeaders.Phase);
        using var response = await host.Http.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, host.Probe.Calls(tid, "confirm"));
    }
}
