using System.Net;
using System.Text;
using Twist.Coordinator.Api.Tests.Infrastructure;
using static Twist.Coordinator.Api.Tests.Infrastructure.Http;

namespace Twist.Coordinator.Api.Tests;

/// <summary>
/// Every way a request can be wrong is answered with a 4xx problem+json and a stable code, never a 5xx.
/// "{tid}" in a path is replaced by a fresh Active transaction; "{big}" bodies are generated.
/// </summary>
public sealed class MalformedRequestTests(CoordinatorFixture fixture)
{
    private const string Json = "application/json";
    private const string Caller = "caller";
    private const string Operator = "operator";

    private static readonly string Later = "\"" + Expires(TimeSpan.FromMinutes(5)) + "\"";

    private static readonly Dictionary<string, BadRequest> Cases = new BadRequest[]
    {
        // Begin: body shape and timeout.
        new("begin: truncated JSON", "POST", "/api/v1/transactions", "{", Json, 400, "invalid-request"),
        new("begin: array body", "POST", "/api/v1/transactions", "[]", Json, 400, "invalid-request"),
        new("begin: string body", "POST", "/api/v1/transactions", "\"x\"", Json, 400, "invalid-request"),
        new("begin: number body", "POST", "/api/v1/transactions", "42", Json, 400, "invalid-request"),
        new("begin: null body", "POST", "/api/v1/transactions", "null", Json, 400, "invalid-request"),
        new("begin: timeout as string", "POST", "/api/v1/transactions", "{\"timeout\":\"30000\"}", Json, 400, "invalid-request"),
        new("begin: timeout as bool", "POST", "/api/v1/transactions", "{\"timeout\":true}", Json, 400, "invalid-request"),
        new("begin: negative timeout", "POST", "/api/v1/transactions", "{\"timeout\":-1}", Json, 400, "invalid-request"),
        new("begin: zero timeout", "POST", "/api/v1/transactions", "{\"timeout\":0}", Json, 400, "invalid-request"),
        new("begin: fractional timeout", "POST", "/api/v1/transactions", "{\"timeout\":1.5}", Json, 400, "invalid-request"),
        new("begin: timeout beyond int64", "POST", "/api/v1/transactions", "{\"timeout\":1e30}", Json, 400, "invalid-request"),
        new("begin: timeout above MaxTimeout", "POST", "/api/v1/transactions", "{\"timeout\":99999999999}", Json, 400, "invalid-request"),
        new("begin: duplicate member", "POST", "/api/v1/transactions", "{\"timeout\":1000,\"timeout\":2000}", Json, 400, "invalid-request"),
        new("begin: comment in JSON", "POST", "/api/v1/transactions", "{/* c */}", Json, 400, "invalid-request"),
        new("begin: trailing garbage", "POST", "/api/v1/transactions", "{} x", Json, 400, "invalid-request"),
        new("begin: trailing comma", "POST", "/api/v1/transactions", "{\"timeout\":1000,}", Json, 400, "invalid-request"),
        new("begin: invalid UTF-8", "POST", "/api/v1/transactions", "{\"timeout\":\"\u00ff\u00fe\"}", "application/json; charset=utf-8", 400, "invalid-request", RawLatin1: true),
        new("begin: deep nesting", "POST", "/api/v1/transactions", "{\"x\":" + new string('[', 200) + new string(']', 200) + "}", Json, 400, "invalid-request"),
        new("begin: text/plain", "POST", "/api/v1/transactions", "{}", "text/plain", 415, "unsupported-media-type"),
        new("begin: form content", "POST", "/api/v1/transactions", "timeout=1000", "application/x-www-form-urlencoded", 415, "unsupported-media-type"),
        new("begin: no content type", "POST", "/api/v1/transactions", "{}", null, 415, "unsupported-media-type"),
        new("begin: latin1 charset", "POST", "/api/v1/transactions", "{}", "application/json; charset=iso-8859-1", 415, "unsupported-media-type"),

        // Transaction ids.
        new("get: tid with space", "GET", "/api/v1/transactions/a%20b", null, null, 400, "invalid-request"),
        new("get: tid with dollar", "GET", "/api/v1/transactions/ab$cd", null, null, 400, "invalid-request"),
        new("get: tid of 65 chars", "GET", "/api/v1/transactions/" + new string('a', 65), null, null, 400, "invalid-request"),
        new("get: tid with encoded slash", "GET", "/api/v1/transactions/a%2Fb", null, null, 400, "invalid-request"),
        new("get: unknown tid", "GET", "/api/v1/transactions/no-such-transaction", null, null, 404, "transaction-not-found"),
        new("confirm: unknown tid", "POST", "/api/v1/transactions/no-such-transaction/confirm", "{}", Json, 404, "transaction-not-found"),
        new("cancel: unknown tid", "POST", "/api/v1/transactions/no-such-transaction/cancel", null, null, 404, "transaction-not-found"),
        new("compat cancel: unknown tid", "DELETE", "/api/v1/transactions/no-such-transaction", null, null, 404, "transaction-not-found"),

        // Register.
        new("register: no body", "PUT", "/api/v1/transactions/{tid}", null, null, 400, "invalid-request"),
        new("register: empty object", "PUT", "/api/v1/transactions/{tid}", "{}", Json, 400, "invalid-request"),
        new("register: links not an array", "PUT", "/api/v1/transactions/{tid}", "{\"participantLinks\":\"x\"}", Json, 400, "invalid-request"),
        new("register: null link", "PUT", "/api/v1/transactions/{tid}", "{\"participantLinks\":[null]}", Json, 400, "invalid-participant-link"),
        new("register: link missing expires", "PUT", "/api/v1/transactions/{tid}", "{\"participantLinks\":[{\"uri\":\"http://127.0.0.1/p/x\"}]}", Json, 400, "invalid-request"),
        new("register: link missing uri", "PUT", "/api/v1/transactions/{tid}", "{\"participantLinks\":[{\"expires\":" + Later + "}]}", Json, 400, "invalid-request"),
        new("register: link uri null", "PUT", "/api/v1/transactions/{tid}", "{\"participantLinks\":[{\"uri\":null,\"expires\":" + Later + "}]}", Json, 400, "invalid-request"),
        new("register: expires not a time", "PUT", "/api/v1/transactions/{tid}", "{\"participantLinks\":[{\"uri\":\"http://127.0.0.1/p/x\",\"expires\":\"tomorrow\"}]}", Json, 400, "invalid-request"),
        new("register: relative uri", "PUT", "/api/v1/transactions/{tid}", "{\"participantLinks\":[{\"uri\":\"/p/x\",\"expires\":" + Later + "}]}", Json, 400, "invalid-participant-link"),
        new("register: ftp uri", "PUT", "/api/v1/transactions/{tid}", "{\"participantLinks\":[{\"uri\":\"ftp://127.0.0.1/x\",\"expires\":" + Later + "}]}", Json, 400, "invalid-participant-link"),
        new("register: host not allowed", "PUT", "/api/v1/transactions/{tid}", "{\"participantLinks\":[{\"uri\":\"http://evil.example.com/x\",\"expires\":" + Later + "}]}", Json, 400, "invalid-participant-link"),
        new("register: cloud metadata address", "PUT", "/api/v1/transactions/{tid}", "{\"participantLinks\":[{\"uri\":\"http://169.254.169.254/latest/meta-data\",\"expires\":" + Later + "}]}", Json, 400, "invalid-participant-link"),
        new("register: credentials in uri", "PUT", "/api/v1/transactions/{tid}", "{\"participantLinks\":[{\"uri\":\"http://user:pw@127.0.0.1/p/x\",\"expires\":" + Later + "}]}", Json, 400, "invalid-participant-link"),
        new("register: empty task", "PUT", "/api/v1/transactions/{tid}", "{\"tasks\":[{}]}", Json, 400, "invalid-request"),
        new("register: task with GET method", "PUT", "/api/v1/transactions/{tid}", "{\"tasks\":[{\"actions\":{\"confirm\":{\"method\":\"GET\",\"uri\":\"http://127.0.0.1/p/x\"},\"cancel\":{\"method\":\"delete\",\"uri\":\"http://127.0.0.1/p/x\"}}}]}", Json, 400, "invalid-request"),
        new("register: unknown action type", "PUT", "/api/v1/transactions/{tid}", "{\"tasks\":[{\"actions\":{\"confirm\":{\"type\":\"soap\",\"method\":\"put\",\"uri\":\"http://127.0.0.1/p/x\"},\"cancel\":{\"method\":\"delete\",\"uri\":\"http://127.0.0.1/p/x\"}}}]}", Json, 400, "invalid-request"),
        new("register: header injection", "PUT", "/api/v1/transactions/{tid}", "{\"tasks\":[{\"actions\":{\"confirm\":{\"method\":\"put\",\"uri\":\"http://127.0.0.1/p/x\",\"headers\":{\"X-A\":\"v\\r\\nInjected: 1\"}},\"cancel\":{\"method\":\"delete\",\"uri\":\"http://127.0.0.1/p/x\"}}}]}", Json, 400, "invalid-request"),
        new("register: header value not a string", "PUT", "/api/v1/transactions/{tid}", "{\"tasks\":[{\"actions\":{\"confirm\":{\"method\":\"put\",\"uri\":\"http://127.0.0.1/p/x\",\"headers\":{\"X-A\":1}},\"cancel\":{\"method\":\"delete\",\"uri\":\"http://127.0.0.1/p/x\"}}}]}", Json, 400, "invalid-request"),

        // Confirm and cancel.
        new("confirm: body tid differs", "POST", "/api/v1/transactions/{tid}/confirm", "{\"tid\":\"another\"}", Json, 400, "invalid-request"),
        new("confirm: links not an array", "POST", "/api/v1/transactions/{tid}/confirm", "{\"participantLinks\":{}}", Json, 400, "invalid-request"),
        new("compat confirm: array body", "POST", "/api/v1/transactions/{tid}", "[1]", Json, 400, "invalid-request"),
        new("cancel: malformed body", "POST", "/api/v1/transactions/{tid}/cancel", "{\"reason\":", Json, 400, "invalid-request"),

        // Tasks (Brobridge v1).
        new("task: empty object", "POST", "/api/v1/tasks", "{}", Json, 400, "invalid-request"),
        new("task: missing cancel", "POST", "/api/v1/tasks", "{\"task\":{\"actions\":{\"confirm\":{\"method\":\"put\",\"uri\":\"http://127.0.0.1/p/x\"}}}}", Json, 400, "invalid-request"),
        new("task: payload not a string", "POST", "/api/v1/tasks", "{\"task\":{\"actions\":{\"confirm\":{\"method\":\"put\",\"uri\":\"http://127.0.0.1/p/x\"},\"cancel\":{\"method\":\"delete\",\"uri\":\"http://127.0.0.1/p/x\"}},\"payload\":{\"a\":1}}}", Json, 400, "invalid-request"),
        new("task: negative timeout", "POST", "/api/v1/tasks", "{\"task\":{\"actions\":{\"confirm\":{\"method\":\"put\",\"uri\":\"http://127.0.0.1/p/x\"},\"cancel\":{\"method\":\"delete\",\"uri\":\"http://127.0.0.1/p/x\"}},\"timeout\":-5}}", Json, 400, "invalid-request"),
        new("task: host not allowed", "POST", "/api/v1/tasks", "{\"task\":{\"actions\":{\"confirm\":{\"method\":\"put\",\"uri\":\"http://evil.example.com/x\"},\"cancel\":{\"method\":\"delete\",\"uri\":\"http://evil.example.com/x\"}}}}", Json, 400, "invalid-participant-link"),
        new("task: unknown id", "GET", "/api/v1/tasks/no-such-task", null, null, 404, "task-not-found"),
        new("task: bad id", "DELETE", "/api/v1/tasks/bad!id", null, null, 400, "invalid-request"),

        // Routing.
        new("route: unknown path", "GET", "/api/v1/unknown", null, null, 404, "route-not-found"),
        new("route: unknown version", "GET", "/api/v9/transactions", null, null, 404, "route-not-found"),
        new("route: wrong method", "PATCH", "/api/v1/transactions/{tid}", "{}", Json, 405, "method-not-allowed"),
        new("route: GET on begin", "GET", "/api/v1/transactions", null, null, 405, "method-not-allowed"),

        // Operator API.
        new("admin: unknown status", "GET", "/api/v1/admin/transactions?status=Bogus", null, null, 400, "invalid-request", Key: Operator),
        new("admin: numeric status", "GET", "/api/v1/admin/transactions?status=7", null, null, 400, "invalid-request", Key: Operator),
        new("admin: unknown attention", "GET", "/api/v1/admin/transactions?attention=Maybe", null, null, 400, "invalid-request", Key: Operator),
        new("admin: olderThan not a duration", "GET", "/api/v1/admin/transactions?olderThan=yesterday", null, null, 400, "invalid-request", Key: Operator),
        new("admin: negative olderThan", "GET", "/api/v1/admin/transactions?olderThan=-00:05:00", null, null, 400, "invalid-request", Key: Operator),
        new("admin: bad ISO duration", "GET", "/api/v1/admin/transactions?olderThan=PT5X", null, null, 400, "invalid-request", Key: Operator),
        new("admin: limit zero", "GET", "/api/v1/admin/transactions?limit=0", null, null, 400, "invalid-request", Key: Operator),
        new("admin: limit too large", "GET", "/api/v1/admin/transactions?limit=501", null, null, 400, "invalid-request", Key: Operator),
        new("admin: limit not a number", "GET", "/api/v1/admin/transactions?limit=ten", null, null, 400, "invalid-request", Key: Operator),
        new("admin: limit twice", "GET", "/api/v1/admin/transactions?limit=1&limit=2", null, null, 400, "invalid-request", Key: Operator),
        new("admin: empty continuation token", "GET", "/api/v1/admin/transactions?continuationToken=", null, null, 400, "invalid-request", Key: Operator),
        new("admin: unknown transaction", "GET", "/api/v1/admin/transactions/no-such-transaction", null, null, 404, "transaction-not-found", Key: Operator),
        new("admin: participant id not a number", "POST", "/api/v1/admin/transactions/{tid}/participants/abc/retry", null, null, 400, "invalid-request", Key: Operator),
        new("admin: participant id zero", "POST", "/api/v1/admin/transactions/{tid}/participants/0/retry", null, null, 400, "invalid-request", Key: Operator),
        new("admin: force-cancel without reason", "POST", "/api/v1/admin/transactions/{tid}/force-cancel", null, null, 400, "invalid-request", Key: Operator),
        new("admin: force-cancel reason too long", "POST", "/api/v1/admin/transactions/{tid}/force-cancel", "{\"reason\":\"" + new string('r', 1001) + "\"}", Json, 400, "invalid-request", Key: Operator),
        new("admin: force-cancel reason not a string", "POST", "/api/v1/admin/transactions/{tid}/force-cancel", "{\"reason\":[1]}", Json, 400, "invalid-request", Key: Operator),
        new("admin: audit with bad tid", "GET", "/api/v1/admin/audit?tid=bad$", null, null, 400, "invalid-request", Key: Operator),
        new("admin: audit limit negative", "GET", "/api/v1/admin/audit?limit=-1", null, null, 400, "invalid-request", Key: Operator),
    }.ToDictionary(c => c.Name);

    public static TheoryData<string> CaseNames => [.. Cases.Keys];

    [Theory]
    [MemberData(nameof(CaseNames))]
    public async Task Bad_request_is_a_4xx_problem_with_a_stable_code(string name)
    {
        var bad = Cases[name];
        using var client = fixture.Host.CreateClient(bad.Key == Operator ? TestKeys.Operator : TestKeys.Caller);
        var path = bad.Path;
        if (path.Contains("{tid}", StringComparison.Ordinal))
        {
            var (_, begun, _) = await SendAsync(client, HttpMethod.Post, "/api/v1/transactions", "{}");
            path = path.Replace("{tid}", begun.GetProperty("tid").GetString(), StringComparison.Ordinal);
        }

        using var request = new HttpRequestMessage(new HttpMethod(bad.Method), path);
        if (bad.Body is not null)
        {
            var bytes = bad.RawLatin1 ? Encoding.Latin1.GetBytes(bad.Body) : Encoding.UTF8.GetBytes(bad.Body);
            request.Content = new ByteArrayContent(bytes);
            if (bad.ContentType is not null)
            {
                request.Content.Headers.TryAddWithoutValidation("Content-Type", bad.ContentType);
            }
        }

        using var response = await client.SendAsync(request, Ct);
        Assert.True((int)response.StatusCode < 500, $"{name}: a malformed request produced {(int)response.StatusCode}.");
        var problem = await AssertProblemAsync(response, bad.Status, bad.Code);
        if (bad.Status == 400 && bad.Code is "invalid-request" or "invalid-participant-link" && problem.TryGetProperty("errors", out var errors))
        {
            Assert.NotEmpty(errors.EnumerateObject());
        }

        if (bad.Status == 405)
        {
            Assert.NotEmpty(response.Content.Headers.Allow);
        }
    }

    [Fact]
    public void There_are_at_least_thirty_cases() => Assert.True(Cases.Count >= 30, $"Only {Cases.Count} cases.");

    [Fact]
    public async Task Body_larger_than_the_limit_is_413()
    {
        using var client = fixture.Host.CreateClient();
        var body = "{\"timeout\":1000,\"pad\":\"" + new string('x', 70 * 1024) + "\"}";
        using var response = await client.SendAsync(Request(HttpMethod.Post, "/api/v1/transactions", body), Ct);
        await AssertProblemAsync(response, 413, "payload-too-large");
    }

    [Fact]
    public async Task Chunked_body_larger_than_the_limit_is_413()
    {
        using var client = fixture.Host.CreateClient();
        var body = "{\"participantLinks\":[],\"pad\":\"" + new string('x', 200 * 1024) + "\"}";
        using var request = new HttpRequestMessage(HttpMethod.Put, "/api/v1/transactions/some-tid")
        {
            Content = new StreamContent(new NonSeekableStream(Encoding.UTF8.GetBytes(body))),
        };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.TransferEncodingChunked = true;
        using var response = await client.SendAsync(request, Ct);
        await AssertProblemAsync(response, 413, "payload-too-large");
    }

    [Fact]
    public async Task Empty_body_with_a_json_content_type_is_accepted_as_no_body()
    {
        // Brobridge v1 clients send Content-Type: application/json on bodiless DELETE and GET requests.
        using var client = fixture.Host.CreateClient();
        var (status, json, _) = await SendAsync(client, Request(HttpMethod.Post, "/api/v1/transactions", string.Empty));
        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal("Active", json.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Body_with_a_utf8_byte_order_mark_is_accepted()
    {
        using var client = fixture.Host.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/transactions")
        {
            Content = new ByteArrayContent([0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes("{\"timeout\":1000}")]),
        };
        request.Content.Headers.ContentType = new("application/json");
        var (status, _, _) = await SendAsync(client, request);
        Assert.Equal(HttpStatusCode.Created, status);
    }

    public sealed record BadRequest(string Name, string Method, string Path, string? Body, string? ContentType, int Status, string Code, string Key = Caller, bool RawLatin1 = false);

    /// <summary>Forces HttpClient to send a chunked body (no Content-Length).</summary>
    private sealed class NonSeekableStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
    }
}
