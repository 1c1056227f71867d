using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Twist.Client.Tests.Remote;

/// <summary>A real Kestrel on loopback that answers each route with a canned status and body, and records the requests.</summary>
internal sealed class CannedCoordinatorServer : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ConcurrentDictionary<string, (int Status, string ContentType, string Body)> answers = new();

    private CannedCoordinatorServer(WebApplication app) => this.app = app;

    public Uri Address { get; private set; } = null!;

    public ConcurrentQueue<(string Method, string Path, string? ApiKey, string Body)> Requests { get; } = new();

    public static async Task<CannedCoordinatorServer> StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new CannedCoordinatorServer(app);
        app.Run(server.HandleAsync);
        await app.StartAsync(cancellationToken);
        server.Address = new Uri(app.Urls.First());
        return server;
    }

    public void Answer(string method, string path, int status, string body, string contentType = "application/json") =>
        answers[$"{method} {path}"] = (status, contentType, body);

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        var path = context.Request.Path.Value!;
        Requests.Enqueue((context.Request.Method, path, context.Request.Headers["X-Api-Key"].FirstOrDefault(), body));
        if (!answers.TryGetValue($"{context.Request.Method} {path}", out var answer))
        {
            answer = (404, "application/problem+json", """{"type":"about:blank","title":"No such route in this test."}""");
        }

        context.Response.StatusCode = answer.Status;
        context.Response.ContentType = answer.ContentType;
        await context.Response.WriteAsync(answer.Body, context.RequestAborted);
    }
}
