using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Twist.Bench;

/// <summary>The caller side of the REST protocol, written against the wire format as a non-.NET caller would.</summary>
internal sealed class RestCaller(Uri address, string apiKey)
{
    private readonly HttpClient http = CreateClient(address, apiKey);

    public async Task<string> BeginAsync()
    {
        using var response = await http.PostAsJsonAsync("/api/v1/transactions", new BeginBody(30000), RestJson.Default.BeginBody);
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync(RestJson.Default.TransactionBody);
        return body!.Tid;
    }

    public async Task ConfirmAsync(string tid, Uri a, Uri b)
    {
        var expires = DateTimeOffset.UtcNow.AddMinutes(1);
        var body = new ConfirmBody(tid, [new LinkBody(a.AbsoluteUri, expires), new LinkBody(b.AbsoluteUri, expires)]);
        using var response = await http.PostAsJsonAsync($"/api/v1/transactions/{tid}/confirm", body, RestJson.Default.ConfirmBody);
        if ((int)response.StatusCode != 200)
        {
            throw new InvalidOperationException($"confirm answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
    }

    private static HttpClient CreateClient(Uri address, string apiKey)
    {
        var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1024 }) { BaseAddress = address };
        client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        return client;
    }
}

internal sealed record BeginBody(int Timeout);

internal sealed record TransactionBody(string Tid, string Status);

internal sealed record LinkBody(string Uri, DateTimeOffset Expires);

internal sealed record ConfirmBody(string Tid, LinkBody[] ParticipantLinks);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(BeginBody))]
[JsonSerializable(typeof(TransactionBody))]
[JsonSerializable(typeof(ConfirmBody))]
internal sealed partial class RestJson : JsonSerializerContext;
