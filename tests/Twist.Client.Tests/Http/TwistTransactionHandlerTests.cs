using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Twist.Client.Http;
using Twist.Client.Tests.Fakes;
using Twist.Protocol;
using Twist.Transactions;

namespace Twist.Client.Tests.Http;

public sealed class TwistTransactionHandlerTests
{
    private static readonly CancellationToken Ct = TestContext.Current.CancellationToken;

    private static HttpResponseMessage Json(string json, HttpStatusCode status = HttpStatusCode.Created, bool knownLength = false)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        HttpContent content = knownLength ? new ByteArrayContent(bytes) : new StreamContent(new NonSeekableStream(bytes));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        return new HttpResponseMessage(status) { Content = content };
    }

    private static HttpMessageInvoker Invoker(StubHandler stub) => new(new TwistTransactionHandler { InnerHandler = stub });

    private static string TryAnswer(string tid, string uri = "http://bank.test/debits/1") =>
        $$$"""{"tid":"{{{tid}}}","participantLink":{"uri":"{{{uri}}}","expires":"2030-01-02T03:04:05+08:00"}}""";

    [Fact]
    public async Task Requests_outside_a_transaction_pass_through_untouched()
    {
        var stub = new StubHandler(_ => Json("""{"ok":true}"""));
        using var invoker = Invoker(stub);

        using var response = await invoker.SendAsync(new HttpRequestMessage(HttpMethod.Post, "http://bank.test/debits"), Ct);

        Assert.False(stub.LastRequest!.Headers.Contains(TwistHeaders.TransactionId));
        Assert.False(stub.LastRequest.Headers.Contains(TwistHeaders.Deadline));
        Assert.Equal("""{"ok":true}""", await response.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task Adds_the_transaction_id_and_an_RFC3339_deadline_while_a_transaction_is_current()
    {
        var client = TestClients.Create(new FakeCoordinator());
        await using var tx = await client.BeginAsync(cancellationToken: Ct);
        var stub = new StubHandler(_ => new HttpResponseMessage(HttpStatusCode.NoContent));
        using var invoker = Invoker(stub);

        using var response = await invoker.SendAsync(new HttpRequestMessage(HttpMethod.Post, "http://bank.test/debits"), Ct);

        Assert.Equal(tx.Tid, Assert.Single(stub.LastRequest!.Headers.GetValues(TwistHeaders.TransactionId)));
        var deadline = Assert.Single(stub.LastRequest.Headers.GetValues(TwistHeaders.Deadline));
        Assert.Equal("2030-01-02T03:04:05.678Z", deadline);
        Assert.Equal(tx.Deadline, DateTimeOffset.Parse(deadline, CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Registers_the_participant_link_of_a_Try_answer_and_leaves_the_body_readable()
    {
        var client = TestClients.Create(new FakeCoordinator());
        await using var tx = await client.BeginAsync(cancellationToken: Ct);
        var body = TryAnswer(tx.Tid);
        var stub = new StubHandler(_ => Json(body));
        using var invoker = Invoker(stub);

        using var response = await invoker.SendAsync(new HttpRequestMessage(HttpMethod.Post, "http://bank.test/debits"), Ct);

        var link = Assert.Single(tx.Participants);
        Assert.Equal(new Uri("http://bank.test/debits/1"), link.Uri);
        Assert.Equal(new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.FromHours(8)), link.Expires);
        Assert.Equal(body, await response.Content.ReadAsStringAsync(Ct));
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Uses_the_transaction_set_on_the_request_when_none_is_current()
    {
        var client = TestClients.Create(new FakeCoordinator());
        var tx = await Task.Run(() => client.BeginAsync(cancellationToken: Ct), Ct); // began in another flow: not Current here
        Assert.Null(TwistTransaction.Current);
        var stub = new StubHandler(_ => Json(TryAnswer(tx.Tid), knownLength: true));
        using var invoker = Invoker(stub);
        using var request = new HttpRequestMessage(HttpMethod.Post, "http://bank.test/debits");
        request.Options.Set(TwistTransaction.RequestOptionKey, tx);

        using var response = await invoker.SendAsync(request, Ct);

        Assert.Equal(tx.Tid, stub.LastRequest!.Headers.GetValues(TwistHeaders.TransactionId).Single());
        Assert.Single(tx.Participants);
        await tx.DisposeAsync();
    }

    [Fact]
    public async Task Ignores_a_Try_answer_for_another_transaction()
    {
        var client = TestClients.Create(new FakeCoordinator());
        await using var tx = await client.BeginAsync(cancellationToken: Ct);
        using var invoker = Invoker(new StubHandler(_ => Json(TryAnswer("someone-else"))));

        using var response = await invoker.SendAsync(new HttpRequestMessage(HttpMethod.Post, "http://bank.test/debits"), Ct);

        Assert.Empty(tx.Participants);
    }

    [Fact]
    public async Task Leaves_large_bodies_unbuffered_and_intact()
    {
        var client = TestClients.Create(new FakeCoordinator());
        await using var tx = await client.BeginAsync(cancellationToken: Ct);
        var big = "{\"tid\":\"" + tx.Tid + "\",\"padding\":\"" + new string('x', TwistTransactionHandler.MaxTryAnswerBytes) + "\"}";
        using var invoker = Invoker(new StubHandler(_ => Json(big)));

        using var response = await invoker.SendAsync(new HttpRequestMessage(HttpMethod.Get, "http://bank.test/report"), Ct);

        Assert.Equal(big, await response.Content.ReadAsStringAsync(Ct));
        Assert.Empty(tx.Participants);
    }

    [Fact]
    public async Task Leaves_non_json_and_failed_answers_alone()
    {
        var client = TestClients.Create(new FakeCoordinator());
        await using var tx = await client.BeginAsync(cancellationToken: Ct);
        var text = new StringContent(TryAnswer(tx.Tid), Encoding.UTF8, "text/plain");
        using var invoker = Invoker(new StubHandler(r => r.RequestUri!.AbsolutePath == "/text"
            ? new HttpResponseMessage(HttpStatusCode.OK) { Content = text }
            : Json(TryAnswer(tx.Tid), HttpStatusCode.Conflict)));

        using var plain = await invoker.SendAsync(new HttpRequestMessage(HttpMethod.Post, "http://bank.test/text"), Ct);
        using var conflict = await invoker.SendAsync(new HttpRequestMessage(HttpMethod.Post, "http://bank.test/conflict"), Ct);

        Assert.Same(text, plain.Content);
        Assert.Empty(tx.Participants);
    }

    [Fact]
    public async Task Does_not_register_links_after_the_decision()
    {
        var client = TestClients.Create(new FakeCoordinator());
        await using var tx = await client.BeginAsync(cancellationToken: Ct);
        await tx.ConfirmAsync(Ct);
        using var invoker = Invoker(new StubHandler(_ => Json(TryAnswer(tx.Tid))));

        using var response = await invoker.SendAsync(new HttpRequestMessage(HttpMethod.Post, "http://bank.test/debits"), Ct);

        Assert.Empty(tx.Participants);
        Assert.Throws<InvalidOperationException>(() => tx.AddParticipant(new ParticipantLink(new Uri("http://game.test/p/1"), DateTimeOffset.UtcNow)));
    }
}
