using System.Net;
using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Twist.Coordinator.Api.Tests.Infrastructure;
using static Twist.Coordinator.Api.Tests.Infrastructure.Http;

namespace Twist.Coordinator.Api.Tests;

/// <summary>API keys, roles, and problem+json for 401/403.</summary>
public sealed class AuthenticationTests(CoordinatorFixture fixture)
{
    [Theory]
    [InlineData("POST", "/api/v1/transactions")]
    [InlineData("GET", "/api/v1/transactions/some-tid")]
    [InlineData("GET", "/api/v1/tasks/some-task")]
    [InlineData("GET", "/api/v1/admin/transactions")]
    public async Task No_key_is_a_401_problem_with_a_challenge(string method, string path)
    {
        using var client = fixture.Host.CreateClient(apiKey: null);
        using var response = await client.SendAsync(Request(new HttpMethod(method), path), Ct);
        await AssertProblemAsync(response, 401, "unauthorized");
        Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == "ApiKey");
    }

    [Fact]
    public async Task Wrong_key_is_a_401_problem()
    {
        using var client = fixture.Host.CreateClient("not-a-configured-key-at-all");
        using var response = await client.SendAsync(Request(HttpMethod.Post, "/api/v1/transactions", "{}"), Ct);
        await AssertProblemAsync(response, 401, "unauthorized");
    }

    [Fact]
    public async Task Caller_key_on_the_operator_api_is_a_403_problem()
    {
        using var client = fixture.Host.CreateClient(TestKeys.Caller);
        using var response = await client.SendAsync(Request(HttpMethod.Get, "/api/v1/admin/audit"), Ct);
        var problem = await AssertProblemAsync(response, 403, "forbidden");
        Assert.Contains(TestKeys.CallerName, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Operator_key_may_use_both_apis()
    {
        using var client = fixture.Host.CreateClient(TestKeys.Operator);
        var (admin, _, _) = await SendAsync(client, HttpMethod.Get, "/api/v1/admin/audit");
        Assert.Equal(HttpStatusCode.OK, admin);
        var (begin, _, _) = await SendAsync(client, HttpMethod.Post, "/api/v1/transactions", "{}");
        Assert.Equal(HttpStatusCode.Created, begin);
    }

    [Fact]
    public async Task Authorization_header_with_the_ApiKey_scheme_is_accepted()
    {
        using var client = fixture.Host.CreateClient(apiKey: null);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("ApiKey", TestKeys.Caller);
        var (status, _, _) = await SendAsync(client, HttpMethod.Post, "/api/v1/transactions", "{}");
        Assert.Equal(HttpStatusCode.Created, status);
    }

    [Fact]
    public async Task Health_probes_need_no_key()
    {
        using var client = fixture.Host.CreateClient(apiKey: null);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz", Ct)).StatusCode);
        using var ready = await client.GetAsync("/readyz", Ct);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("Healthy", await ready.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task Unknown_routes_need_no_key_and_leak_nothing()
    {
        using var client = fixture.Host.CreateClient(apiKey: null);
        using var response = await client.GetAsync("/api/internal/secrets", Ct);
        await AssertProblemAsync(response, 404, "route-not-found");
    }

    [Fact]
    public async Task Jwt_bearer_tokens_carry_roles_from_the_roles_claim()
    {
        await using var host = await CoordinatorHost.StartAsync(new Dictionary<string, string?>
        {
            ["Twist:Api:Jwt:SigningKey"] = TestKeys.JwtSigningKey,
            ["Twist:Api:Jwt:Issuer"] = TestKeys.JwtIssuer,
            ["Twist:Api:Jwt:Audience"] = TestKeys.JwtAudience,
        }, withKeys: false);
        using var client = host.CreateClient(apiKey: null);

        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token("ops-bob", "operator"));
        var (admin, _, _) = await SendAsync(client, HttpMethod.Get, "/api/v1/admin/audit");
        Assert.Equal(HttpStatusCode.OK, admin);

        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token("svc", "caller"));
        var (begin, _, _) = await SendAsync(client, HttpMethod.Post, "/api/v1/transactions", "{}");
        Assert.Equal(HttpStatusCode.Created, begin);
        using (var forbidden = await client.SendAsync(Request(HttpMethod.Get, "/api/v1/admin/audit"), Ct))
        {
            await AssertProblemAsync(forbidden, 403, "forbidden");
        }

        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token("svc", "caller", audience: "someone-else"));
        using (var wrongAudience = await client.SendAsync(Request(HttpMethod.Post, "/api/v1/transactions", "{}"), Ct))
        {
            await AssertProblemAsync(wrongAudience, 401, "unauthorized");
        }

        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token("svc", "caller", expires: DateTime.UtcNow.AddMinutes(-5)));
        using (var expired = await client.SendAsync(Request(HttpMethod.Post, "/api/v1/transactions", "{}"), Ct))
        {
            await AssertProblemAsync(expired, 401, "unauthorized");
        }
    }

    private static string Token(string name, string role, string audience = TestKeys.JwtAudience, DateTime? expires = null)
    {
        var handler = new JsonWebTokenHandler();
        return handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = TestKeys.JwtIssuer,
            Audience = audience,
            Subject = new ClaimsIdentity([new Claim("name", name), new Claim("sub", name), new Claim("roles", role)]),
            NotBefore = DateTime.UtcNow.AddMinutes(-10),
            Expires = expires ?? DateTime.UtcNow.AddMinutes(5),
            IssuedAt = DateTime.UtcNow.AddMinutes(-10),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(TestKeys.JwtSigningKey)), SecurityAlgorithms.HmacSha256),
        });
    }
}
