using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Twist.Coordinator.Api.Tests.Infrastructure;

/// <summary>Small helpers for raw HTTP requests and problem+json assertions.</summary>
internal static class Http
{
    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static HttpRequestMessage Request(HttpMethod method, string path, string? body = null, string? contentType = "application/json")
    {
        var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
            if (contentType is not null)
            {
                content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
            }

            request.Content = content;
        }

        return request;
    }

    public static async Task<(HttpStatusCode Status, JsonElement Json, HttpResponseMessage Response)> SendAsync(HttpClient client, HttpRequestMessage request)
    {
        var response = await client.SendAsync(request, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        var json = string.IsNullOrEmpty(text) ? default : JsonDocument.Parse(text).RootElement.Clone();
        return (response.StatusCode, json, response);
    }

    public static Task<(HttpStatusCode Status, JsonElement Json, HttpResponseMessage Response)> SendAsync(HttpClient client, HttpMethod method, string path, string? body = null) =>
        SendAsync(client, Request(method, path, body));

    /// <summary>Asserts a problem+json answer with the given status and stable code, and returns the document.</summary>
    public static async Task<JsonElement> AssertProblemAsync(HttpResponseMessage response, int status, string code)
    {
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(status == (int)response.StatusCode, $"Expected {status} but got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var json = JsonDocument.Parse(text).RootElement;
        Assert.Equal(code, json.GetProperty("code").GetString());
        Assert.Equal("https://twist.dev/problems/" + code, json.GetProperty("type").GetString());
        Assert.Equal(status, json.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(json.GetProperty("title").GetString()));
        Assert.False(string.IsNullOrEmpty(json.GetProperty("detail").GetString()));
        Assert.False(json.GetProperty("success").GetBoolean());
        return json.Clone();
    }

    public static string Expires(TimeSpan fromNow) => DateTimeOffset.UtcNow.Add(fromNow).ToString("O");

    public static string LinksBody(params Uri[] uris) =>
        "{\"participantLinks\":[" + string.Join(",", uris.Select(u => $"{{\"uri\":\"{u}\",\"expires\":\"{Expires(TimeSpan.FromMinutes(5))}\"}}")) + "]}";
}
