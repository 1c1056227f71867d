using System.Net;
using Microsoft.Extensions.Time.Testing;
using Twist.Client.Tests.Participants.Infrastructure;
using Twist.Protocol;

namespace Twist.Client.Tests.Participants;

/// <summary>Confirm and Cancel are accepted only with the coordinator's credential: bearer token and/or HMAC signature.</summary>
public sealed class CoordinatorAuthenticationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string> Tampering => ["wrong bearer", "no authorization", "wrong hmac key", "stale timestamp", "no signature", "signed for another tid"];

    [Theory]
    [MemberData(nameof(Tampering))]
    public async Task A_call_without_the_right_credential_is_401_and_changes_nothing(string tampering)
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var db = await GuardDatabase.CreateAsync(GuardDatabase.Sqlite);
        await using var host = await ParticipantHost.StartAsync(db, time: time);
        var tid = ParticipantHost.NewTid();
        (await host.TryAsync(tid, new DebitRequest(1))).Dispose();

        using var request = tampering switch
        {
            "wrong bearer" => host.Signed(HttpMethod.Put, tid, bearer: "not-the-token"),
            "wrong hmac key" => host.Signed(HttpMethod.Put, tid, hmacKey: "another-hmac-key-0123456789abcdef0123"),
            "stale timestamp" => host.Signed(HttpMethod.Put, tid, timestamp: time.GetUtcNow().AddMinutes(-6).ToUnixTimeSeconds()),
            _ => host.Signed(HttpMethod.Put, tid),
        };
        switch (tampering)
        {
            case "no authorization":
                request.Headers.Authorization = null;
                break;
            case "no signature":
                request.Headers.Remove(TwistHeaders.Signature);
                break;
            case "signed for another tid":
                using (var other = host.Signed(HttpMethod.Put, "another-tid"))
                {
                    request.Headers.Remove(TwistHeaders.Signature);
                    request.Headers.Add(TwistHeaders.Signature, other.Headers.GetValues(TwistHeaders.Signature));
                }

                break;
        }

        using var response = await host.Http.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("unauthorized", await ParticipantGuardTests.ProblemCodeAsync(response));
        Assert.Contains("Bearer", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Equal(0, host.Probe.Calls(tid, "confirm"));
        Assert.Equal("tried", await db.GuardStateAsync(WalletParticipant.Name, tid));
    }

    [Fact]
    public async Task A_signature_within_five_minutes_of_skew_is_accepted()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var db = await GuardDatabase.CreateAsync(GuardDatabase.Sqlite);
        await using var host = await ParticipantHost.StartAsync(db, time: time);
        var tid = ParticipantHost.NewTid();

        using var request = host.Signed(HttpMethod.Delete, tid, timestamp: time.GetUtcNow().AddMinutes(-4).ToUnixTimeSeconds());
        using var response = await host.Http.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task With_only_a_bearer_token_configured_no_signature_is_needed()
    {
        await using var db = await GuardDatabase.CreateAsync(GuardDatabase.Sqlite);
        await using var host = await ParticipantHost.StartAsync(db, o => o.CoordinatorCredential.HmacKey = null);
        var tid = ParticipantHost.NewTid();

        using var request = new HttpRequestMessage(HttpMethod.Delete, ParticipantHost.WalletRoute + "/" + tid);
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + ParticipantHost.BearerToken);
        using var response = await host.Http.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task The_Try_endpoint_is_the_participants_own_API_and_needs_no_coordinator_credential()
    {
        await using var db = await GuardDatabase.CreateAsync(GuardDatabase.Sqlite);
        await using var host = await ParticipantHost.StartAsync(db);

        using var response = await host.TryAsync(ParticipantHost.NewTid(), new DebitRequest(1));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
