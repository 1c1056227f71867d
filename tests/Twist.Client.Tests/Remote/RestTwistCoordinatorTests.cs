using System.Net;
using System.Net.Sockets;
using Twist.Client.Remote;
using Twist.Errors;
using Twist.Transactions;

namespace Twist.Client.Tests.Remote;

public sealed class RestTwistCoordinatorTests
{
    private const string Problem = "application/problem+json";
    private static readonly CancellationToken Ct = TestContext.Current.CancellationToken;

    private const string CancelledTransaction = """
        {"tid":"t1","status":"Cancelled","reason":"timeout","createdAt":"2030-01-01T00:00:00Z","expiresAt":"2030-01-01T00:00:30Z",
         "participants":[{"id":1,"uri":"http://bank.test/debits/t1","expires":"2030-01-01T00:01:00Z","status":"Cancelled","attempts":1}]}
        """;

    private static RestTwistCoordinator Client(CannedCoordinatorServer server, HttpClient http) => new(http, server.Address, "key-123");

    [Fact]
    public async Task Begin_posts_the_timeout_with_the_api_key_and_maps_the_answer()
    {
        await using var server = await CannedCoordinatorServer.StartAsync(Ct);
        server.Answer("POST", "/api/v1/transactions", 201,
            """{"tid":"t1","transactionID":"t1","status":"Active","expires":"2030-01-01T00:00:30Z","createdAt":"2030-01-01T00:00:00Z"}""");
        using var http = new HttpClient();

        var info = await Client(server, http).BeginAsync(TimeSpan.FromSeconds(30), Ct);

        Assert.Equal("t1", info.Tid);
        Assert.Equal(TransactionStatus.Active, info.Status);
        Assert.Equal(new DateTimeOffset(2030, 1, 1, 0, 0, 30, TimeSpan.Zero), info.ExpiresAt);
        var request = Assert.Single(server.Requests);
        Assert.Equal("key-123", request.ApiKey);
        Assert.Equal("""{"timeout":30000}""", request.Body);
    }

    [Fact]
    public async Task Confirm_sends_the_seed_shape()
    {
        await using var server = await CannedCoordinatorServer.StartAsync(Ct);
        server.Answer("POST", "/api/v1/transactions/t1/confirm", 200, CancelledTransaction.Replace("Cancelled", "Confirmed", StringComparison.Ordinal));
        using var http = new HttpClient();
        var link = new ParticipantLink(new Uri("http://bank.test/debits/t1"), new DateTimeOffset(2030, 1, 1, 0, 1, 0, TimeSpan.Zero));

        var info = await Client(server, http).ConfirmAsync("t1", [link], Ct);

        Assert.Equal(TransactionStatus.Confirmed, info.Status);
        Assert.Equal(ParticipantStatus.Confirmed, Assert.Single(info.Participants).Status);
        Assert.Equal(
            """{"tid":"t1","participantLinks":[{"uri":"http://bank.test/debits/t1","expires":"2030-01-01T00:01:00+00:00"}]}""",
            Assert.Single(server.Requests).Body);
    }

    [Fact]
    public async Task A_not_found_problem_becomes_TransactionNotFoundException()
    {
        await using var server = await CannedCoordinatorServer.StartAsync(Ct);
        server.Answer("GET", "/api/v1/transactions/nope", 404,
            """{"type":"https://twist.dev/problems/transaction-not-found","title":"Not found","status":404,"code":"transaction-not-found"}""", Problem);
        using var http = new HttpClient();

        var ex = await Assert.ThrowsAsync<TransactionNotFoundException>(() => Client(server, http).GetAsync("nope", Ct));

        Assert.Equal("nope", ex.Tid);
    }

    [Fact]
    public async Task A_conflict_problem_carrying_the_transaction_becomes_TransactionConflictException()
    {
        await using var server = await CannedCoordinatorServer.StartAsync(Ct);
        server.Answer("POST", "/api/v1/transactions/t1/confirm", 409,
            $$"""{"type":"https://twist.dev/problems/transaction-conflict","title":"Conflict","status":409,"detail":"It timed out.","code":"transaction-conflict","transaction":{{CancelledTransaction}}}""", Problem);
        using var http = new HttpClient();

        var ex = await Assert.ThrowsAsync<TransactionConflictException>(() => Client(server, http).ConfirmAsync("t1", cancellationToken: Ct));

        Assert.Equal(TransactionStatus.Cancelled, ex.Transaction.Status);
        Assert.Equal("timeout", ex.Transaction.Reason);
        Assert.Equal("It timed out.", ex.Message);
    }

    [Fact]
    public async Task A_conflict_problem_without_the_transaction_fetches_it()
    {
        await using var server = await CannedCoordinatorServer.StartAsync(Ct);
        server.Answer("POST", "/api/v1/transactions/t1/confirm", 409,
            """{"type":"https://twist.dev/problems/transaction-conflict","title":"Conflict","status":409}""", Problem);
        server.Answer("GET", "/api/v1/transactions/t1", 200, CancelledTransaction);
        using var http = new HttpClient();

        var ex = await Assert.ThrowsAsync<TransactionConflictException>(() => Client(server, http).ConfirmAsync("t1", cancellationToken: Ct));

        Assert.Equal(TransactionStatus.Cancelled, ex.Transaction.Status);
        Assert.Equal(["POST", "GET"], server.Requests.Select(r => r.Method));
    }

    [Fact]
    public async Task A_validation_problem_keeps_every_field_error()
    {
        await using var server = await CannedCoordinatorServer.StartAsync(Ct);
        server.Answer("PUT", "/api/v1/transactions/t1", 400,
            """{"type":"https://twist.dev/problems/invalid-participant-link","title":"Invalid","status":400,"code":"invalid-participant-link","errors":{"participantLinks[0].uri":["host not allowed"]}}""", Problem);
        using var http = new HttpClient();
        var link = new ParticipantLink(new Uri("http://evil.test/x"), DateTimeOffset.UnixEpoch);

        var ex = await Assert.ThrowsAsync<TwistValidationException>(() => Client(server, http).RegisterAsync("t1", [link], Ct));

        Assert.Equal(TwistErrorCodes.InvalidParticipantLink, ex.Code);
        Assert.Equal(["host not allowed"], ex.Errors["participantLinks[0].uri"]);
    }

    [Theory]
    [InlineData(503, """{"title":"Stopping","status":503,"code":"coordinator-unavailable"}""")]
    [InlineData(502, "<html>bad gateway</html>")]
    public async Task Unavailable_answers_become_CoordinatorUnavailableException(int status, string body)
    {
        await using var server = await CannedCoordinatorServer.StartAsync(Ct);
        server.Answer("POST", "/api/v1/transactions/t1/cancel", status, body, body.StartsWith('{') ? Problem : "text/html");
        using var http = new HttpClient();

        await Assert.ThrowsAsync<CoordinatorUnavailableException>(() => Client(server, http).CancelAsync("t1", Ct));
    }

    [Fact]
    public async Task A_missing_api_key_answer_keeps_the_unauthorized_code()
    {
        await using var server = await CannedCoordinatorServer.StartAsync(Ct);
        server.Answer("GET", "/api/v1/transactions/t1", 401, """{"title":"Unauthorized","status":401}""", Problem);
        using var http = new HttpClient();

        var ex = await Assert.ThrowsAsync<TwistException>(() => Client(server, http).GetAsync("t1", Ct));

        Assert.Equal(TwistErrorCodes.Unauthorized, ex.Code);
    }

    [Fact]
    public async Task A_refused_connection_becomes_CoordinatorUnavailableException()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop(); // nothing listens there now
        using var http = new HttpClient();

        var ex = await Assert.ThrowsAsync<CoordinatorUnavailableException>(
            () => new RestTwistCoordinator(http, new Uri($"http://127.0.0.1:{port}")).BeginAsync(cancellationToken: Ct));

        Assert.IsType<HttpRequestException>(ex.InnerException);
    }
}
